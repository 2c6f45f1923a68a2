import { toHeartbeat, type HeartbeatRow } from '../rows';
import type { BridgeHeartbeat, ReplayCursor } from '../types';
import type { Sql } from './database';

/** Small keyed state: replay cursors, watermarks, idempotency keys, API counters, heartbeats. */

export async function getReplayId(sql: Sql, channel: string): Promise<number | undefined> {
  const { rows } = await sql.query<{ replay_id: number }>(
    'SELECT replay_id FROM replay_cursors WHERE channel = $1',
    [channel],
  );
  return rows[0]?.replay_id;
}

export async function setReplayId(sql: Sql, channel: string, replayId: number, now: Date) {
  await sql.query(
    `INSERT INTO replay_cursors (channel, replay_id, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (channel) DO UPDATE SET replay_id = excluded.replay_id,
       updated_at = excluded.updated_at`,
    [channel, replayId, now.toISOString()],
  );
}

export async function replayCursors(sql: Sql): Promise<ReplayCursor[]> {
  const { rows } = await sql.query<{ channel: string; replay_id: number; updated_at: string }>(
    'SELECT channel, replay_id, updated_at FROM replay_cursors ORDER BY channel',
  );
  return rows.map((row) => ({
    channel: row.channel,
    replayId: row.replay_id,
    updatedAt: row.updated_at,
  }));
}

export async function getWatermark(sql: Sql, name: string): Promise<string | undefined> {
  const { rows } = await sql.query<{ value: string }>(
    'SELECT value FROM watermarks WHERE name = $1',
    [name],
  );
  return rows[0]?.value;
}

export async function setWatermark(sql: Sql, name: string, value: string, now: Date) {
  await sql.query(
    `INSERT INTO watermarks (name, value, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    [name, value, now.toISOString()],
  );
}

/** One statement, so two replicas advancing at once still never move it back. */
export async function advanceWatermark(
  sql: Sql,
  name: string,
  value: string,
  now: Date,
): Promise<string> {
  await sql.query(
    `INSERT INTO watermarks (name, value, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
       WHERE watermarks.value < excluded.value`,
    [name, value, now.toISOString()],
  );
  return (await getWatermark(sql, name)) ?? value;
}

export async function rememberIdempotencyKey(sql: Sql, key: string, value: string, now: Date) {
  const inserted = await sql.query(
    `INSERT INTO idempotency_keys (key, value, created_at) VALUES ($1, $2, $3)
     ON CONFLICT (key) DO NOTHING`,
    [key, value, now.toISOString()],
  );
  if (inserted.rowCount === 1) return { created: true, value };
  return { created: false, value: (await getIdempotencyKey(sql, key)) ?? value };
}

export async function getIdempotencyKey(sql: Sql, key: string): Promise<string | undefined> {
  const { rows } = await sql.query<{ value: string }>(
    'SELECT value FROM idempotency_keys WHERE key = $1',
    [key],
  );
  return rows[0]?.value;
}

export async function countApiCall(sql: Sql, api: string, day: string, count: number) {
  const { rows } = await sql.query<{ count: number }>(
    `INSERT INTO api_calls (day, api, count) VALUES ($1, $2, $3)
     ON CONFLICT (day, api) DO UPDATE SET count = api_calls.count + excluded.count
     RETURNING count`,
    [day, api, count],
  );
  return rows[0]!.count;
}

/**
 * The budget check and the count in ONE statement: replicas reserving at the same moment are
 * serialised by the row lock, so together they never pass the shared daily budget (R1).
 */
export async function reserveApiCalls(
  sql: Sql,
  api: string,
  day: string,
  limit: number,
  count: number,
): Promise<{ granted: boolean; total: number }> {
  if (count > limit) return { granted: false, total: (await apiCallsFor(sql, day))[api] ?? 0 };
  const { rows } = await sql.query<{ count: number }>(
    `INSERT INTO api_calls (day, api, count) VALUES ($1, $2, $3)
     ON CONFLICT (day, api) DO UPDATE SET count = api_calls.count + excluded.count
       WHERE api_calls.count + excluded.count <= $4
     RETURNING count`,
    [day, api, count, limit],
  );
  if (rows[0]) return { granted: true, total: rows[0].count };
  return { granted: false, total: (await apiCallsFor(sql, day))[api] ?? 0 };
}

export async function apiCallsFor(sql: Sql, day: string): Promise<Record<string, number>> {
  const { rows } = await sql.query<{ api: string; count: number }>(
    'SELECT api, count FROM api_calls WHERE day = $1',
    [day],
  );
  return Object.fromEntries(rows.map((row) => [row.api, row.count]));
}

export async function pruneIdempotencyKeys(sql: Sql, before: Date): Promise<number> {
  const result = await sql.query('DELETE FROM idempotency_keys WHERE created_at < $1', [
    before.toISOString(),
  ]);
  return result.rowCount ?? 0;
}

export async function recordHeartbeat(sql: Sql, beat: BridgeHeartbeat) {
  await sql.query(
    `INSERT INTO bridge_heartbeats (owner, host, pid, started_at, beat_at)
       VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (owner) DO UPDATE SET beat_at = excluded.beat_at`,
    [beat.owner, beat.host, beat.pid, beat.startedAt, beat.beatAt],
  );
}

export async function clearHeartbeat(sql: Sql, owner: string) {
  await sql.query('DELETE FROM bridge_heartbeats WHERE owner = $1', [owner]);
}

export async function heartbeats(sql: Sql): Promise<BridgeHeartbeat[]> {
  const { rows } = await sql.query<HeartbeatRow>(
    'SELECT * FROM bridge_heartbeats ORDER BY beat_at DESC, owner',
  );
  return rows.map(toHeartbeat);
}
