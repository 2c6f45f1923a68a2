/**
 * Three-way merge between Salesforce and Partner Center. The common ancestor is the referral as
 * both sides last agreed on it (the link's stored referral). Comparing each side with it says who
 * changed a field since, so a concurrent edit on the other side is never mistaken for a change to
 * undo. Pure: the callers read and write.
 */
import { isDeepStrictEqual } from 'node:util';
import { compareInstants } from '../mapping';
import type { OpportunitySnapshot, Referral } from '../schemas';
import type { SyncMapping } from './mapping-adapter';

export interface MergeOptions {
  /**
   * For a field both sides changed: true when the Salesforce record changed after the referral
   * (record times), so the seller's newer value stays (field ownership: latest change wins).
   */
  salesforceIsNewer?: boolean;
}

/**
 * The inbound fields Partner Center changed. `planned` holds the fields where the referral
 * differs from Salesforce; `fromLastSynced` those where the last synced referral differs from
 * Salesforce, i.e. the fields Salesforce changed since (or never received). A field in both with
 * the same value did not change in Partner Center: the seller changed it and that edit is on its
 * way out, so writing the referral's old value back would lose it (found by the chaos suite). A
 * field in both with different values changed on both sides: the newer side wins.
 */
export function changedInPartnerCenter(
  planned: Record<string, unknown>,
  fromLastSynced: Record<string, unknown> | null,
  options: MergeOptions = {},
): Record<string, unknown> {
  if (!fromLastSynced) return planned;
  return Object.fromEntries(
    Object.entries(planned).filter(([field, value]) => {
      if (!(field in fromLastSynced)) return true;
      const changedOnBothSides = !isDeepStrictEqual(fromLastSynced[field], value);
      return changedOnBothSides && !options.salesforceIsNewer;
    }),
  );
}

/** True when the opportunity was modified after the referral (a tie goes to Partner Center). */
export function salesforceIsNewer(referral: Referral, snapshot: OpportunitySnapshot): boolean {
  if (!referral.updatedDateTime || !snapshot.lastModifiedDate) return false;
  return compareInstants(snapshot.lastModifiedDate, referral.updatedDateTime) > 0;
}

/**
 * The Salesforce fields to write so the opportunity takes what Partner Center changed in
 * `referral` since `lastSynced` (null: nothing synced yet, so everything that differs).
 */
export function partnerCenterChanges(
  mapping: Pick<SyncMapping, 'planInbound'>,
  referral: Referral,
  lastSynced: Referral | null | undefined,
  snapshot: OpportunitySnapshot,
): {
  fields: Record<string, unknown>;
  warnings: ReturnType<SyncMapping['planInbound']>['warnings'];
} {
  const planned = mapping.planInbound(referral, snapshot);
  const fields = changedInPartnerCenter(
    planned.updates,
    lastSynced ? mapping.planInbound(lastSynced, snapshot).updates : null,
    { salesforceIsNewer: salesforceIsNewer(referral, snapshot) },
  );
  return { fields, warnings: planned.warnings };
}
