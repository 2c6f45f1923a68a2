import type { DatabaseSync } from 'node:sqlite';
import type { ReplayCursor } from '../types';

/** Small keyed state: replay cursors, watermarks, idempotency keys and API call counters. */

export function getReplayId(db: DatabaseSync, channel: string): number | undefined {
  const row = db.prepare('SELECT replay_id FROM replay_cursors WHERE channel = ?').get(channel) as
    { replay_id: number } | undefined;
  return row?.replay_id;
}

export function setReplayId(db: DatabaseSync, channel: string, replayId: number, now: Date): void {
  db.prepare(
    `INSERT INTO replay_cursors (channel, replay_id, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (channel) DO UPDATE SET replay_id = excluded.replay_id,
       updated_at = excluded.updated_at`,
  ).run(channel, replayId, now.toISOString());
}

export function resetReplayId(db: DatabaseSync, channel: string): void {
  db.prepare('DELETE FROM replay_cursors WHERE channel = ?').run(channel);
}

export function replayCursors(db: DatabaseSync): ReplayCursor[] {
  const rows = db
    .prepare('SELECT channel, replay_id, updated_at FROM replay_cursors ORDER BY channel')
    .all() as { channel: string; replay_id: number; updated_at: string }[];
  return rows.map((row) => ({
    channel: row.channel,
    replayId: row.replay_id,
    updatedAt: row.updated_at,
  }));
}

export function getWatermark(db: DatabaseSync, name: string): string | undefined {
  const row = db.prepare('SELECT value FROM watermarks WHERE name = ?').get(name) as
    { value: string } | undefined;
  return row?.value;
}

export function setWatermark(db: DatabaseSync, name: string, value: string, now: Date): void {
  db.prepare(
    `INSERT INTO watermarks (name, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ).run(name, value, now.toISOString());
}

export function advanceWatermark(db: DatabaseSync, name: string, value: string, now: Date): string {
  const current = getWatermark(db, name);
  if (current !== undefined && current >= value) return current;
  setWatermark(db, name, value, now);
  return value;
}

export function rememberIdempotencyKey(db: DatabaseSync, key: string, value: string, now: Date) {
  const inserted = db
    .prepare(
      `INSERT INTO idempotency_keys (key, value, created_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO NOTHING`,
    )
    .run(key, value, now.toISOString());
  if (Number(inserted.changes) === 1) return { created: true, value };
  return { created: false, value: getIdempotencyKey(db, key) ?? value };
}

export function getIdempotencyKey(db: DatabaseSync, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM idempotency_keys WHERE key = ?').get(key) as
    { value: string } | undefined;
  return row?.value;
}

export function pruneIdempotencyKeys(db: DatabaseSync, before: Date): number {
  return Number(
    db.prepare('DELETE FROM idempotency_keys WHERE created_at < ?').run(before.toISOString())
      .changes,
  );
}

export function countApiCall(db: DatabaseSync, api: string, day: string, count: number): number {
  const row = db
    .prepare(
      `INSERT INTO api_calls (day, api, count) VALUES (?, ?, ?)
       ON CONFLICT (day, api) DO UPDATE SET count = count + excluded.count
       RETURNING count`,
    )
    .get(day, api, count) as { count: number };
  return row.count;
}

export function reserveApiCalls(
  db: DatabaseSync,
  api: string,
  day: string,
  limit: number,
  count: number,
): { granted: boolean; total: number } {
  const current = apiCallsFor(db, day)[api] ?? 0;
  if (current + count > limit) return { granted: false, total: current };
  return { granted: true, total: countApiCall(db, api, day, count) };
}

export function apiCallsFor(db: DatabaseSync, day: string): Record<string, number> {
  const rows = db.prepare('SELECT api, count FROM api_calls WHERE day = ?').all(day) as {
    api: string;
    count: number;
  }[];
  return Object.fromEntries(rows.map((row) => [row.api, row.count]));
}
