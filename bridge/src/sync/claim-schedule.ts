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
 *
 * A job's due time is usually the moment its change arrived (the leading edge, send-window.ts),
 * so while a bulk change is still arriving the later deliveries are not queued yet and the rule
 * above cannot see them. A batch that is not full therefore also waits until the intake has been
 * quiet for `quietMs` (CDC deliveries of one bulk change come a few milliseconds apart), still
 * never more than `fillWaitMs` past its first job. A lone edit pays `quietMs`, not a window.
 */
export interface ClaimBatching {
  /** Jobs per claim (the composite write-back limit, ≤ 200). */
  size: number;
  /** How long past the earliest due job a claim may wait for more. 0 = never wait. */
  fillWaitMs: number;
  /** A batch that is not full waits until no change arrived for this long (0 = never). */
  quietMs?: number;
}

/**
 * @param dueTimes epoch ms of the next pending jobs, earliest first (at least `size` of them
 *   when that many are pending).
 * @param lastArrivalAt epoch ms when the intake last queued a change (undefined: unknown).
 * @returns epoch ms of the next claim, or null when nothing is pending.
 */
export function nextClaimAt(
  dueTimes: readonly number[],
  batching: ClaimBatching,
  lastArrivalAt?: number,
): number | null {
  const earliest = dueTimes[0];
  if (earliest === undefined) return null;
  const size = Math.max(1, batching.size);
  let closesAt = earliest;
  let inBatch = 0;
  for (const due of dueTimes.slice(0, size)) {
    if (due - earliest > batching.fillWaitMs) break;
    closesAt = due;
    inBatch += 1;
  }
  if (inBatch < size && lastArrivalAt !== undefined && batching.quietMs) {
    const quietAt = Math.min(lastArrivalAt + batching.quietMs, earliest + batching.fillWaitMs);
    closesAt = Math.max(closesAt, quietAt);
  }
  return closesAt;
}
