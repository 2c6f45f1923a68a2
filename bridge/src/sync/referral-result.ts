import type { Referral } from '../schemas';

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
