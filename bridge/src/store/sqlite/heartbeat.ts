import type { DatabaseSync } from 'node:sqlite';
import { toHeartbeat, type HeartbeatRow } from '../rows';
import type { BridgeHeartbeat } from '../types';
import { isGoneLocalProcess } from '../claim-owner';

export function recordHeartbeat(db: DatabaseSync, beat: BridgeHeartbeat): void {
  db.prepare(
    `INSERT INTO bridge_heartbeats (owner, host, pid, started_at, beat_at)
       VALUES (:owner, :host, :pid, :startedAt, :beatAt)
     ON CONFLICT (owner) DO UPDATE SET beat_at = excluded.beat_at`,
  ).run({ ...beat });
}

export function clearHeartbeat(db: DatabaseSync, owner: string): void {
  db.prepare('DELETE FROM bridge_heartbeats WHERE owner = ?').run(owner);
}

/** Newest beat first. */
export function heartbeats(db: DatabaseSync): BridgeHeartbeat[] {
  const rows = db
    .prepare('SELECT * FROM bridge_heartbeats ORDER BY beat_at DESC, owner')
    .all() as unknown as HeartbeatRow[];
  return rows.map(toHeartbeat);
}

/** Run inside a write transaction: see StateStore.claimSoleInstance. */
export function claimSoleInstance(
  db: DatabaseSync,
  beat: BridgeHeartbeat,
  staleMs: number,
): BridgeHeartbeat | null {
  const freshSince = Date.parse(beat.beatAt) - staleMs;
  const other = heartbeats(db).find(
    (row) =>
      row.owner !== beat.owner &&
      Date.parse(row.beatAt) >= freshSince &&
      !isGoneLocalProcess(row.host, row.pid),
  );
  if (other) return other;
  recordHeartbeat(db, beat);
  return null;
}
