/**
 * The row shapes both stores share (SQLite and Postgres keep the same columns, timestamps as ISO
 * 8601 UTC text with milliseconds so they compare as text), the mapping from rows to the
 * interface's types, and the queue rules that do not depend on the database: one definition of
 * coalescing and of what a failure does, so the two stores cannot drift apart.
 */
import { ReferralSchema, type AuditEvent, type NewsKind, type Referral } from '../schemas';
import type {
  BridgeHeartbeat,
  FailureRecord,
  InboxDelivery,
  InboxItem,
  InboxSource,
  JobFailure,
  JournalEntry,
  NewsItem,
  OutboundJob,
  OutboundRequest,
  QueuedJob,
} from './types';

export type Queue = 'outbound' | 'inbound';

export interface JobRow {
  id: number;
  queue: Queue;
  job_key: string;
  subject_id: string;
  reason: string;
  changed_fields: string;
  resource_change_utc: string | null;
  body: string | null;
  /** Inbound rows only (migration 5): where the delivery came from. */
  source: InboxSource | null;
  state: 'pending' | 'failed' | 'done';
  not_before: string;
  attempts: number;
  last_error: string | null;
  permanent: number;
  generation: number;
  claimed_generation: number | null;
  locked_by: string | null;
  locked_at: string | null;
  locked_until: string | null;
  first_requested_at: string;
  last_requested_at: string;
  updated_at: string;
}

export const iso = (date: Date) => date.toISOString();
export const later = (a: string, b: string) => (a > b ? a : b);
export const earlier = (a: string, b: string) => (a < b ? a : b);

/** A new outbound row: due at `notBefore` (or received + the coalescing window). */
export function newOutboundValues(request: OutboundRequest, defaultWindowMs: number, now: Date) {
  const receivedAt = request.receivedAt ?? now;
  return {
    notBefore: iso(request.notBefore ?? new Date(receivedAt.getTime() + defaultWindowMs)),
    fields: [...new Set(request.changedFields ?? [])].sort(),
    receivedAt: iso(receivedAt),
  };
}

/**
 * What a newer request does to an existing outbound row (one row per opportunity):
 * - pending, waiting → the newer request replaces the due time (the rest of a burst rides on
 *   one trailing send, sync/send-window.ts), unless the row is already due: then it keeps its
 *   time and the change rides on that send (a leading edge not claimed yet);
 * - pending, backing off after a transient error → its later retry time is kept;
 * - failed (permanent) → a data change is exactly what it waited for: pending, fresh attempts;
 * - claimed right now → the caller moves `generation` on, so completing the claim leaves it queued.
 */
export function coalescedOutboundValues(
  existing: JobRow,
  request: OutboundRequest,
  defaultWindowMs: number,
  now: Date,
) {
  const fresh = newOutboundValues(request, defaultWindowMs, now);
  const wasFailed = existing.state === 'failed';
  const backingOff = existing.state === 'pending' && existing.last_error !== null;
  const claimed = existing.locked_until !== null && existing.locked_until > iso(now);
  const alreadyDue = existing.state === 'pending' && !claimed && existing.not_before <= iso(now);
  // A claimed row's due time is the one it was claimed at; the newer request's time is when
  // the requeued job runs next.
  const due = backingOff
    ? later(existing.not_before, fresh.notBefore)
    : alreadyDue
      ? earlier(existing.not_before, fresh.notBefore)
      : fresh.notBefore;
  const stored = JSON.parse(existing.changed_fields) as string[];
  return {
    reason: request.reason,
    fields: JSON.stringify([...new Set([...stored, ...fresh.fields])].sort()),
    notBefore: due,
    attempts: wasFailed ? 0 : existing.attempts,
    lastError: wasFailed ? null : existing.last_error,
    lastRequestedAt: later(existing.last_requested_at, fresh.receivedAt),
  };
}

/** Did a newer request arrive while this claim ran? Then the row must stay queued. */
export const changedSinceClaim = (row: JobRow) =>
  row.claimed_generation !== null && row.generation !== row.claimed_generation;

/**
 * Where a failed attempt leaves its row. A change that arrived while it ran deserves its own
 * attempt (never sooner than a transient failure's wait); otherwise permanent → `failed`
 * (waits for a data change or an operator), transient → pending again at `retryAt`.
 */
export function failureTransition(row: JobRow, failure: JobFailure, now: Date) {
  const retryAt = iso(failure.retryAt ?? now);
  if (changedSinceClaim(row)) {
    return {
      result: 'requeued' as const,
      state: 'pending' as const,
      permanent: 0,
      attempts: failure.permanent ? 0 : row.attempts,
      notBefore: failure.permanent ? row.not_before : later(row.not_before, retryAt),
    };
  }
  if (failure.permanent) {
    return {
      result: 'failed' as const,
      state: 'failed' as const,
      permanent: 1,
      attempts: row.attempts,
      notBefore: row.not_before,
    };
  }
  return {
    result: 'retrying' as const,
    state: 'pending' as const,
    permanent: 0,
    attempts: row.attempts,
    notBefore: retryAt,
  };
}

