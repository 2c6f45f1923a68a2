/**
 * One deal's two directions, one at a time (in this process). The inbound worker writes
 * Partner Center's values to Salesforce and only then stores the referral it applied as the new
 * base; an outbound send that read the opportunity between those two steps saw Partner Center's
 * values in Salesforce against the old base, took them for the seller's changes and sent them
 * back, over a newer Microsoft edit when no If-Match guarded the PATCH (found by the replicas
 * chaos run; pinned by bridge/test/sync/apply-send-race.test.ts). An apply holds its deal
 * throughout; an outbound job holds it only while it reads the link and the opportunity, so it
 * reads after an apply in progress has stored its base, and a send stuck on Partner Center never
 * holds an apply back (test/chaos/concurrent-edits.test.ts).
 *
 * Work that re-enters a deal its own async context holds runs at once instead of deadlocking.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface DealLocks {
  /**
   * Runs `work` once nothing else holds this opportunity; `onWait` is called when it must wait
   * for another holder first.
   */
  run<T>(opportunityId: string, work: () => Promise<T>, onWait?: () => void): Promise<T>;
}

export function createDealLocks(): DealLocks {
  /** Per opportunity: settles when the last holder queued so far has finished. */
  const tails = new Map<string, Promise<void>>();
  /** The opportunities the current async context holds (for re-entry). */
  const held = new AsyncLocalStorage<ReadonlySet<string>>();
  return {
    async run(opportunityId, work, onWait) {
      const mine = held.getStore();
      if (mine?.has(opportunityId)) return work();
      const before = tails.get(opportunityId);
      let release!: () => void;
      const done = new Promise<void>((resolve) => (release = resolve));
      const tail = (before ?? Promise.resolve()).then(() => done);
      tails.set(opportunityId, tail);
      try {
        if (before) {
          onWait?.();
          await before;
        }
        return await held.run(new Set([...(mine ?? []), opportunityId]), work);
      } finally {
        release();
        if (tails.get(opportunityId) === tail) tails.delete(opportunityId);
      }
    },
  };
}
