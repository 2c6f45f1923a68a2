import { isAbandonedClaim, newClaimToken } from '../claim-owner';
import {
  byDueTime,
  changedSinceClaim,
  coalescedOutboundValues,
  failureTransition,
  FAILURES_SQL,
  inboxRowValues,
  iso,
  newOutboundValues,
  retrySelection,
  toFailureRecord,
  toInboxItem,
  toOutboundJob,
  toQueuedJob,
  type JobRow,
  type Queue,
} from '../rows';
import type {
  CompletionResult,
  FailureRecord,
  InboxDelivery,
  InboxItem,
  JobFailure,
  JobRef,
  OutboundJob,
  OutboundRequest,
  QueuedJob,
} from '../types';
import type { Sql } from './database';

/**
 * The two queues on Postgres, with the semantics of the SQLite ones (../rows.ts holds the shared
 * rules). Each function runs inside a transaction opened by the caller. What differs is how
 * replicas are kept apart: see `claim`.
 */

/** Advisory lock keys (pg_advisory_xact_lock(int, int)): one claim at a time per queue. */
const CLAIM_LOCK = 0x0c05e;
const QUEUE_LOCK_ID: Record<Queue, number> = { outbound: 1, inbound: 2 };

const UNLOCK = 'locked_by = NULL, locked_at = NULL, locked_until = NULL, claimed_generation = NULL';

async function outboundRow(sql: Sql, opportunityId: string): Promise<JobRow | undefined> {
  const { rows } = await sql.query<JobRow>(
    "SELECT * FROM jobs WHERE queue = 'outbound' AND job_key = $1 FOR UPDATE",
    [opportunityId],
  );
  return rows[0];
}

/** Enqueues or coalesces one outbound request (one row per opportunity, ../rows.ts). */
export async function enqueueOutbound(
  sql: Sql,
  request: OutboundRequest,
  defaultWindowMs: number,
  now: Date,
): Promise<void> {
  let existing = await outboundRow(sql, request.opportunityId);
  if (!existing) {
    const fresh = newOutboundValues(request, defaultWindowMs, now);
    const inserted = await sql.query(
      `INSERT INTO jobs (queue, job_key, subject_id, reason, changed_fields, state, not_before,
                         first_requested_at, last_requested_at, updated_at)
       VALUES ('outbound', $1, $1, $2, $3, 'pending', $4, $5, $5, $6)
       ON CONFLICT (queue, job_key) DO NOTHING`,
      [
        request.opportunityId,
        request.reason,
        JSON.stringify(fresh.fields),
        fresh.notBefore,
        fresh.receivedAt,
        iso(now),
      ],
    );
    if (inserted.rowCount === 1) return;
    // Another replica inserted it between our read and our insert: coalesce into its row.
    existing = await outboundRow(sql, request.opportunityId);
    if (!existing) throw new Error(`outbound job for ${request.opportunityId} vanished`);
  }
  const next = coalescedOutboundValues(existing, request, defaultWindowMs, now);
  await sql.query(
    `UPDATE jobs SET reason = $2, changed_fields = $3, state = 'pending', not_before = $4,
            generation = generation + 1, attempts = $5, permanent = 0, last_error = $6,
            last_requested_at = $7, updated_at = $8
      WHERE id = $1`,
    [
      existing.id,
      next.reason,
      next.fields,
      next.notBefore,
      next.attempts,
      next.lastError,
      next.lastRequestedAt,
      iso(now),
    ],
  );
}

/** Inserts an inbox delivery unless its dedupe key is known (pending, failed or done). */
export async function recordDelivery(
  sql: Sql,
  delivery: InboxDelivery,
  now: Date,
): Promise<boolean> {
  const row = inboxRowValues(delivery);
  const result = await sql.query(
    `INSERT INTO jobs (queue, job_key, subject_id, source, reason, resource_change_utc, body, state,
                       not_before, first_requested_at, last_requested_at, updated_at)
     VALUES ('inbound', $1, $2, $3, $4, $5, $6, 'pending', $7, $7, $7, $8)
     ON CONFLICT (queue, job_key) DO NOTHING`,
    [
      row.key,
      row.referralId,
      row.source,
      row.reason,
      row.changeUtc,
      row.body,
      row.receivedAt,
      iso(now),
    ],
  );
  return result.rowCount === 1;
}

/** Tokens of live claims held by processes on this host that are gone (kill -9, OOM). */
async function deadClaimOwners(sql: Sql, queue: Queue, now: Date): Promise<string[]> {
  const { rows } = await sql.query<{ locked_by: string }>(
    `SELECT DISTINCT locked_by FROM jobs
      WHERE queue = $1 AND locked_by IS NOT NULL AND locked_until > $2`,
    [queue, iso(now)],
  );
  return rows.map((row) => row.locked_by).filter((token) => isAbandonedClaim(token));
}