/** Oldest due first, then by id: the order claims hand jobs out. */
export function byDueTime(a: JobRow, b: JobRow): number {
  return a.not_before < b.not_before ? -1 : a.not_before > b.not_before ? 1 : a.id - b.id;
}

export function toOutboundJob(row: JobRow): OutboundJob {
  return {
    id: row.id,
    opportunityId: row.subject_id,
    reason: row.reason,
    changedFields: JSON.parse(row.changed_fields) as string[],
    attempts: row.attempts - 1,
    firstRequestedAt: row.first_requested_at,
    lastError: row.last_error,
    claimToken: row.locked_by ?? '',
    leaseExpiresAt: row.locked_until ?? '',
  };
}

/** The reason shown for a catch-up row (`failures list`, `explain`); a webhook's is its event. */
export const CATCH_UP_REASON = 'catch-up';

/** The inbound row's columns for a delivery: one shape in both stores. */
export function inboxRowValues(delivery: InboxDelivery) {
  const webhook = delivery.source === 'webhook';
  return {
    key: delivery.dedupeKey,
    referralId: delivery.referralId,
    source: delivery.source,
    reason: webhook ? delivery.eventName : CATCH_UP_REASON,
    changeUtc: delivery.resourceChangeUtc,
    body: webhook ? delivery.body : JSON.stringify(delivery.referral),
    receivedAt: iso(delivery.receivedAt),
  };
}

/** A catch-up row's listed referral, or null if what is stored is no referral. */
function listedReferral(body: string | null): Referral | null {
  if (!body) return null;
  try {
    const parsed = ReferralSchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function toInboxItem(row: JobRow): InboxItem {
  const base = {
    id: row.id,
    referralId: row.subject_id,
    resourceChangeUtc: row.resource_change_utc,
    receivedAt: row.first_requested_at,
    attempts: row.attempts - 1,
    lastError: row.last_error,
    claimToken: row.locked_by ?? '',
    leaseExpiresAt: row.locked_until ?? '',
  };
  return row.source === 'catch-up'
    ? { ...base, source: 'catch-up', referral: listedReferral(row.body) }
    : { ...base, source: 'webhook', eventName: row.reason, body: row.body ?? '' };
}

export function toQueuedJob(row: JobRow): QueuedJob {
  return {
    id: row.id,
    direction: row.queue,
    subjectId: row.subject_id,
    reason: row.reason,
    state: row.state,
    attempts: row.attempts,
    notBefore: row.not_before,
    lastError: row.last_error,
    leasedUntil: row.locked_until,
  };
}

export function toFailureRecord(row: JobRow): FailureRecord {
  return {
    direction: row.queue,
    id: row.id,
    key: row.subject_id,
    reason: row.reason,
    error: row.last_error ?? '',
    attempts: row.attempts,
    permanent: row.state === 'failed',
    nextAttemptAt: row.state === 'failed' ? null : row.not_before,
    updatedAt: row.updated_at,
  };
}

/** Failed items and items backing off after an error, in either queue. */
export const FAILURES_SQL = `queue IN ('outbound', 'inbound')
  AND (state = 'failed' OR (state = 'pending' AND last_error IS NOT NULL))`;

/** The numeric ids and the opportunity/referral ids of a `retryFailures` selection. */
export function retrySelection(ids: readonly (number | string)[]) {
  return {
    numeric: ids
      .filter((id): id is number | string => typeof id === 'number' || /^\d+$/.test(id))
      .map(Number),
    text: ids.map(String),
  };
}

export interface AuditRow {
  id: number;
  direction: AuditEvent['direction'];
  outcome: AuditEvent['outcome'];
  message: string;
  opportunity_id: string | null;
  referral_id: string | null;
  api_calls: number;
  occurred_at: string;
  written_at: string | null;
  news: NewsKind | null;
  news_attempts?: number;
  /** Only where a query selects them (audit-conditions.ts NEWS_COLUMNS). */
  error_run?: number | string;
  same_error_told?: number | string;
}

export function toAuditEvent(row: AuditRow): AuditEvent {
  return {
    opportunityId: row.opportunity_id,
    direction: row.direction,
    outcome: row.outcome,
    message: row.message,
    referralId: row.referral_id,
    apiCalls: row.api_calls,
    occurredAt: row.occurred_at,
    ...(row.news ? { news: row.news } : {}),
  };
}

export const toNewsItem = (row: AuditRow): NewsItem => ({
  id: Number(row.id),
  event: toAuditEvent(row),
  attempts: Number(row.news_attempts ?? 0),
  errorRun: Number(row.error_run ?? 0),
  sameErrorTold: Number(row.same_error_told ?? 0) === 1,
});

export const toJournalEntry = (row: AuditRow): JournalEntry => ({
  ...toAuditEvent(row),
  id: row.id,
  writtenAt: row.written_at,
});

export interface HeartbeatRow {
  owner: string;
  host: string;
  pid: number;
  started_at: string;
  beat_at: string;
}

export function toHeartbeat(row: HeartbeatRow): BridgeHeartbeat {
  return {
    owner: row.owner,
    host: row.host,
    pid: row.pid,
    startedAt: row.started_at,
    beatAt: row.beat_at,
  };
}
