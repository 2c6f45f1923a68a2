import type { AuditEvent } from '../../schemas';
import type { JournalEntry, NewsItem, NewsSettlement, PruneOptions, PruneResult } from './audit';
import type { BridgeHeartbeat, Lease, LeaseFence, LeaseStatus } from './leases';
import type { ReferralLink, ReferralLinkUpdate, SaveLinkOptions } from './links';
import type {
  ClaimOptions,
  CompletionResult,
  FailureRecord,
  InboxDelivery,
  InboxItem,
  JobFailure,
  JobRef,
  OutboundJob,
  OutboundRequest,
  OutboundSettlement,
  QueueDepthCounts,
  QueuedJob,
  ReplayCursor,
} from './queues';

/**
 * The bridge's durable state behind one interface: SQLite (the embedded default, one machine)
 * or Postgres (several bridge replicas on one database). Both pass one contract suite
 * (bridge/test/store). The engine's rule: persist here FIRST, then acknowledge or advance anything
 * outside (a CDC replay id, a webhook 2xx, a Salesforce write-back).
 */
export interface StateStore {
  // ------------------------------------------------------------ CDC replay cursor
  getReplayId(channel: string): Promise<number | undefined>;
  /** Forget a channel's cursor (replay window expired: the engine reconciles, then subscribes new). */
  resetReplayId(channel: string): Promise<void>;
  replayCursors(): Promise<ReplayCursor[]>;
  /**
   * Transactional outbox: enqueue the outbound work for a batch of change events AND advance the
   * channel's replay cursor in ONE transaction. A crash before commit replays the events; after
   * commit the work is durable. An empty `items` still advances the cursor (ignored events).
   * With a `fence`, the transaction first checks that this lease is still current and unexpired
   * and otherwise rejects with `LeaseLostError`, writing nothing: a replica that lost the CDC
   * subscription (paused, partitioned) cannot move the cursor past its successor.
   */
  recordChangeEvents(
    channel: string,
    replayId: number,
    items: readonly OutboundRequest[],
    fence?: LeaseFence,
  ): Promise<void>;

  // ------------------------------------------------------------ outbound queue (SF → PC)
  /** Enqueue without a cursor (reconciliation sweep, resync, operator). Coalesces per opportunity. */
  enqueueOutbound(items: readonly OutboundRequest[]): Promise<void>;
  /** Leases up to `limit` due jobs; a job whose lease expired (crashed worker) is due again. */
  claimOutbound(limit: number, now?: Date, options?: ClaimOptions): Promise<OutboundJob[]>;
  /** Done. If a newer change arrived while the job ran, it stays queued instead (`requeued`). */
  completeOutbound(job: JobRef, now?: Date): Promise<CompletionResult>;
  failOutbound(job: JobRef, failure: JobFailure, now?: Date): Promise<CompletionResult>;
  /**
   * Completes or fails several jobs in ONE transaction (one disk sync for a whole batch instead
   * of one per job), each exactly as `completeOutbound` / `failOutbound` would; results in input
   * order. A crash before commit leaves every job claimed, so all of them run again.
   */
  settleOutbound(
    settlements: readonly OutboundSettlement[],
    now?: Date,
  ): Promise<CompletionResult[]>;
  /** The queued job for one opportunity, if any (for `explain`). */
  getOutbound(opportunityId: string): Promise<QueuedJob | undefined>;

  // ------------------------------------------------------------ inbox (PC webhooks → SF)
  /** Idempotent on `dedupeKey`: true when the delivery is new, false for a redelivery. */
  recordDelivery(item: InboxDelivery): Promise<boolean>;
  claimInbox(limit: number, now?: Date, options?: ClaimOptions): Promise<InboxItem[]>;
  /**
   * Done. With `coversEarlier` (the default) other unclaimed deliveries for the same referral
   * received before this claim are marked done too: the worker fetched the referral's current
   * state after the claim, which covers them (R1). Without it only this item is done: a state
   * listed by an earlier catch-up, or an echo taken without a read, says nothing about the
   * other deliveries (a claim holds one delivery per referral, so they are still waiting).
   */
  completeInbox(
    item: JobRef,
    now?: Date,
    options?: { coversEarlier?: boolean },
  ): Promise<CompletionResult>;
  failInbox(item: JobRef, failure: JobFailure, now?: Date): Promise<CompletionResult>;

  /**
   * When the next `limit` pending jobs of a queue become claimable (ISO, earliest first; past
   * times mean due now). The work loops sleep until then instead of polling.
   */
  dueTimes(queue: 'outbound' | 'inbound', limit: number, now?: Date): Promise<string[]>;

  // ------------------------------------------------------------ opportunity ↔ referral links
  getLink(opportunityId: string): Promise<ReferralLink | undefined>;
  getLinkByReferral(referralId: string): Promise<ReferralLink | undefined>;
  /**
   * Upsert by opportunity id; a field left `undefined` keeps its stored value. `audit` is
   * enqueued in the same transaction: the attempt that made the link is never left unaudited.
   */
  saveLink(link: ReferralLinkUpdate, options?: SaveLinkOptions): Promise<ReferralLink>;
  /** Several `saveLink`s in ONE durable transaction (one disk sync); results in input order. */
  saveLinks(links: readonly ReferralLinkUpdate[]): Promise<ReferralLink[]>;

  // ------------------------------------------------------------ watermarks
  getWatermark(name: string): Promise<string | undefined>;
  setWatermark(name: string, value: string): Promise<void>;
  /** Sets only when `value` sorts after the stored one (ISO timestamps): never moves back. */
  advanceWatermark(name: string, value: string): Promise<string>;

