import type pg from 'pg';
import type { Migration } from '../migrations';
import { DEFAULT_INBOX_RETENTION_DAYS, DEFAULT_LEASE_MS } from '../sqlite/sqlite-store';
import { TransientError } from '../../errors';
import type { AuditEvent } from '../../schemas';
import type {
  BridgeHeartbeat,
  ClaimOptions,
  CompletionResult,
  JobFailure,
  JobRef,
  LeaseFence,
  NewsSettlement,
  OutboundRequest,
  OutboundSettlement,
  PruneOptions,
  ReferralLinkUpdate,
  SaveLinkOptions,
  StateStore,
  InboxDelivery,
} from '../types';
import * as audit from './audit';
import { classifyPgError, createPool, inTransaction, migrate, type Sql } from './database';
import * as jobs from './jobs';
import * as kv from './key-values';
import * as leases from './leases';
import * as links from './links';
import { POSTGRES_MIGRATIONS } from './migrations';

export interface PostgresStoreOptions {
  now?: () => Date;
  coalesceWindowMs?: number;
  leaseMs?: number;
  /** Connections this process may hold (BRIDGE_DATABASE_URL's server counts every replica's). */
  maxConnections?: number;
  /** A schema of its own, created if missing (several bridges or test runs on one database). */
  schema?: string;
  /** For tests of the migration runner only. */
  migrations?: readonly Migration[];
  onPoolError?: (error: Error) => void;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const byOpportunity = (a: OutboundRequest, b: OutboundRequest) =>
  a.opportunityId < b.opportunityId ? -1 : a.opportunityId > b.opportunityId ? 1 : 0;
const jobId = (ref: JobRef) => (typeof ref === 'number' ? ref : ref.id);

/**
 * StateStore on Postgres (node-postgres), for several bridge replicas on one database. Same
 * semantics as the SQLite store (one contract suite runs against both); the differences are how
 * replicas are kept apart (claim locks, row locks, fenced leases: see jobs.ts and leases.ts).
 * The pool connects lazily: `ready()` (and every method) waits for the connection and the
 * migrations, which run once under an advisory lock.
 */
export class PostgresStore implements StateStore {
  private readonly pool: pg.Pool;
  private readonly clock: () => Date;
  private readonly coalesceWindowMs: number;
  private readonly leaseMs: number;
  private readonly migrations: readonly Migration[];
  private readonly schema: string | undefined;
  private opened: Promise<number[]>;
  private closed = false;

  constructor(url: string, options: PostgresStoreOptions = {}) {
    this.clock = options.now ?? (() => new Date());
    this.coalesceWindowMs = options.coalesceWindowMs ?? 0;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.pool = createPool(url, {
      max: options.maxConnections,
      schema: options.schema,
      onError: options.onPoolError,
    });
    this.migrations = options.migrations ?? POSTGRES_MIGRATIONS;
    this.schema = options.schema;
    this.opened = this.open();
  }

  /** Connects and migrates; the failure names the variable to check. */
  private open(): Promise<number[]> {
    const opening = migrate(this.pool, this.migrations, this.clock(), this.schema).catch(
      (error: unknown) => {
        throw new Error('Failed to open the Postgres state store at BRIDGE_DATABASE_URL', {
          cause: classifyPgError(error),
        });
      },
    );
    // Callers see the failure through ready() or their first call, not as an unhandled rejection.
    opening.catch(() => undefined);
    return opening;
  }

  /** Migration versions this instance applied on open (empty when another replica had). */
  appliedMigrations(): Promise<number[]> {
    return this.opened;
  }

  async ready(): Promise<void> {
    if (this.closed) throw new Error('the state store is closed');
    const attempt = this.opened;
    try {
      await attempt;
    } catch (error) {
      // A bridge started while Postgres was down kept that first failure for good: every call
      // awaited the same rejected open, "bridge ready" and its loops failing until a restart.
      // An outage (a transient cause) is tried again by the next call; the first caller to find
      // the failure starts the new attempt, the others wait for it.
      if (!((error as Error).cause instanceof TransientError)) throw error;
      if (this.opened === attempt) this.opened = this.open();
      await this.opened;
    }
  }

  private async write<T>(
    work: (sql: Sql) => Promise<T>,
    options: { syncLater?: boolean } = {},
  ): Promise<T> {
    await this.ready();
    try {
      return await inTransaction(this.pool, work, options);
    } catch (error) {
      throw classifyPgError(error);
    }
  }

  private async read<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    await this.ready();
    try {
      return await work(this.pool);
    } catch (error) {
      throw classifyPgError(error);
    }
  }

