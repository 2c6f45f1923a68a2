/**
 * Pure: how a claimed batch of inbox deliveries becomes work, one referral at a time.
 */
import { compareInstants } from '../mapping';
import { ReferralSchema, type Referral } from '../schemas';
import type { InboxItem } from '../store';
import { CATCH_UP_EVENT } from './reconcile';

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
    if (item.eventName !== CATCH_UP_EVENT || !item.body) return null;
    let parsed: ReturnType<typeof ReferralSchema.safeParse>;
    try {
      parsed = ReferralSchema.safeParse(JSON.parse(item.body));
    } catch {
      return null;
    }
    if (!parsed.success) return null;
    if (
      newest === null ||
      compareInstants(parsed.data.updatedDateTime, newest.updatedDateTime) > 0
    ) {
      newest = parsed.data;
    }
  }
  return newest;
}
