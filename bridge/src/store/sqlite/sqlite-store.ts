import type { DatabaseSync } from 'node:sqlite';
import { TransientError } from '../../errors';
import { MIGRATIONS, type Migration } from '../migrations';
import type { AuditEvent } from '../../schemas';
import type {
  BridgeHeartbeat,
  ClaimOptions,
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
import { migrate, openDatabase } from './database';
import {
  commitOpenTransactions,
  createWriteGroup,
  type WriteGroup,
  type WriteOptions,
} from './group-commit';
import * as heartbeat from './heartbeat';
import * as jobs from './jobs';
import * as kv from './key-values';
import * as leases from './leases';
import * as links from './links';

export interface SqliteStoreOptions {
  /** Clock for operations called without an explicit `now`. */
  now?: () => Date;
  /** Default coalescing window for outbound requests without `notBefore` (BRIDGE_COALESCE_WINDOW_MS). */
  coalesceWindowMs?: number;
  /** Default job lease; a claim not completed within it is re-claimable. */
  leaseMs?: number;
  busyTimeoutMs?: number;
  /**
   * `full` (default): a commit survives power loss. `normal`: survives a process crash, but the
   * last commits may roll back after power loss (the catch-up sweeps would then recover them);
   * for benchmarks and throwaway databases.
   */
  durability?: 'full' | 'normal';
  /** For tests of the migration runner only. */
  migrations?: readonly Migration[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** SQLITE_BUSY and SQLITE_LOCKED (https://www.sqlite.org/rescode.html). */
const SQLITE_BUSY_CODES = new Set([5, 6]);

/**
 * Another process holding the write lock past the busy timeout is worth retrying (the engine
 * backs off on TransientError); anything else is a bug or a broken file and stays as it is.
 */
function classifyStoreError(error: unknown): Error {
  const code = (error as { errcode?: unknown } | null)?.errcode;
  if (typeof code === 'number' && SQLITE_BUSY_CODES.has(code & 0xff)) {
    return new TransientError(
      'the state store is busy (another process holds its write lock)',
      'bridge',
      1_000,
      {
        cause: error,
      },
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}
export const DEFAULT_LEASE_MS = 5 * 60_000;
/** Webhook dedupe memory: Partner Center retries a delivery for far less than this. */
export const DEFAULT_INBOX_RETENTION_DAYS = 30;

/**
 * StateStore on node:sqlite. Every write is atomic (its own savepoint) and the writes of one
 * event-loop turn share one IMMEDIATE transaction (group-commit.ts): a change is either wholly
 * persisted or absent, its promise settles after the commit, and two instances on one file take
 * turns. Reads run at once; the work itself is synchronous.
 */
export class SqliteStore implements StateStore {
  private readonly db: DatabaseSync;
  private readonly clock: () => Date;
  private readonly coalesceWindowMs: number;
  private readonly leaseMs: number;
  private readonly writes: WriteGroup;
  private closed = false;
  /** Migration versions this instance applied on open (empty when another instance had). */
  readonly appliedMigrations: readonly number[];

  constructor(path: string, options: SqliteStoreOptions = {}) {
    this.clock = options.now ?? (() => new Date());
    this.coalesceWindowMs = options.coalesceWindowMs ?? 0;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.db = openDatabase(path, {
      busyTimeoutMs: options.busyTimeoutMs,
      durability: options.durability,
    });
    try {
      // Migrations take the write lock: another store of this process must not hold it (see
      // group-commit.ts).
      commitOpenTransactions();
      this.appliedMigrations = migrate(this.db, options.migrations ?? MIGRATIONS, this.clock());
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.writes = createWriteGroup(this.db, {
      durability: options.durability ?? 'full',
      classify: classifyStoreError,
    });
  }

  /** Transactions this store has committed (group-commit.ts): for tests and diagnostics. */
  get commits(): number {
    return this.writes.commits;
  }

  private write<T>(work: (db: DatabaseSync) => T, options: WriteOptions = {}): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the state store is closed'));
    return this.writes.add(() => work(this.db), options);
  }

  private read<T>(work: (db: DatabaseSync) => T): Promise<T> {
    try {
      return Promise.resolve(work(this.db));
    } catch (error) {
      return Promise.reject(classifyStoreError(error));
    }
  }

  getReplayId(channel: string) {
    return this.read((db) => kv.getReplayId(db, channel));
  }
  resetReplayId(channel: string) {
    return this.write((db) => kv.resetReplayId(db, channel));
  }
  replayCursors() {
    return this.read((db) => kv.replayCursors(db));
  }
  recordChangeEvents(
    channel: string,
    replayId: number,
    items: readonly OutboundRequest[],
    fence?: LeaseFence,
  ) {
    const now = this.clock();
    // Lazy commit: the work and the cursor can only roll back together (power loss before the
    // next FULL commit), and then Salesforce replays the same events from the older cursor.
    return this.write(
      (db) => {
        if (fence) leases.checkFence(db, fence, new Date().toISOString());
        for (const item of items) jobs.enqueueOutbound(db, item, this.coalesceWindowMs, now);
        kv.setReplayId(db, channel, replayId, now);
      },
      { syncLater: true },
    );
  }

  enqueueOutbound(items: readonly OutboundRequest[]) {
    const now = this.clock();
    return this.write((db) => {
      for (const item of items) jobs.enqueueOutbound(db, item, this.coalesceWindowMs, now);
    });
  }
  // Claims (jobs, inbox, audit batches) commit lazily: a claim only keeps other workers away from
  // a job while this process runs it, and a power loss ends this process too. Rolled back, the
  // job is simply claimable again, as it would be once the claim of a dead process is released;
  // nothing outside has been told anything on the strength of a claim.
  claimOutbound(limit: number, now = this.clock(), options: ClaimOptions = {}) {
    return this.write((db) => jobs.claimOutbound(db, limit, now, options.leaseMs ?? this.leaseMs), {
      syncLater: true,
    });
  }
  completeOutbound(job: JobRef, now = this.clock()) {
    return this.write((db) => jobs.completeOutbound(db, job, now));
  }
  failOutbound(job: JobRef, failure: JobFailure, now = this.clock()) {
    return this.write((db) => jobs.failOutbound(db, job, failure, now));
  }
  settleOutbound(settlements: readonly OutboundSettlement[], now = this.clock()) {
    return this.write((db) =>
      settlements.map(({ job, failure }) =>
        failure ? jobs.failOutbound(db, job, failure, now) : jobs.completeOutbound(db, job, now),
      ),
    );
  }
  getOutbound(opportunityId: string) {
    return this.read((db) => jobs.getOutbound(db, opportunityId));
  }

  dueTimes(queue: 'outbound' | 'inbound', limit: number, now = this.clock()) {
    return this.read((db) => jobs.dueTimes(db, queue, limit, now));
  }

  // Durable before Partner Center gets its 200 (a FULL commit), shared with the other writes of
  // the turn: during a catch-up or bulk run the webhook echoes arrive several at a time.
  recordDelivery(item: InboxDelivery) {
    const now = this.clock();
    return this.write((db) => jobs.recordDelivery(db, item, now));
  }
  // Claiming and completing an inbox delivery commit lazily (no disk sync of their own; a process
  // crash keeps them, the next durable commit syncs them). A power loss can only take the newest
  // commits, which leaves the delivery unclaimed or not done: it is worked again, as after a
  // crash just before that commit, and applying a referral is idempotent. The delivery itself is
  // recorded durably before Partner Center gets its 200. Each webhook echo of a catch-up paid
  // three fsyncs on the event loop before (its record, claim and completion: ~45% of the
  // catch-up's CPU profile); now one.
  claimInbox(limit: number, now = this.clock(), options: ClaimOptions = {}) {
    return this.write((db) => jobs.claimInbox(db, limit, now, options.leaseMs ?? this.leaseMs), {
      syncLater: true,
    });
  }
  completeInbox(item: JobRef, now = this.clock(), options: { coversEarlier?: boolean } = {}) {
    return this.write((db) => jobs.completeInbox(db, item, now, options.coversEarlier ?? true), {
      syncLater: true,
    });
  }
  failInbox(item: JobRef, failure: JobFailure, now = this.clock()) {
    return this.write((db) => jobs.failInbox(db, item, failure, now));
  }

  getLink(opportunityId: string) {
    return this.read((db) => links.getLink(db, opportunityId));
  }
  getLinkByReferral(referralId: string) {
    return this.read((db) => links.getLinkByReferral(db, referralId));
  }
  saveLink(link: ReferralLinkUpdate, options: SaveLinkOptions = {}) {
    const now = this.clock();
    return this.write(
      (db) => {
        const saved = links.saveLink(db, link, now);
        if (options.audit) audit.enqueueAudit(db, options.audit, now);
        return saved;
      },
      { syncLater: options.syncLater },
    );
  }

  saveLinks(updates: readonly ReferralLinkUpdate[]) {
    const now = this.clock();
    return this.write((db) => updates.map((link) => links.saveLink(db, link, now)));
  }

  getWatermark(name: string) {
    return this.read((db) => kv.getWatermark(db, name));
  }
  setWatermark(name: string, value: string) {
    const now = this.clock();
    return this.write((db) => kv.setWatermark(db, name, value, now));
  }
  advanceWatermark(name: string, value: string) {
    const now = this.clock();
    return this.write((db) => kv.advanceWatermark(db, name, value, now));
  }

  rememberIdempotencyKey(key: string, value: string, now = this.clock()) {
    return this.write((db) => kv.rememberIdempotencyKey(db, key, value, now));
  }
  getIdempotencyKey(key: string) {
    return this.read((db) => kv.getIdempotencyKey(db, key));
  }

  countApiCall(api: string, day: string, count = 1) {
    return this.write((db) => kv.countApiCall(db, api, day, count));
  }
  reserveApiCalls(api: string, day: string, limit: number, count = 1) {
    return this.write((db) => kv.reserveApiCalls(db, api, day, limit, count));
  }
  apiCalls(day: string) {
    return this.read((db) => kv.apiCallsFor(db, day));
  }

  enqueueAudit(event: AuditEvent, now = this.clock()) {
    return this.write((db) => audit.enqueueAudit(db, event, now));
  }
  enqueueAudits(events: readonly AuditEvent[], now = this.clock()) {
    return this.write((db) => events.map((event) => audit.enqueueAudit(db, event, now)));
  }
  takeAuditBatch(limit: number, now = this.clock(), options: ClaimOptions = {}) {
    return this.write(
      (db) => audit.takeAuditBatch(db, limit, now, options.leaseMs ?? this.leaseMs),
      { syncLater: true }, // a lease, like the claims above
    );
  }
  markAuditWritten(ids: readonly number[], now = this.clock()) {
    return this.write((db) => audit.markAuditWritten(db, ids, now));
  }
  takeNewsBatch(limit: number, now = this.clock(), options: ClaimOptions = {}) {
    return this.write(
      (db) => audit.takeNewsBatch(db, limit, now, options.leaseMs ?? this.leaseMs),
      { syncLater: true }, // a lease, like the audit batch's
    );
  }
  settleNews(settlements: readonly NewsSettlement[], now = this.clock()) {
    return this.write((db) => audit.settleNews(db, settlements, now));
  }
  nextNewsRetryAt() {
    return this.read((db) => audit.nextNewsRetryAt(db));
  }
  journal(id: string) {
    return this.read((db) => {
      const link = links.getLink(db, id) ?? links.getLinkByReferral(db, id);
      const ids = new Set([id]);
      if (link) {
        ids.add(link.opportunityId);
        if (link.referralId) ids.add(link.referralId);
      }
      return audit.journal(db, [...ids]);
    });
  }

  listFailures() {
    return this.read((db) => jobs.listFailures(db));
  }
  inboundFailing(referralId: string) {
    return this.read((db) => jobs.inboundFailing(db, referralId));
  }
  retryFailures(
    selection: { ids?: readonly (number | string)[]; all?: boolean },
    now = this.clock(),
  ) {
    return this.write((db) => jobs.retryFailures(db, selection, now));
  }
  queueDepths(now = this.clock()) {
    return this.read((db) => ({
      ...jobs.queueCounts(db, now),
      auditPending: audit.countUnwritten(db),
      newsPending: audit.countUntoldNews(db),
    }));
  }
  prune(options: PruneOptions, now = this.clock()) {
    const cutoff = (days: number) => new Date(now.getTime() - days * DAY_MS);
    return this.write((db) => ({
      auditEvents: audit.pruneAudit(db, cutoff(options.journalRetentionDays)),
      inboxItems: jobs.pruneInbox(
        db,
        cutoff(options.inboxRetentionDays ?? DEFAULT_INBOX_RETENTION_DAYS),
      ),
      idempotencyKeys: kv.pruneIdempotencyKeys(db, cutoff(options.journalRetentionDays)),
    }));
  }

  recordHeartbeat(beat: BridgeHeartbeat) {
    return this.write((db) => heartbeat.recordHeartbeat(db, beat));
  }
  clearHeartbeat(owner: string) {
    return this.write((db) => heartbeat.clearHeartbeat(db, owner));
  }
  claimSoleInstance(beat: BridgeHeartbeat, staleMs: number) {
    return this.write((db) => heartbeat.claimSoleInstance(db, beat, staleMs));
  }
  heartbeats() {
    return this.read((db) => heartbeat.heartbeats(db));
  }

  // Leases run on the host clock, not `this.clock`: they guard against real process death.
  acquireLease(name: string, holder: string, ttlMs: number) {
    return this.write((db) =>
      leases.acquireLease(db, name, holder, ttlMs, new Date().toISOString()),
    );
  }
  renewLease(lease: LeaseFence, ttlMs: number) {
    return this.write((db) => leases.renewLease(db, lease, ttlMs, new Date().toISOString()));
  }
  releaseLease(lease: LeaseFence) {
    return this.write((db) => leases.releaseLease(db, lease));
  }
  leases() {
    return this.read((db) => leases.leases(db, new Date().toISOString()));
  }

  ready() {
    return this.closed ? Promise.reject(new Error('the state store is closed')) : Promise.resolve();
  }

  /**
   * Commits the writes still waiting for this turn's transaction (their promises resolve, or
   * reject if that commit fails), then closes: a graceful stop loses nothing it was asked to write.
   */
  close() {
    if (!this.closed) {
      this.closed = true;
      try {
        this.writes.flush();
      } finally {
        this.db.close();
      }
    }
    return Promise.resolve();
  }
}