  /** In opportunity order, so two replicas enqueueing overlapping batches never deadlock. */
  private async enqueueAll(sql: Sql, items: readonly OutboundRequest[], now: Date) {
    for (const item of [...items].sort(byOpportunity)) {
      await jobs.enqueueOutbound(sql, item, this.coalesceWindowMs, now);
    }
  }

  getReplayId(channel: string) {
    return this.read((sql) => kv.getReplayId(sql, channel));
  }
  resetReplayId(channel: string) {
    return this.write(async (sql) => {
      await sql.query('DELETE FROM replay_cursors WHERE channel = $1', [channel]);
    });
  }
  replayCursors() {
    return this.read((sql) => kv.replayCursors(sql));
  }
  recordChangeEvents(
    channel: string,
    replayId: number,
    items: readonly OutboundRequest[],
    fence?: LeaseFence,
  ) {
    const now = this.clock();
    return this.write(
      async (sql) => {
        if (fence) await leases.checkFence(sql, fence);
        await this.enqueueAll(sql, items, now);
        await kv.setReplayId(sql, channel, replayId, now);
      },
      { syncLater: true },
    );
  }

  enqueueOutbound(items: readonly OutboundRequest[]) {
    const now = this.clock();
    return this.write((sql) => this.enqueueAll(sql, items, now));
  }
  claimOutbound(limit: number, now = this.clock(), options: ClaimOptions = {}) {
    return this.write((sql) =>
      jobs.claimOutbound(sql, limit, now, options.leaseMs ?? this.leaseMs),
    );
  }
  completeOutbound(job: JobRef, now = this.clock()) {
    return this.write((sql) => jobs.completeOutbound(sql, job, now));
  }
  failOutbound(job: JobRef, failure: JobFailure, now = this.clock()) {
    return this.write((sql) => jobs.failOutbound(sql, job, failure, now));
  }
  settleOutbound(settlements: readonly OutboundSettlement[], now = this.clock()) {
    return this.write(async (sql) => {
      // Lock the batch's rows in id order first: concurrent writers never wait on each other
      // in a cycle.
      await sql.query('SELECT id FROM jobs WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE', [
        settlements.map((s) => jobId(s.job)),
      ]);
      const results: CompletionResult[] = [];
      for (const { job, failure } of settlements) {
        results.push(
          failure
            ? await jobs.failOutbound(sql, job, failure, now)
            : await jobs.completeOutbound(sql, job, now),
        );
      }
      return results;
    });
  }
  getOutbound(opportunityId: string) {
    return this.read((sql) => jobs.getOutbound(sql, opportunityId));
  }
  dueTimes(queue: 'outbound' | 'inbound', limit: number, now = this.clock()) {
    return this.read((sql) => jobs.dueTimes(sql, queue, limit, now));
  }

  recordDelivery(item: InboxDelivery) {
    const now = this.clock();
    return this.write((sql) => jobs.recordDelivery(sql, item, now));
  }
  claimInbox(limit: number, now = this.clock(), options: ClaimOptions = {}) {
    return this.write((sql) => jobs.claimInbox(sql, limit, now, options.leaseMs ?? this.leaseMs));
  }
  completeInbox(item: JobRef, now = this.clock(), options: { coversEarlier?: boolean } = {}) {
    return this.write((sql) => jobs.completeInbox(sql, item, now, options.coversEarlier ?? true));
  }
  failInbox(item: JobRef, failure: JobFailure, now = this.clock()) {
    return this.write((sql) => jobs.failInbox(sql, item, failure, now));
  }

  getLink(opportunityId: string) {
    return this.read((sql) => links.getLink(sql, opportunityId));
  }
  getLinkByReferral(referralId: string) {
    return this.read((sql) => links.getLinkByReferral(sql, referralId));
  }
  saveLink(link: ReferralLinkUpdate, options: SaveLinkOptions = {}) {
    const now = this.clock();
    return this.write(
      async (sql) => {
        const saved = await links.saveLink(sql, link, now);
        if (options.audit) await audit.enqueueAudit(sql, options.audit, now);
        return saved;
      },
      { syncLater: options.syncLater },
    );
  }
  saveLinks(updates: readonly ReferralLinkUpdate[]) {
    const now = this.clock();
    return this.write(async (sql) => {
      const saved = [];
      for (const link of updates) saved.push(await links.saveLink(sql, link, now));
      return saved;
    });
  }

  getWatermark(name: string) {
    return this.read((sql) => kv.getWatermark(sql, name));
  }
  setWatermark(name: string, value: string) {
    const now = this.clock();
    return this.write((sql) => kv.setWatermark(sql, name, value, now));
  }
  advanceWatermark(name: string, value: string) {
    const now = this.clock();
    return this.write((sql) => kv.advanceWatermark(sql, name, value, now));
  }

