/**
 * Pure: when a work loop should next claim, given when its pending jobs become due. The loops
 * sleep until that moment (or a wake-up on enqueue) instead of polling, so a job is claimed at
 * its due time, not up to one poll interval later.
 *
 * Batch closing (outbound): changes made together reach the bridge as several CDC deliveries a
 * few milliseconds apart (a bulk switch-on, a seller saving a list view), so their jobs come due
 * a few milliseconds apart too. Claiming at the first due time would send a short batch and pay
 * one more batched read and composite write-back for the rest (a bulk run cut into 11 batches
 * instead of 10; 20 quick edits into 3). A batch therefore closes when it is full or at the last
 * job that comes due within `fillWaitMs` of its first one, whichever is earlier. A job waits at
 * most `fillWaitMs` past its due time, and only when another job is due right behind it: a lone
 * edit is claimed at its due time.
 */
export interface ClaimBatching {
  /** Jobs per claim (the composite write-back limit, ≤ 200). */
  size: number;
  /** How long past the earliest due job a claim may wait for more. 0 = never wait. */
  fillWaitMs: number;
}

/**
 * @param dueTimes epoch ms of the next pending jobs, earliest first (at least `size` of them
 *   when that many are pending).
 * @returns epoch ms of the next claim, or null when nothing is pending.
 */
export function nextClaimAt(dueTimes: readonly number[], batching: ClaimBatching): number | null {
  const earliest = dueTimes[0];
  if (earliest === undefined) return null;
  let closesAt = earliest;
  for (const due of dueTimes.slice(0, Math.max(1, batching.size))) {
    if (due - earliest > batching.fillWaitMs) break;
    closesAt = due;
  }
  return closesAt;
}
