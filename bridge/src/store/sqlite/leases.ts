import type { DatabaseSync } from 'node:sqlite';
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

/** Leases on the host clock (one machine shares one SQLite file). Run inside a transaction. */

function leaseRow(db: DatabaseSync, name: string): LeaseRow | undefined {
  return db.prepare('SELECT * FROM leases WHERE name = ?').get(name) as LeaseRow | undefined;
}

export function acquireLease(
  db: DatabaseSync,
  name: string,
  holder: string,
  ttlMs: number,
  nowIso: string,
): Lease | undefined {
  const row = leaseRow(db, name);
  const decision = leaseDecision(row, holder, nowIso);
  if (decision === 'held') return undefined;
  const until = expiresAt(nowIso, ttlMs);
  if (decision === 'renew') return renewLease(db, { name, token: row!.token }, ttlMs, nowIso);
  const next = {
    name,
    holder,
    token: (row?.token ?? 0) + 1,
    acquired_at: nowIso,
    expires_at: until,
  };
  db.prepare(
    `INSERT INTO leases (name, holder, token, acquired_at, expires_at)
       VALUES (:name, :holder, :token, :acquired_at, :expires_at)
     ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, token = excluded.token,
       acquired_at = excluded.acquired_at, expires_at = excluded.expires_at`,
  ).run(next);
  return toLease(next);
}

export function renewLease(
  db: DatabaseSync,
  fence: LeaseFence,
  ttlMs: number,
  nowIso: string,
): Lease | undefined {
  const row = db
    .prepare(
      `UPDATE leases SET expires_at = ? WHERE name = ? AND token = ? AND expires_at > ?
       RETURNING *`,
    )
    .get(expiresAt(nowIso, ttlMs), fence.name, fence.token, RELEASED_AT) as LeaseRow | undefined;
  return row && toLease(row);
}

export function releaseLease(db: DatabaseSync, fence: LeaseFence): void {
  db.prepare('UPDATE leases SET expires_at = ? WHERE name = ? AND token = ?').run(
    RELEASED_AT,
    fence.name,
    fence.token,
  );
}

/** Throws LeaseLostError unless `fence` is the current, unexpired lease. */
export function checkFence(db: DatabaseSync, fence: LeaseFence, nowIso: string): void {
  const row = leaseRow(db, fence.name);
  if (!row || row.token !== fence.token || row.expires_at <= nowIso) {
    throw new LeaseLostError(fence.name, fence.token);
  }
}

export function leases(db: DatabaseSync, nowIso: string): LeaseStatus[] {
  const rows = db.prepare('SELECT * FROM leases ORDER BY name').all() as unknown as LeaseRow[];
  return rows.map((row) => toLeaseStatus(row, nowIso));
}
