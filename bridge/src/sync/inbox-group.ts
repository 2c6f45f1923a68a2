/**
 * Pure: how a claimed batch of inbox deliveries becomes work, one referral at a time.
 */
import { compareInstants } from '../mapping';
import type { Referral } from '../schemas';
import type { InboxItem } from '../store';

/** The claimed deliveries per referral, in claim order (one read serves a referral's group). */
export function groupByReferral(items: readonly InboxItem[]): Map<string, InboxItem[]> {
  const byReferral = new Map<string, InboxItem[]>();
  for (const item of items)
    byReferral.set(item.referralId, [...(byReferral.get(item.referralId) ?? []), item]);
  return byReferral;
}

/**
 * Catch-up items carry the referral as listed; when a group holds only those, the newest listed
 * state is used without another read. A webhook in the group means "changed since": read it.
 */
export function listedReferral(group: readonly InboxItem[]): Referral | null {
  let newest: Referral | null = null;
  for (const item of group) {
    if (item.source !== 'catch-up' || !item.referral) return null;
    if (
      newest === null ||
      compareInstants(item.referral.updatedDateTime, newest.updatedDateTime) > 0
    )
      newest = item.referral;
  }
  return newest;
}