  // ------------------------------------------------------------ idempotency keys
  /** Stores `value` under `key` unless present; returns what is stored and whether it was new. */
  rememberIdempotencyKey(
    key: string,
    value: string,
    now?: Date,
  ): Promise<{ created: boolean; value: string }>;
  getIdempotencyKey(key: string): Promise<string | undefined>;

  // ------------------------------------------------------------ API call counters (R1)
  /** Adds `count` calls for the UTC day (`YYYY-MM-DD`) and returns the new total. */
  countApiCall(api: string, day: string, count?: number): Promise<number>;
  /** Atomically takes `count` calls only if the total stays within `limit` (shared by instances). */
  reserveApiCalls(
    api: string,
    day: string,
    limit: number,
    count?: number,
  ): Promise<{ granted: boolean; total: number }>;
  apiCalls(day: string): Promise<Record<string, number>>;

  // ------------------------------------------------------------ audit outbox + journal (R10, R18)
  enqueueAudit(event: AuditEvent, now?: Date): Promise<number>;
  /** Several audit events in one transaction (one disk sync for a whole batch). */
  enqueueAudits(events: readonly AuditEvent[], now?: Date): Promise<number[]>;
  /** Oldest audit events not yet written to Salesforce, leased so two writers do not double-write. */
  takeAuditBatch(
    limit: number,
    now?: Date,
    options?: ClaimOptions,
  ): Promise<{ id: number; event: AuditEvent }[]>;
  markAuditWritten(ids: readonly number[], now?: Date): Promise<void>;
  /**
   * The outbox's notification stage (issue 19): written events whose news for the owner is not
   * yet told and is due, oldest first, leased like an audit batch (a crashed teller's lease
   * expires and they come back).
   */
  takeNewsBatch(limit: number, now?: Date, options?: ClaimOptions): Promise<NewsItem[]>;
  /**
   * How each taken news item ended: told (`told: true`, recorded: an identical sync error in the
   * same run is then not news), nothing to tell, refused for good, or retry.
   */
  settleNews(settlements: readonly NewsSettlement[], now?: Date): Promise<void>;
  /** The earliest retry time of untold news (ISO 8601), or null when no retry is waiting. */
  nextNewsRetryAt(): Promise<string | null>;
  /**
   * Every audit event for an opportunity or referral (and its linked counterpart), oldest first.
   * Written events stay: the journal is kept for BRIDGE_JOURNAL_RETENTION_DAYS (see `prune`).
   */
  journal(id: string): Promise<JournalEntry[]>;

  // ------------------------------------------------------------ operations (R14)
  /** Failed and retrying items of both queues, newest first. */
  listFailures(): Promise<FailureRecord[]>;
  /**
   * Whether an inbox delivery for this referral is failing (permanently, or waiting to retry
   * after an error): what `listFailures` would list for it, asked without listing them all.
   */
  inboundFailing(referralId: string): Promise<boolean>;
  /**
   * Makes failures due now with fresh attempts. `ids` match a failure's numeric id, or an
   * opportunity / referral id. Returns how many were rescheduled.
   */
  retryFailures(
    selection: { ids?: readonly (number | string)[]; all?: boolean },
    now?: Date,
  ): Promise<number>;
  queueDepths(now?: Date): Promise<QueueDepthCounts>;
  /** Retention: drops written audit events, finished inbox rows and old idempotency keys. */
  prune(options: PruneOptions, now?: Date): Promise<PruneResult>;

  // ------------------------------------------------------------ process heartbeat
  /**
   * The running bridge (`cosell run`) records itself here every few seconds, so `cosell status`
   * in another process can say whether it runs (an upsert by `owner`).
   */
  recordHeartbeat(beat: BridgeHeartbeat): Promise<void>;
  /** A graceful stop removes its own row, so `status` says "not running" at once. */
  clearHeartbeat(owner: string): Promise<void>;
  /** Every recorded bridge process, newest beat first. */
  heartbeats(): Promise<BridgeHeartbeat[]>;
  /**
   * Only on stores that allow one bridge at a time (SQLite: one file, one writer process): in one
   * write transaction, returns another live bridge's heartbeat (beat within `staleMs`, and not a
   * process on this host that is gone) or records `beat` and returns null. A store that allows
   * replicas (Postgres) leaves it out.
   */
  claimSoleInstance?(beat: BridgeHeartbeat, staleMs: number): Promise<BridgeHeartbeat | null>;

  // ------------------------------------------------------------ leases (one holder per name)
  /**
   * Takes the named lease for `holder` when it is free, expired, held by a process on this host
   * that is gone, or already held by `holder` (then it is renewed, same token). Every new holder
   * gets a larger `token` (the fence). Undefined while someone else holds it. Leases run on real
   * time (Postgres: the database's clock), never on an injected clock: they guard against real
   * process death.
   */
  acquireLease(name: string, holder: string, ttlMs: number): Promise<Lease | undefined>;
  /** Extends our lease; undefined when it was taken over (our token is no longer current). */
  renewLease(lease: LeaseFence, ttlMs: number): Promise<Lease | undefined>;
  /** Ends our lease at once (graceful stop), so a standby takes over without waiting. */
  releaseLease(lease: LeaseFence): Promise<void>;
  /** Every lease with its holder and whether it is live now. */
  leases(): Promise<LeaseStatus[]>;

  /** Resolves once the store is open and migrated (Postgres connects lazily); rejects otherwise. */
  ready(): Promise<void>;
  close(): Promise<void>;
}
