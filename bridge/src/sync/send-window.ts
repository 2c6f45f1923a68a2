/**
 * Pure (clock passed in): when an opportunity's change should be sent, so that a lone edit pays
 * no waiting and a burst still costs at most two Partner Center calls (R1).
 *
 * Leading + trailing edge, per opportunity (a debounce that also fires on its leading edge):
 * the first change of a quiet opportunity (no change for a whole window) is due at once. A
 * change that follows within the window of the previous one is due one window after it, and
 * each further change moves that time on, so the rest of a burst rides on one send after the
 * burst ends: a 50-edit burst is the first edit, then the other 49 together. A steady stream
 * that never pauses for a window is still sent every `maxWaitMs` at the latest.
 *
 * The store merges a change into a job that is already due (the leading send not claimed yet)
 * without delaying it, and moves a job not yet due to the newer time (sqlite/jobs.ts).
 *
 * The memory is per process and best effort: after a restart the first change is simply a
 * leading edge again (one more call at most); entries quiet for a window are forgotten.
 */
export interface SendWindow {
  /** When a change to `opportunityId` that arrived at `now` (epoch ms) should be sent. */
  dueAt(opportunityId: string, now: number): number;
}

interface Burst {
  /** When the burst's leading change arrived. */
  startedAt: number;
  /** When its latest change arrived. */
  lastAt: number;
}

export function createSendWindow(windowMs: number, maxWaitMs = 5 * windowMs): SendWindow {
  const bursts = new Map<string, Burst>();
  let nextPruneAt = 0;

  function prune(now: number) {
    if (now < nextPruneAt) return;
    nextPruneAt = now + Math.max(windowMs, 1_000);
    for (const [id, burst] of bursts) if (now - burst.lastAt >= windowMs) bursts.delete(id);
  }

  return {
    dueAt(opportunityId, now) {
      prune(now);
      const burst = bursts.get(opportunityId);
      if (burst === undefined || now - burst.lastAt >= windowMs) {
        bursts.set(opportunityId, { startedAt: now, lastAt: now }); // quiet: leading edge
        return now;
      }
      burst.lastAt = now;
      return Math.min(now + windowMs, burst.startedAt + maxWaitMs); // trailing edge
    },
  };
}