/**
 * Leases up to `limit` due jobs, at most one per subject and none while another claim on that
 * subject is live (rules as in SQLite). Replicas claim concurrently, so the claim first takes a
 * transaction advisory lock per queue: claims of one queue run one after another (each is one
 * short statement; the work they hand out runs in parallel), and because this is READ COMMITTED
 * the claim statement, which starts after the lock, sees every claim committed before it. Row
 * locks alone (FOR UPDATE SKIP LOCKED) could not give "one per referral": two deliveries for one
 * referral are two rows, and two replicas would each take one.
 */
async function claim(sql: Sql, queue: Queue, limit: number, now: Date, leaseMs: number) {
  await sql.query('SELECT pg_advisory_xact_lock($1, $2)', [CLAIM_LOCK, QUEUE_LOCK_ID[queue]]);
  const dead = await deadClaimOwners(sql, queue, now);
  if (dead.length > 0) {
    await sql.query(`UPDATE jobs SET ${UNLOCK} WHERE queue = $1 AND locked_by = ANY($2)`, [
      queue,
      dead,
    ]);
  }
  const { rows } = await sql.query<JobRow>(
    `UPDATE jobs
        SET locked_by = $1, locked_at = $2, locked_until = $3,
            attempts = attempts + 1, claimed_generation = generation, updated_at = $2
      WHERE id IN (
          SELECT MIN(id) FROM jobs AS due
           WHERE queue = $4 AND state = 'pending' AND not_before <= $2
             AND (locked_until IS NULL OR locked_until <= $2)
             AND NOT EXISTS (
               SELECT 1 FROM jobs AS busy
                WHERE busy.queue = $4 AND busy.subject_id = due.subject_id
                  AND busy.locked_until > $2)
           GROUP BY subject_id
           ORDER BY MIN(not_before), MIN(id)
           LIMIT $5)
        -- Re-checked on the newest row version if a concurrent enqueue or settle changed it.
        AND state = 'pending' AND not_before <= $2
        AND (locked_until IS NULL OR locked_until <= $2)
      RETURNING *`,
    [
      newClaimToken(),
      iso(now),
      iso(new Date(now.getTime() + leaseMs)),
      queue,
      Math.max(0, Math.floor(limit)),
    ],
  );
  return rows.sort(byDueTime);
}

export async function claimOutbound(
  sql: Sql,
  limit: number,
  now: Date,
  leaseMs: number,
): Promise<OutboundJob[]> {
  return (await claim(sql, 'outbound', limit, now, leaseMs)).map(toOutboundJob);
}

export async function claimInbox(
  sql: Sql,
  limit: number,
  now: Date,
  leaseMs: number,
): Promise<InboxItem[]> {
  return (await claim(sql, 'inbound', limit, now, leaseMs)).map(toInboxItem);
}

/** When each of the next `limit` pending jobs becomes claimable (see the SQLite store). */
export async function dueTimes(
  sql: Sql,
  queue: Queue,
  limit: number,
  now: Date,
): Promise<string[]> {
  const dead = await deadClaimOwners(sql, queue, now);
  const { rows } = await sql.query<{ due: string }>(
    `SELECT CASE
              WHEN locked_until IS NULL OR locked_until <= $2 OR locked_by = ANY($3)
                THEN not_before
              ELSE GREATEST(not_before, locked_until)
            END AS due
       FROM jobs
      WHERE queue = $1 AND state = 'pending'
      ORDER BY due
      LIMIT $4`,
    [queue, iso(now), dead, Math.max(0, Math.floor(limit))],
  );
  return rows.map((row) => row.due);
}

/** The row a settlement refers to, locked; `lost` when another claim owns it now. */
async function owned(sql: Sql, queue: Queue, ref: JobRef): Promise<JobRow | 'lost' | 'missing'> {
  const id = typeof ref === 'number' ? ref : ref.id;
  const token = typeof ref === 'number' ? undefined : ref.claimToken;
  const { rows } = await sql.query<JobRow>(
    'SELECT * FROM jobs WHERE id = $1 AND queue = $2 FOR UPDATE',
    [id, queue],
  );
  const row = rows[0];
  if (!row || row.state === 'done') return 'missing';
  if (token !== undefined && row.locked_by !== token) return 'lost';
  return row;
}

export async function completeOutbound(
  sql: Sql,
  ref: JobRef,
  now: Date,
): Promise<CompletionResult> {
  const row = await owned(sql, 'outbound', ref);
  if (typeof row === 'string') return row;
  if (!changedSinceClaim(row)) {
    await sql.query('DELETE FROM jobs WHERE id = $1', [row.id]);
    return 'completed';
  }
  await sql.query(
    `UPDATE jobs SET ${UNLOCK}, attempts = 0, last_error = NULL, permanent = 0, updated_at = $2
      WHERE id = $1`,
    [row.id, iso(now)],
  );
  return 'requeued';
}

