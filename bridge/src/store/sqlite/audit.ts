import type { DatabaseSync } from 'node:sqlite';
import { toAuditEvent, toJournalEntry, toNewsItem, type AuditRow } from '../rows';
import type { AuditEvent } from '../../schemas';
import type { JournalEntry, NewsItem, NewsSettlement } from '../types';
import { NEWS_COLUMNS, NEXT_NEWS_RETRY, UNTOLD_NEWS, dueNews } from '../audit-conditions';
import { isAbandonedClaim, newClaimToken } from '../claim-owner';

export function enqueueAudit(db: DatabaseSync, event: AuditEvent, now: Date): number {
  const row = db
    .prepare(
      `INSERT INTO audit_events (direction, outcome, message, opportunity_id, referral_id,
         api_calls, occurred_at, recorded_at, news)
       VALUES (:direction, :outcome, :message, :opportunityId, :referralId, :apiCalls,
         :occurredAt, :now, :news)
       RETURNING id`,
    )
    .get({
      direction: event.direction,
      outcome: event.outcome,
      message: event.message,
      opportunityId: event.opportunityId,
      referralId: event.referralId,
      apiCalls: event.apiCalls,
      occurredAt: event.occurredAt,
      now: now.toISOString(),
      news: event.news ?? null,
    }) as { id: number };
  return row.id;
}

/**
 * Leases the oldest unwritten events; an unacknowledged lease expires and they come back, at
 * once when the process that took them is gone (claim-owner.ts).
 */
export function takeAuditBatch(db: DatabaseSync, limit: number, now: Date, leaseMs: number) {
  return lease(db, 'written_at IS NULL', now, limit, leaseMs).map((row) => ({
    id: row.id,
    event: toAuditEvent(row),
  }));
}

/** Written events whose news is due and not yet told, leased (types/state-store.ts `takeNewsBatch`). */
export function takeNewsBatch(
  db: DatabaseSync,
  limit: number,
  now: Date,
  leaseMs: number,
): NewsItem[] {
  return lease(db, dueNews(':now'), now, limit, leaseMs, NEWS_COLUMNS).map(toNewsItem);
}

/**
 * Leases the oldest `limit` free rows that match `where` (a fixed SQL condition), oldest first;
 * `alsoReturn` adds computed columns to each row (a fixed SQL fragment).
 */
function lease(
  db: DatabaseSync,
  where: string,
  now: Date,
  limit: number,
  leaseMs: number,
  alsoReturn = '',
) {
  releaseAbandoned(db, now);
  const rows = db
    .prepare(
      `UPDATE audit_events SET locked_until = :until, locked_by = :token
        WHERE id IN (
          SELECT id FROM audit_events
           WHERE ${where} AND (locked_until IS NULL OR locked_until <= :now)
           ORDER BY id LIMIT :limit)
        RETURNING *${alsoReturn}`,
    )
    .all({
      now: now.toISOString(),
      until: new Date(now.getTime() + leaseMs).toISOString(),
      token: newClaimToken(),
      limit: Math.max(0, Math.floor(limit)),
    }) as unknown as AuditRow[];
  return rows.sort((a, b) => a.id - b.id);
}

/** The lease owners of rows in flight; found by index (migration 9), never by a scan. */
export const LEASE_OWNERS_SQL = `SELECT DISTINCT locked_by FROM audit_events
  WHERE locked_by IS NOT NULL AND locked_until > ?`;
export const RELEASE_LEASES_SQL =
  'UPDATE audit_events SET locked_until = NULL, locked_by = NULL WHERE locked_by = ?';

/** Leases of a process that is gone (either stage: writing, telling) are free at once. */
function releaseAbandoned(db: DatabaseSync, now: Date): void {
  const owners = db.prepare(LEASE_OWNERS_SQL).all(now.toISOString()) as Array<{
    locked_by: string;
  }>;
  for (const { locked_by: token } of owners) {
    if (!isAbandonedClaim(token)) continue;
    db.prepare(RELEASE_LEASES_SQL).run(token);
  }
}

export function settleNews(
  db: DatabaseSync,
  settlements: readonly NewsSettlement[],
  now: Date,
): void {
  const done = db.prepare(
    `UPDATE audit_events SET news_done_at = :now, news_error = :error, news_told_at = :toldAt,
       locked_until = NULL, locked_by = NULL
      WHERE id = :id AND news_done_at IS NULL`,
  );
  const retry = db.prepare(
    `UPDATE audit_events SET news_not_before = :retryAt, news_attempts = news_attempts + 1,
       news_error = :error, locked_until = NULL, locked_by = NULL
      WHERE id = :id AND news_done_at IS NULL`,
  );
  for (const s of settlements) {
    const error = s.error ?? null;
    if (s.retryAt) retry.run({ id: s.id, retryAt: s.retryAt.toISOString(), error });
    else {
      const at = now.toISOString();
      done.run({ id: s.id, now: at, error, toldAt: s.told ? at : null });
    }
  }
}

export function markAuditWritten(db: DatabaseSync, ids: readonly number[], now: Date): void {
  db.prepare(
    `UPDATE audit_events SET written_at = :now, locked_until = NULL, locked_by = NULL
      WHERE written_at IS NULL AND id IN (SELECT value FROM json_each(:ids))`,
  ).run({ now: now.toISOString(), ids: JSON.stringify(ids) });
}

/** Events for any of the given ids (an opportunity and its referral), oldest first. */
export function journal(db: DatabaseSync, ids: readonly string[]): JournalEntry[] {
  const rows = db
    .prepare(
      `SELECT * FROM audit_events
        WHERE opportunity_id IN (SELECT value FROM json_each(:ids))
           OR referral_id IN (SELECT value FROM json_each(:ids))
        ORDER BY occurred_at, id`,
    )
    .all({ ids: JSON.stringify(ids) }) as unknown as AuditRow[];
  return rows.map(toJournalEntry);
}

export function countUnwritten(db: DatabaseSync): number {
  const row = db
    .prepare('SELECT COUNT(*) AS n FROM audit_events WHERE written_at IS NULL')
    .get() as { n: number };
  return row.n;
}

export function nextNewsRetryAt(db: DatabaseSync): string | null {
  const row = db.prepare(NEXT_NEWS_RETRY).get() as { at: string | null } | undefined;
  return row?.at ?? null;
}

/** Owner notifications written and not yet told (sent, dropped, or waiting for a retry). */
export function countUntoldNews(db: DatabaseSync): number {
  const row = db.prepare(`SELECT COUNT(*) AS n FROM audit_events WHERE ${UNTOLD_NEWS}`).get() as {
    n: number;
  };
  return row.n;
}

/** Only events already written to Salesforce are pruned: the outbox never loses an audit. */
export function pruneAudit(db: DatabaseSync, before: Date): number {
  return Number(
    db
      .prepare('DELETE FROM audit_events WHERE written_at IS NOT NULL AND occurred_at < ?')
      .run(before.toISOString()).changes,
  );
}
