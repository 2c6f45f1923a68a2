/**
 * Pure: when a work loop should next claim, given when its pending jobs become due. The loops
 * sleep until that moment (or a wake-up on enqueue) instead of polling, so a job is claimed at
 * its due time, not up to one poll interval later.
 *
 * Batch filling (outbound): a bulk change reaches the bridge as several CDC deliveries a few
 * milliseconds apart, so its jobs come due a few milliseconds apart too. Claiming at the first
 * due time would send a short batch and cost an extra composite write-back (and the rest of the
 * bulk would then be cut at other boundaries). When a full batch will be due within
 * `fillWaitMs` of the earliest due job, the claim waits for it; otherwise it claims what is due.
 * A job therefore waits at most `fillWaitMs` past its due time, and only when at least a whole
 * batch is queued behind it: a lone edit is never held back.
 */
export interface ClaimBatching {
  /** Jobs per claim (the composite write-back limit, ≤ 200). */
  size: number;
  /** How long past the earliest due job a claim may wait for a full batch. 0 = never wait. */
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
  const fullAt = dueTimes[batching.size - 1];
  if (fullAt !== undefined && fullAt - earliest <= batching.fillWaitMs) return fullAt;
  return earliest;
}
