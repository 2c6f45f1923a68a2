import type { BridgeHeartbeat } from '../store';

/** Whether a `cosell run` process is running, as its heartbeat in the store tells (pure). */
export type BridgeProcessState =
  | {
      running: true;
      pid: number;
      host: string;
      startedAt: string;
      lastHeartbeat: string;
      ageSeconds: number;
    }
  | {
      running: false;
      /** The newest beat of a process that is gone or silent, if any. */
      lastHeartbeat: string | null;
      pid: number | null;
      host: string | null;
      reason: string;
    };

/**
 * A process is running when its last beat is younger than `staleMs` and, when it lives on this
 * host, its pid still exists (a kill -9 leaves its row behind; a graceful stop removes it).
 */
export function bridgeProcessState(
  beats: readonly BridgeHeartbeat[],
  now: Date,
  options: { staleMs: number; isGone: (host: string, pid: number) => boolean },
): BridgeProcessState {
  const ageMs = (beat: BridgeHeartbeat) => now.getTime() - Date.parse(beat.beatAt);
  const alive = beats.find((b) => ageMs(b) <= options.staleMs && !options.isGone(b.host, b.pid));
  if (alive) {
    return {
      running: true,
      pid: alive.pid,
      host: alive.host,
      startedAt: alive.startedAt,
      lastHeartbeat: alive.beatAt,
      ageSeconds: Math.max(0, Math.round(ageMs(alive) / 1000)),
    };
  }
  const newest = beats[0];
  if (!newest) {
    return {
      running: false,
      lastHeartbeat: null,
      pid: null,
      host: null,
      reason: 'no bridge has recorded a heartbeat in this store',
    };
  }
  return {
    running: false,
    lastHeartbeat: newest.beatAt,
    pid: newest.pid,
    host: newest.host,
    reason: options.isGone(newest.host, newest.pid)
      ? `pid ${newest.pid} on ${newest.host} has exited without stopping (killed or crashed)`
      : `pid ${newest.pid} on ${newest.host} stopped beating ${Math.round(ageMs(newest) / 1000)}s ago`,
  };
}

/** One line for `cosell status`. */
export function describeProcessState(state: BridgeProcessState): string {
  return state.running
    ? `running (pid ${state.pid} on ${state.host}, last heartbeat ${state.lastHeartbeat}, ${state.ageSeconds}s ago)`
    : `not running (${state.reason})`;
}
