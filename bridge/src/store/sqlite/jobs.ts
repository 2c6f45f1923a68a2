import type { DatabaseSync } from 'node:sqlite';
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
import {
  byDueTime,
  changedSinceClaim,
  coalescedOutboundValues,
  failureTransition,
  FAILURES_SQL,
  iso,
  newOutboundValues,
  retrySelection,
  toFailureRecord,
  inboxRowValues,
  toInboxItem,
  toOutboundJob,
  toQueuedJob,
  type JobRow,
  type Queue,
} from '../rows';
import { isAbandonedClaim, newClaimToken } from '../claim-owner';
import type { Row } from './database';

/**
 * Both work queues live in one `jobs` table (see migration 1). These functions run inside a
 * transaction opened by the caller; each is one operation on the queue.
 */

/**
 * Enqueues (or coalesces) one outbound request. One row per opportunity:
 * - none yet → a pending row due at `notBefore`;
 * - pending, waiting → the newer request replaces the due time (the rest of a burst rides on
 *   one trailing send, sync/send-window.ts), unless the row is already due: then it keeps its
 *   time and the change rides on that send (a leading edge not claimed yet);
 * - pending, backing off after a transient error → its later retry time is kept;
 * - failed (permanent) → a data change is exactly what it waited for: pending, fresh attempts;
 * - claimed right now → `generation` moves on, so completing the running claim leaves it queued.
 */
export function enqueueOutbound(
  db: DatabaseSync,
  request: OutboundRequest,
  defaultWindowMs: number,
  now: Date,
): void {
  const existing = db
    .prepare("SELECT * FROM jobs WHERE queue = 'outbound' AND job_key = ?")
    .get(request.opportunityId) as JobRow | undefined;
  if (!existing) {
    const fresh = newOutboundValues(request, defaultWindowMs, now);
    db.prepare(
      `INSERT INTO jobs (queue, job_key, subject_id, reason, changed_fields, state, not_before,
                         first_requested_at, last_requested_at, updated_at)
       VALUES ('outbound', :id, :id, :reason, :fields, 'pending', :notBefore, :at, :at, :now)`,
    ).run({
      id: request.opportunityId,
      reason: request.reason,
      fields: JSON.stringify(fresh.fields),
      notBefore: fresh.notBefore,
      at: fresh.receivedAt,
      now: iso(now),
    });
    return;
  }
  const next = coalescedOutboundValues(existing, request, defaultWindowMs, now);
  db.prepare(
    `UPDATE jobs SET reason = :reason, changed_fields = :fields, state = 'pending',
            not_before = :notBefore, generation = generation + 1,
            attempts = :attempts, permanent = 0, last_error = :lastError,
            last_requested_at = :lastRequestedAt, updated_at = :now
      WHERE id = :id`,
  ).run({ id: existing.id, ...next, now: iso(now) });
}

/** Inserts an inbox delivery unless its dedupe key is known (pending, failed or done). */
export function recordDelivery(db: DatabaseSync, delivery: InboxDelivery, now: Date): boolean {
  const result = db
    .prepare(
      `INSERT INTO jobs (queue, job_key, subject_id, source, reason, resource_change_utc, body,
                         state, not_before, first_requested_at, last_requested_at, updated_at)
       VALUES ('inbound', :key, :referralId, :source, :reason, :changeUtc, :body, 'pending',
               :receivedAt, :receivedAt, :receivedAt, :now)
       ON CONFLICT (queue, job_key) DO NOTHING`,
    )
    .run({ ...inboxRowValues(delivery), now: iso(now) });
  return Number(result.changes) === 1;
}

/** Claims whose process is gone (see claim-owner.ts) are due again at once. */
function releaseClaimsOfDeadProcesses(db: DatabaseSync, queue: Queue, now: Date): void {
  const owners = db
    .prepare(
      `SELECT DISTINCT locked_by FROM jobs
        WHERE queue = ? AND locked_by IS NOT NULL AND locked_until > ?`,
    )
    .all(queue, iso(now)) as Array<{ locked_by: string }>;
  for (const { locked_by: token } of owners) {
    if (!isAbandonedClaim(token)) continue;
    db.prepare(`UPDATE jobs SET ${UNLOCK} WHERE queue = ? AND locked_by = ?`).run(queue, token);
  }
}

/**
 * Leases up to `limit` due jobs, oldest due first. A row whose lease has expired is due again:
 * that is how work held by a crashed process comes back. Attempts count claims, so a job that
 * crashes the process every time still runs out of attempts.
 *
 * At most one job per subject is claimed, and none while another claim on that subject is live:
 * two workers applying the same referral at once could apply its states out of order. (Outbound
 * rows are already one per opportunity.)
 */
