import type { Referral } from '../schemas';
import type { ReferralLinkUpdate } from '../store';

/**
 * A create/get/patch result as `{ referral, eTag }`; a PATCH answered 204 has no referral. The
 * eTag comes from the header when the client found one, else from the body.
 */
export function normaliseReferralResult(
  result: { referral?: Referral; eTag?: string | null } | null | undefined,
): { referral: Referral; eTag: string | null } | null {
  if (!result?.referral) return null;
  return { referral: result.referral, eTag: result.eTag ?? result.referral.eTag ?? null };
}

/** The link that records `referral` as the state both sides now share (either direction). */
export function linkOf(
  opportunityId: string,
  referral: Referral,
  eTag: string | null,
): ReferralLinkUpdate {
  return {
    opportunityId,
    referralId: referral.id,
    engagementId: referral.engagementId ?? null,
    eTag: eTag ?? referral.eTag ?? null,
    updatedDateTime: referral.updatedDateTime ?? null,
    referral,
    status: referral.status ?? null,
    substatus: referral.substatus ?? null,
    createIntentAt: null,
  };
}
