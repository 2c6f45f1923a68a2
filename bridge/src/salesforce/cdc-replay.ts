/**
 * Pure: replay positions of a CDC subscription, and how the server's refusals read.
 */

/**
 * Subscribe with no stored position at −1 (new events only), not −2 (everything retained): −2
 * replays up to 72 hours of changes made before the bridge was set up, each one a Partner Center
 * call against the daily budget (R1). What −1 leaves out (everything committed before the
 * subscription is acknowledged) is swept by the engine once the stream is live (onNewEventsOnly).
 */
export const REPLAY_NEW_EVENTS_ONLY = -1;

/** `400::The replayId {42} you provided was invalid…` / `…wasn't found using the provided replay ID map…` */
export function isInvalidReplayError(text: string): boolean {
  return /^400::.*replay ?id/is.test(text);
}

/** faye rejects a subscribe with its own `{code, params, message}` object, not an Error. */
export function errorText(error: unknown): string {
  if (typeof error === 'string') return error;
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : JSON.stringify(error);
}

/**
 * Where a (re)subscribe starts: after a refused replay id, new events only (the engine sweeps
 * what lies between); else right after the last durably recorded event; else new events only.
 */
export function replayIdToSubscribe(state: {
  staleReplayId: number | undefined;
  durableReplayId: number | undefined;
}): number {
  return state.staleReplayId !== undefined
    ? REPLAY_NEW_EVENTS_ONLY
    : (state.durableReplayId ?? REPLAY_NEW_EVENTS_ONLY);
}

/**
 * A message is new unless its replay id is at or below what is already queued or recorded
 * (faye re-delivers after a forced resubscribe).
 */
export function isNewReplay(
  replayId: number,
  state: { lastQueuedReplayId: number | undefined; durableReplayId: number | undefined },
): boolean {
  const floor = state.lastQueuedReplayId ?? state.durableReplayId;
  return floor === undefined || replayId > floor;
}