  rememberIdempotencyKey(key: string, value: string, now = this.clock()) {
    return this.write((sql) => kv.rememberIdempotencyKey(sql, key, value, now));
  }
  getIdempotencyKey(key: string) {
    return this.read((sql) => kv.getIdempotencyKey(sql, key));
  }

  countApiCall(api: string, day: string, count = 1) {
    return this.write((sql) => kv.countApiCall(sql, api, day, count));
  }
  reserveApiCalls(api: string, day: string, limit: number, count = 1) {
    return this.write((sql) => kv.reserveApiCalls(sql, api, day, limit, count));
  }
  apiCalls(day: string) {
    return this.read((sql) => kv.apiCallsFor(sql, day));
  }

  enqueueAudit(event: AuditEvent, now = this.clock()) {
    return this.write((sql) => audit.enqueueAudit(sql, event, now));
  }
  enqueueAudits(events: readonly AuditEvent[], now = this.clock()) {
    return this.write(async (sql) => {
      const ids = [];
      for (const event of events) ids.push(await audit.enqueueAudit(sql, event, now));
      return ids;
    });
  }
  takeAuditBatch(limit: number, now = this.clock(), options: ClaimOptions = {}) {
    return this.write((sql) =>
      audit.takeAuditBatch(sql, limit, now, options.leaseMs ?? this.leaseMs),
    );
  }
  markAuditWritten(ids: readonly number[], now = this.clock()) {
    return this.write((sql) => audit.markAuditWritten(sql, ids, now));
  }
  takeNewsBatch(limit: number, now = this.clock(), options: ClaimOptions = {}) {
    return this.write((sql) =>
      audit.takeNewsBatch(sql, limit, now, options.leaseMs ?? this.leaseMs),
    );
  }
  settleNews(settlements: readonly NewsSettlement[], now = this.clock()) {
    return this.write((sql) => audit.settleNews(sql, settlements, now));
  }
  nextNewsRetryAt() {
    return this.read((sql) => audit.nextNewsRetryAt(sql));
  }
  journal(id: string) {
    return this.read(async (sql) => {
      const link = (await links.getLink(sql, id)) ?? (await links.getLinkByReferral(sql, id));
      const ids = new Set([id]);
      if (link) {
        ids.add(link.opportunityId);
        if (link.referralId) ids.add(link.referralId);
      }
      return audit.journal(sql, [...ids]);
    });
  }

  listFailures() {
    return this.read((sql) => jobs.listFailures(sql));
  }
  inboundFailing(referralId: string) {
    return this.read((sql) => jobs.inboundFailing(sql, referralId));
  }
  retryFailures(
    selection: { ids?: readonly (number | string)[]; all?: boolean },
    now = this.clock(),
  ) {
    return this.write((sql) => jobs.retryFailures(sql, selection, now));
  }
  queueDepths(now = this.clock()) {
    return this.read(async (sql) => ({
      ...(await jobs.queueCounts(sql, now)),
      auditPending: await audit.countUnwritten(sql),
      newsPending: await audit.countUntoldNews(sql),
    }));
  }
  prune(options: PruneOptions, now = this.clock()) {
    const cutoff = (days: number) => new Date(now.getTime() - days * DAY_MS);
    return this.write(async (sql) => ({
      auditEvents: await audit.pruneAudit(sql, cutoff(options.journalRetentionDays)),
      inboxItems: await jobs.pruneInbox(
        sql,
        cutoff(options.inboxRetentionDays ?? DEFAULT_INBOX_RETENTION_DAYS),
      ),
      idempotencyKeys: await kv.pruneIdempotencyKeys(sql, cutoff(options.journalRetentionDays)),
    }));
  }

  recordHeartbeat(beat: BridgeHeartbeat) {
    return this.write((sql) => kv.recordHeartbeat(sql, beat));
  }
  clearHeartbeat(owner: string) {
    return this.write((sql) => kv.clearHeartbeat(sql, owner));
  }
  heartbeats() {
    return this.read((sql) => kv.heartbeats(sql));
  }

  acquireLease(name: string, holder: string, ttlMs: number) {
    return this.write((sql) => leases.acquireLease(sql, name, holder, ttlMs));
  }
  renewLease(lease: LeaseFence, ttlMs: number) {
    return this.write((sql) => leases.renewLease(sql, lease, ttlMs));
  }
  releaseLease(lease: LeaseFence) {
    return this.write((sql) => leases.releaseLease(sql, lease));
  }
  leases() {
    return this.read((sql) => leases.leases(sql));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.opened.catch(() => undefined);
    await this.pool.end();
  }
}
