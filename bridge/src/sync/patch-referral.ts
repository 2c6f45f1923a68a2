/**
 * One field-level PATCH of a referral, with `If-Match` when the current eTag is known. A lost
 * If-Match race (412 Precondition Failed) is an expected answer, not a failure: it comes back as
 * a value the caller must handle (re-read, merge, retry), never as an exception that travels up.
 */
import { PreconditionFailedError } from '../errors';
import type { ReferralsClient } from '../partner-center';
import type { JsonPatchOperation, Referral } from '../schemas';
import { normaliseReferralResult } from './referral-result';

export type PatchOutcome =
  /** `next` is null for 204 No Content (as Microsoft documents): the new state was not returned. */
  | { kind: 'patched'; next: { referral: Referral; eTag: string | null } | null }
  /** Someone changed the referral since `eTag`: nothing was written. */
  | { kind: 'precondition-failed'; error: PreconditionFailedError };

export async function patchReferral(
  referrals: Pick<ReferralsClient, 'patch'>,
  referralId: string,
  operations: JsonPatchOperation[],
  eTag: string | null,
): Promise<PatchOutcome> {
  try {
    const result = await referrals.patch(referralId, operations, eTag ? { ifMatch: eTag } : {});
    return { kind: 'patched', next: normaliseReferralResult(result) };
  } catch (error) {
    if (error instanceof PreconditionFailedError) return { kind: 'precondition-failed', error };
    throw error;
  }
}