function claim(db: DatabaseSync, queue: Queue, limit: number, now: Date, leaseMs: number) {
  releaseClaimsOfDeadProcesses(db, queue, now);
  const token = newClaimToken();
  const rows = db
    .prepare(
      `UPDATE jobs
          SET locked_by = :token, locked_at = :now, locked_until = :until,
              attempts = attempts + 1, claimed_generation = generation, updated_at = :now
        WHERE id IN (
          SELECT MIN(id) FROM jobs AS due
           WHERE queue = :queue AND state = 'pending' AND not_before <= :now
             AND (locked_until IS NULL OR locked_until <= :now)
             AND NOT EXISTS (
               SELECT 1 FROM jobs AS busy
                WHERE busy.queue = :queue AND busy.subject_id = due.subject_id
                  AND busy.locked_until > :now)
           GROUP BY subject_id
           ORDER BY MIN(not_before), MIN(id)
           LIMIT :limit)
        RETURNING *`,
    )
    .all({
      token,
      queue,
      now: iso(now),
      until: iso(new Date(now.getTime() + leaseMs)),
      limit: Math.max(0, Math.floor(limit)),
    }) as unknown as JobRow[];
  return rows.sort(byDueTime);
}

/**
 * When each of the next `limit` pending jobs of a queue becomes claimable, earliest first: its
 * `not_before`, or the end of a live lease held by a running process (a dead process's lease
 * does not count: the next claim releases it). The work loops sleep until the first of these
 * instead of polling, and the outbound loop uses the first `batchSize` to fill its batches.
 */
export function dueTimes(db: DatabaseSync, queue: Queue, limit: number, now: Date): string[] {
  const owners = db
    .prepare(
      `SELECT DISTINCT locked_by FROM jobs
        WHERE queue = ? AND state = 'pending' AND locked_by IS NOT NULL AND locked_until > ?`,
    )
    .all(queue, iso(now)) as Array<{ locked_by: string }>;
  const dead = owners.map((o) => o.locked_by).filter((token) => isAbandonedClaim(token));
  const rows = db
    .prepare(
      `SELECT CASE
                WHEN locked_until IS NULL OR locked_until <= :now
                  OR locked_by IN (SELECT value FROM json_each(:dead)) THEN not_before
                ELSE MAX(not_before, locked_until)
              END AS due
         FROM jobs
        WHERE queue = :queue AND state = 'pending'
        ORDER BY due
        LIMIT :limit`,
    )
    .all({
      queue,
      now: iso(now),
      dead: JSON.stringify(dead),
      limit: Math.max(0, Math.floor(limit)),
    }) as Array<{ due: string }>;
  return rows.map((row) => row.due);
}

export function claimOutbound(
  db: DatabaseSync,
  limit: number,
  now: Date,
  leaseMs: number,
): OutboundJob[] {
  return claim(db, 'outbound', limit, now, leaseMs).map(toOutboundJob);
}

export function claimInbox(
  db: DatabaseSync,
  limit: number,
  now: Date,
  leaseMs: number,
): InboxItem[] {
  return claim(db, 'inbound', limit, now, leaseMs).map(toInboxItem);
}

/**
 * Finds the row a completion/failure refers to. With a claim token, a claim that lost its lease
 * to another worker is refused (`lost`): that worker now owns the job.
 */
function owned(db: DatabaseSync, queue: Queue, ref: JobRef): JobRow | 'lost' | 'missing' {
  const id = typeof ref === 'number' ? ref : ref.id;
  const token = typeof ref === 'number' ? undefined : ref.claimToken;
  const row = db.prepare('SELECT * FROM jobs WHERE id = ? AND queue = ?').get(id, queue) as
    JobRow | undefined;
  if (!row || row.state === 'done') return 'missing';
  if (token !== undefined && row.locked_by !== token) return 'lost';
  return row;
}

const UNLOCK = 'locked_by = NULL, locked_at = NULL, locked_until = NULL, claimed_generation = NULL';

export function completeOutbound(db: DatabaseSync, ref: JobRef, now: Date): CompletionResult {
  const row = owned(db, 'outbound', ref);
  if (typeof row === 'string') return row;
  if (!changedSinceClaim(row)) {
    db.prepare('DELETE FROM jobs WHERE id = ?').run(row.id);
    return 'completed';
  }
  // A newer change arrived while this ran: the job stays, due at the newer request's time.
  db.prepare(
    `UPDATE jobs SET ${UNLOCK}, attempts = 0, last_error = NULL, permanent = 0,
            updated_at = ? WHERE id = ?`,
  ).run(iso(now), row.id);
  return 'requeued';
}

