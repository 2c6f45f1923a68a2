import {
  expiresAt,
  leaseDecision,
  LeaseLostError,
  RELEASED_AT,
  toLease,
  toLeaseStatus,
  type LeaseRow,
} from '../lease-rules';
import type { Lease, LeaseFence, LeaseStatus } from '../types';
import type { Sql } from './database';

/**
 * Leases on the DATABASE's clock: replicas on different hosts compare expiry against one clock,
 * so host clock skew cannot make two of them think they hold the same lease.
 */
export async function databaseNow(sql: Sql): Promise<string> {
  const { rows } = await sql.query<{ now: string }>(
    `SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS now`,
  );
  return rows[0]!.now;
}

/** Run inside a transaction: the row lock makes two replicas' attempts take turns. */
export async function acquireLease(
  sql: Sql,
  name: string,
  holder: string,
  ttlMs: number,
): Promise<Lease | undefined> {
  // Make sure the row exists so FOR UPDATE has something to lock (token 0 = never held).
  await sql.query(
    `INSERT INTO leases (name, holder, token, acquired_at, expires_at) VALUES ($1, '', 0, $2, $2)
     ON CONFLICT (name) DO NOTHING`,
    [name, RELEASED_AT],
  );
  const { rows } = await sql.query<LeaseRow>('SELECT * FROM leases WHERE name = $1 FOR UPDATE', [
    name,
  ]);
  const row = rows[0]!;
  const nowIso = await databaseNow(sql);
  const decision = leaseDecision(row.token === 0 ? undefined : row, holder, nowIso);
  if (decision === 'held') return undefined;
  if (decision === 'renew') return renewLease(sql, { name, token: row.token }, ttlMs);
  const taken = await sql.query<LeaseRow>(
    `UPDATE leases SET holder = $2, token = token + 1, acquired_at = $3, expires_at = $4
      WHERE name = $1 RETURNING *`,
    [name, holder, nowIso, expiresAt(nowIso, ttlMs)],
  );
  return toLease(taken.rows[0]!);
}

export async function renewLease(
  sql: Sql,
  fence: LeaseFence,
  ttlMs: number,
): Promise<Lease | undefined> {
  const nowIso = await databaseNow(sql);
  const { rows } = await sql.query<LeaseRow>(
    `UPDATE leases SET expires_at = $3 WHERE name = $1 AND token = $2 AND expires_at > $4
     RETURNING *`,
    [fence.name, fence.token, expiresAt(nowIso, ttlMs), RELEASED_AT],
  );
  return rows[0] && toLease(rows[0]);
}

export async function releaseLease(sql: Sql, fence: LeaseFence): Promise<void> {
  await sql.query('UPDATE leases SET expires_at = $3 WHERE name = $1 AND token = $2', [
    fence.name,
    fence.token,
    RELEASED_AT,
  ]);
}

/**
 * Throws LeaseLostError unless `fence` is the current, unexpired lease. FOR SHARE holds the row
 * until our commit, so a takeover (an UPDATE of that row) waits for this write to finish or
 * happens wholly before it: a stale holder cannot commit after its successor took over.
 */
export async function checkFence(sql: Sql, fence: LeaseFence): Promise<void> {
  const { rows } = await sql.query<LeaseRow>('SELECT * FROM leases WHERE name = $1 FOR SHARE', [
    fence.name,
  ]);
  const row = rows[0];
  if (!row || row.token !== fence.token || row.expires_at <= (await databaseNow(sql))) {
    throw new LeaseLostError(fence.name, fence.token);
  }
}

export async function leases(sql: Sql): Promise<LeaseStatus[]> {
  const { rows } = await sql.query<LeaseRow>('SELECT * FROM leases WHERE token > 0 ORDER BY name');
  const nowIso = await databaseNow(sql);
  return rows.map((row) => toLeaseStatus(row, nowIso));
}
