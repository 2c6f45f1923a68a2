import { NEWS_COLUMNS, NEXT_NEWS_RETRY, UNTOLD_NEWS, dueNews } from '../audit-conditions';
import { isAbandonedClaim, newClaimToken } from '../claim-owner';
import { toAuditEvent, toJournalEntry, toNewsItem, type AuditRow } from '../rows';
import type { AuditEvent } from '../../schemas';
import type { JournalEntry, NewsItem, NewsSettlement } from '../types';
import type { Sql } from './database';

export async function enqueueAudit(sql: Sql, event: AuditEvent, now: Date): Promise<number> {
  const { rows } = await sql.query<{ id: number }>(
    `INSERT INTO audit_events (direction, outcome, message, opportunity_id, referral_id,
       api_calls, occurred_at, recorded_at, news)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     RETURNING id`,
    [
      event.direction,
      event.outcome,
      event.message,
      event.opportunityId,
      event.referralId,
      event.apiCalls,
      event.occurredAt,
      now.toISOString(),
      event.news ?? null,
    ],
  );
  return rows[0]!.id;
}

/**
 * Leases the oldest unwritten events. Replicas flush in parallel: SKIP LOCKED lets each take
 * events no other flush is taking right now (audits have no per-subject order to keep).
 */
export async function takeAuditBatch(sql: Sql, limit: number, now: Date, leaseMs: number) {
  const rows = await lease(sql, 'written_at IS NULL', now, limit, leaseMs);
  return rows.map((row) => ({ id: row.id, event: toAuditEvent(row) }));
}

/** Written events whose news is due and not yet told, leased (types/state-store.ts `takeNewsBatch`). */
export async function takeNewsBatch(
  sql: Sql,
  limit: number,
  now: Date,
  leaseMs: number,
): Promise<NewsItem[]> {
  return (await lease(sql, dueNews('$1'), now, limit, leaseMs, NEWS_COLUMNS)).map(toNewsItem);
}

/**
 * Leases the oldest `limit` free rows that match `where` (a fixed SQL condition; $1 = now);
 * `alsoReturn` adds computed columns to each row (a fixed SQL fragment).
 */
async function lease(
  sql: Sql,
  where: string,
  now: Date,
  limit: number,
  leaseMs: number,
  alsoReturn = '',
) {
  const nowIso = now.toISOString();
  await releaseAbandoned(sql, nowIso);
  const { rows } = await sql.query<AuditRow>(
    `UPDATE audit_events SET locked_until = $2, locked_by = $3
      WHERE id IN (
        SELECT id FROM audit_events
         WHERE ${where} AND (locked_until IS NULL OR locked_until <= $1)
         ORDER BY id LIMIT $4
         FOR UPDATE SKIP LOCKED)
      RETURNING *${alsoReturn}`,
    [
      nowIso,
      new Date(now.getTime() + leaseMs).toISOString(),
      newClaimToken(),
      Math.max(0, Math.floor(limit)),
    ],
  );
  return rows.sort((a, b) => Number(a.id) - Number(b.id));
}

/** Leases of a process that is gone (either stage: writing, telling) are free at once. */
async function releaseAbandoned(sql: Sql, nowIso: string): Promise<void> {
  const owners = await sql.query<{ locked_by: string }>(
    `SELECT DISTINCT locked_by FROM audit_events
      WHERE locked_by IS NOT NULL AND locked_until > $1`,
    [nowIso],
  );
  const dead = owners.rows.map((o) => o.locked_by).filter((token) => isAbandonedClaim(token));
  if (dead.length > 0) {
    await sql.query(
      'UPDATE audit_events SET locked_until = NULL, locked_by = NULL WHERE locked_by = ANY($1)',
      [dead],
    );
  }
}

export async function settleNews(
  sql: Sql,
  settlements: readonly NewsSettlement[],
  now: Date,
): Promise<void> {
  for (const s of settlements) {
    const error = s.error ?? null;
    if (s.retryAt) {
      await sql.query(
        `UPDATE audit_events SET news_not_before = $2, news_attempts = news_attempts + 1,
           news_error = $3, locked_until = NULL, locked_by = NULL
          WHERE id = $1 AND news_done_at IS NULL`,
        [s.id, s.retryAt.toISOString(), error],
      );
    } else {
      await sql.query(
        `UPDATE audit_events SET news_done_at = $2, news_error = $3, news_told_at = $4,
           locked_until = NULL, locked_by = NULL
          WHERE id = $1 AND news_done_at IS NULL`,
        [s.id, now.toISOString(), error, s.told ? now.toISOString() : null],
      );
    }
  }
}

export async function markAuditWritten(sql: Sql, ids: readonly number[], now: Date) {
  await sql.query(
    `UPDATE audit_events SET written_at = $1, locked_until = NULL, locked_by = NULL
      WHERE written_at IS NULL AND id = ANY($2::bigint[])`,
    [now.toISOString(), ids],
  );
}

export async function journal(sql: Sql, ids: readonly string[]): Promise<JournalEntry[]> {
  const { rows } = await sql.query<AuditRow>(
    `SELECT * FROM audit_events
      WHERE opportunity_id = ANY($1::text[]) OR referral_id = ANY($1::text[])
      ORDER BY occurred_at, id`,
    [ids],
  );
  return rows.map(toJournalEntry);
}

export async function countUnwritten(sql: Sql): Promise<number> {
  const { rows } = await sql.query<{ n: number }>(
    'SELECT COUNT(*) AS n FROM audit_events WHERE written_at IS NULL',
  );
  return rows[0]?.n ?? 0;
}

export async function nextNewsRetryAt(sql: Sql): Promise<string | null> {
  const { rows } = await sql.query<{ at: string | null }>(NEXT_NEWS_RETRY);
  return rows[0]?.at ?? null;
}

/** Owner notifications written and not yet told (sent, dropped, or waiting for a retry). */
export async function countUntoldNews(sql: Sql): Promise<number> {
  const { rows } = await sql.query<{ n: number }>(
    `SELECT COUNT(*) AS n FROM audit_events WHERE ${UNTOLD_NEWS}`,
  );
  return rows[0]?.n ?? 0;
}

export async function pruneAudit(sql: Sql, before: Date): Promise<number> {
  const result = await sql.query(
    'DELETE FROM audit_events WHERE written_at IS NOT NULL AND occurred_at < $1',
    [before.toISOString()],
  );
  return result.rowCount ?? 0;
}