export function completeInbox(
  db: DatabaseSync,
  ref: JobRef,
  now: Date,
  coversEarlier: boolean,
): CompletionResult {
  const row = owned(db, 'inbound', ref);
  if (typeof row === 'string') return row;
  db.prepare(
    `UPDATE jobs SET ${UNLOCK}, state = 'done', last_error = NULL, completed_at = :now,
            updated_at = :now WHERE id = :id`,
  ).run({ id: row.id, now: iso(now) });
  if (!coversEarlier) return 'completed';
  // The worker read the referral's current state after this claim began, which also answers
  // every other unclaimed delivery for the referral received before then.
  db.prepare(
    `UPDATE jobs SET state = 'done', last_error = NULL, completed_at = :now, updated_at = :now
      WHERE queue = 'inbound' AND subject_id = :referralId AND state IN ('pending', 'failed')
        AND first_requested_at <= :claimedAt
        AND (locked_until IS NULL OR locked_until <= :now)`,
  ).run({ referralId: row.subject_id, claimedAt: row.locked_at ?? iso(now), now: iso(now) });
  return 'completed';
}

function fail(
  db: DatabaseSync,
  queue: Queue,
  ref: JobRef,
  failure: JobFailure,
  now: Date,
): CompletionResult {
  const row = owned(db, queue, ref);
  if (typeof row === 'string') return row;
  const next = failureTransition(row, failure, now);
  db.prepare(
    `UPDATE jobs SET ${UNLOCK}, state = :state, permanent = :permanent, last_error = :error,
            attempts = :attempts, not_before = :notBefore, updated_at = :now WHERE id = :id`,
  ).run({
    id: row.id,
    state: next.state,
    permanent: next.permanent,
    error: failure.error,
    attempts: next.attempts,
    notBefore: next.notBefore,
    now: iso(now),
  });
  return next.result;
}

export function failOutbound(db: DatabaseSync, ref: JobRef, failure: JobFailure, now: Date) {
  return fail(db, 'outbound', ref, failure, now);
}

export function failInbox(db: DatabaseSync, ref: JobRef, failure: JobFailure, now: Date) {
  return fail(db, 'inbound', ref, failure, now);
}

export function getOutbound(db: DatabaseSync, opportunityId: string): QueuedJob | undefined {
  const row = db
    .prepare("SELECT * FROM jobs WHERE queue = 'outbound' AND job_key = ?")
    .get(opportunityId) as JobRow | undefined;
  return row && toQueuedJob(row);
}

export function listFailures(db: DatabaseSync): FailureRecord[] {
  const rows = db
    .prepare(`SELECT * FROM jobs WHERE ${FAILURES_SQL} ORDER BY updated_at DESC, id DESC`)
    .all() as unknown as JobRow[];
  return rows.map(toFailureRecord);
}

export function inboundFailing(db: DatabaseSync, referralId: string): boolean {
  return (
    db
      .prepare(
        `SELECT 1 FROM jobs WHERE subject_id = ? AND queue = 'inbound' AND ${FAILURES_SQL} LIMIT 1`,
      )
      .get(referralId) !== undefined
  );
}

/** Failures (not in flight) become due now with fresh attempts; returns how many. */
export function retryFailures(
  db: DatabaseSync,
  selection: { ids?: readonly (number | string)[]; all?: boolean },
  now: Date,
): number {
  const ids = selection.ids ?? [];
  if (!selection.all && ids.length === 0) return 0;
  const { numeric, text } = retrySelection(ids);
  const filter = selection.all
    ? '1 = 1'
    : `(id IN (SELECT value FROM json_each(:numeric)) OR subject_id IN (SELECT value FROM json_each(:text)))`;
  const result = db
    .prepare(
      `UPDATE jobs SET state = 'pending', permanent = 0, attempts = 0, last_error = NULL,
              not_before = :now, updated_at = :now
        WHERE ${FAILURES_SQL} AND (locked_until IS NULL OR locked_until <= :now) AND ${filter}`,
    )
    .run({
      now: iso(now),
      ...(selection.all ? {} : { numeric: JSON.stringify(numeric), text: JSON.stringify(text) }),
    });
  return Number(result.changes);
}

export function queueCounts(db: DatabaseSync, now: Date) {
  const row = db
    .prepare(
      `SELECT
         SUM(queue = 'outbound' AND state = 'pending') AS outboundPending,
         SUM(queue = 'outbound' AND state = 'pending' AND not_before <= :now) AS outboundDue,
         SUM(queue = 'inbound' AND state = 'pending') AS inboxPending,
         SUM(state = 'failed') AS failed
       FROM jobs`,
    )
    .get({ now: iso(now) }) as Row;
  return {
    outboundPending: Number(row.outboundPending ?? 0),
    outboundDue: Number(row.outboundDue ?? 0),
    inboxPending: Number(row.inboxPending ?? 0),
    failed: Number(row.failed ?? 0),
  };
}

export function pruneInbox(db: DatabaseSync, before: Date): number {
  const result = db
    .prepare("DELETE FROM jobs WHERE queue = 'inbound' AND state = 'done' AND completed_at < ?")
    .run(iso(before));
  return Number(result.changes);
}