export async function completeInbox(
  sql: Sql,
  ref: JobRef,
  now: Date,
  coversEarlier: boolean,
): Promise<CompletionResult> {
  const row = await owned(sql, 'inbound', ref);
  if (typeof row === 'string') return row;
  await sql.query(
    `UPDATE jobs SET ${UNLOCK}, state = 'done', last_error = NULL, completed_at = $2,
            updated_at = $2 WHERE id = $1`,
    [row.id, iso(now)],
  );
  if (!coversEarlier) return 'completed';
  // The worker read the referral's current state after this claim began: that answers the
  // other unclaimed deliveries for the referral received before then.
  await sql.query(
    `UPDATE jobs SET state = 'done', last_error = NULL, completed_at = $2, updated_at = $2
      WHERE queue = 'inbound' AND subject_id = $1 AND state IN ('pending', 'failed')
        AND first_requested_at <= $3
        AND (locked_until IS NULL OR locked_until <= $2)`,
    [row.subject_id, iso(now), row.locked_at ?? iso(now)],
  );
  return 'completed';
}

async function fail(
  sql: Sql,
  queue: Queue,
  ref: JobRef,
  failure: JobFailure,
  now: Date,
): Promise<CompletionResult> {
  const row = await owned(sql, queue, ref);
  if (typeof row === 'string') return row;
  const next = failureTransition(row, failure, now);
  await sql.query(
    `UPDATE jobs SET ${UNLOCK}, state = $2, permanent = $3, last_error = $4, attempts = $5,
            not_before = $6, updated_at = $7 WHERE id = $1`,
    [row.id, next.state, next.permanent, failure.error, next.attempts, next.notBefore, iso(now)],
  );
  return next.result;
}

export const failOutbound = (sql: Sql, ref: JobRef, failure: JobFailure, now: Date) =>
  fail(sql, 'outbound', ref, failure, now);
export const failInbox = (sql: Sql, ref: JobRef, failure: JobFailure, now: Date) =>
  fail(sql, 'inbound', ref, failure, now);

export async function getOutbound(sql: Sql, opportunityId: string): Promise<QueuedJob | undefined> {
  const { rows } = await sql.query<JobRow>(
    "SELECT * FROM jobs WHERE queue = 'outbound' AND job_key = $1",
    [opportunityId],
  );
  return rows[0] && toQueuedJob(rows[0]);
}

export async function listFailures(sql: Sql): Promise<FailureRecord[]> {
  const { rows } = await sql.query<JobRow>(
    `SELECT * FROM jobs WHERE ${FAILURES_SQL} ORDER BY updated_at DESC, id DESC`,
  );
  return rows.map(toFailureRecord);
}

export async function inboundFailing(sql: Sql, referralId: string): Promise<boolean> {
  const { rowCount } = await sql.query(
    `SELECT 1 FROM jobs WHERE subject_id = $1 AND queue = 'inbound' AND ${FAILURES_SQL} LIMIT 1`,
    [referralId],
  );
  return (rowCount ?? 0) > 0;
}

export async function retryFailures(
  sql: Sql,
  selection: { ids?: readonly (number | string)[]; all?: boolean },
  now: Date,
): Promise<number> {
  const ids = selection.ids ?? [];
  if (!selection.all && ids.length === 0) return 0;
  const { numeric, text } = retrySelection(ids);
  const result = await sql.query(
    `UPDATE jobs SET state = 'pending', permanent = 0, attempts = 0, last_error = NULL,
            not_before = $1, updated_at = $1
      WHERE ${FAILURES_SQL} AND (locked_until IS NULL OR locked_until <= $1)
        AND ($2 OR id = ANY($3::bigint[]) OR subject_id = ANY($4::text[]))`,
    [iso(now), selection.all === true, numeric, text],
  );
  return result.rowCount ?? 0;
}

export async function queueCounts(sql: Sql, now: Date) {
  const { rows } = await sql.query<Record<string, number>>(
    `SELECT
       COUNT(*) FILTER (WHERE queue = 'outbound' AND state = 'pending') AS "outboundPending",
       COUNT(*) FILTER (WHERE queue = 'outbound' AND state = 'pending' AND not_before <= $1)
         AS "outboundDue",
       COUNT(*) FILTER (WHERE queue = 'inbound' AND state = 'pending') AS "inboxPending",
       COUNT(*) FILTER (WHERE state = 'failed') AS failed
     FROM jobs`,
    [iso(now)],
  );
  const row = rows[0] ?? {};
  return {
    outboundPending: row.outboundPending ?? 0,
    outboundDue: row.outboundDue ?? 0,
    inboxPending: row.inboxPending ?? 0,
    failed: row.failed ?? 0,
  };
}

export async function pruneInbox(sql: Sql, before: Date): Promise<number> {
  const result = await sql.query(
    "DELETE FROM jobs WHERE queue = 'inbound' AND state = 'done' AND completed_at < $1",
    [iso(before)],
  );
  return result.rowCount ?? 0;
}
