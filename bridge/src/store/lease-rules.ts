/**
 * The lease rules both stores share (the SQL differs, the decisions must not). A lease names one
 * piece of work that exactly one process may do at a time, today the CDC subscription. Each new
 * holder gets a larger token: the fence a stale holder's writes are checked against.
 */
import { BridgeError } from '../errors';
import { isAbandonedClaim } from './claim-owner';
import type { Lease, LeaseStatus } from './types';

/** A fenced write came from a holder whose lease is no longer current: nothing was written. */
export class LeaseLostError extends BridgeError {
  constructor(
    readonly lease: string,
    readonly token: number,
  ) {
    super(
      `the ${lease} lease (token ${token}) is no longer held: another replica took it over or it expired`,
      'bridge',
    );
  }
}

export interface LeaseRow {
  name: string;
  holder: string;
  token: number;
  acquired_at: string;
  expires_at: string;
}

/**
 * What `acquireLease` does with the stored row:
 * - `insert`: never held (token 1);
 * - `renew`: ours and live (same token);
 * - `take`: expired, released, or its holder is a process on this host that is gone (a new token);
 * - `held`: someone else's, live.
 */
export function leaseDecision(
  row: LeaseRow | undefined,
  holder: string,
  nowIso: string,
): 'insert' | 'renew' | 'take' | 'held' {
  if (!row) return 'insert';
  const live = row.expires_at > nowIso;
  if (row.holder === holder && live) return 'renew';
  if (!live || isAbandonedClaim(row.holder)) return 'take';
  return 'held';
}

export const expiresAt = (nowIso: string, ttlMs: number) =>
  new Date(Date.parse(nowIso) + Math.max(1, Math.floor(ttlMs))).toISOString();

/** A released lease keeps its row (and so its token sequence) but is expired. */
export const RELEASED_AT = new Date(0).toISOString();

export function toLease(row: LeaseRow): Lease {
  return { name: row.name, holder: row.holder, token: row.token, expiresAt: row.expires_at };
}

export function toLeaseStatus(row: LeaseRow, nowIso: string): LeaseStatus {
  return { ...toLease(row), acquiredAt: row.acquired_at, live: row.expires_at > nowIso };
}
