/**
 * The sync engine: wires intake (CDC, webhooks), the two workers, the recovery sweeps and the
 * audit outbox around one durable store. Every step is also callable on its own (`processOutbound`,
 * `reconcile`, …) so tests and the CLI drive it deterministically; `start()` runs the same steps
 * in background loops, and `stop()` lets in-flight work finish.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { describeError } from '../errors';
import type { BridgeMetrics, SyncOutcome } from '../metrics';
import { DEFAULT_BACKOFF, type BackoffPolicy } from '../retry';
import type {
  CdcHandlers,
  CdcSubscriber,
  ChangeEventHeader,
  InboundRecords,
  JunctionParentResolver,
  OpportunityReader,
  SalesforceWriter,
} from '../salesforce';
import type { VerifiedWebhookEvent } from '../webhook';
import type { BudgetGuard } from './budget-guard';
export type { ReplayCursorStatus, SyncStatus } from './status-report';
import { createChangeIntake } from './change-intake';
import { nextClaimAt, type ClaimBatching } from './claim-schedule';
import { createReferralApplier } from './apply-referral';
import { createInboundWorker, type InboundBatchResult } from './inbound-worker';
import { createOutboundInFlight } from './outbound-in-flight';
import { createOutboundWorker } from './outbound/process-batch';
import type { OutboundBatchResult } from './outbound/outcome';
import type { ReferralsClient } from '../partner-center';
import type { FailureRecord, JournalEntry, LeaseFence, ReferralLink, StateStore } from '../store';
import type { SyncMapping } from './mapping-adapter';
import { createPartnerCenterCatchUp, createReconciler } from './reconcile';
import { readSyncStatus, type SyncStatus } from './status-report';
import { createWebhookIntake, type WebhookIntakeResult } from './webhook-intake';
import { createWorkLoop, type WorkLoop } from './work-loop';

export interface SyncEngineOptions {
  /** Sforce-Call-Options client id of our connection: changes it made are echoes (R9). */
  clientName: string;
  /** A burst of edits inside this window becomes one Partner Center call (R1). */
  coalesceWindowMs?: number;
  /** Jobs per claim; also the composite write-back batch (≤ 200). */
  batchSize?: number;
  /**
   * Longest sleep of an idle worker. Workers wake on new work and at the next job's due time, so
   * this only bounds how late work queued by another process (the CLI) is noticed.
   */
  pollIntervalMs?: number;
  /** An outbound batch waits up to this long past its first due job for jobs due right after. */
  batchFillWaitMs?: number;
  /** A batch that is not full waits until no change arrived for this long (claim-schedule.ts). */
  batchQuietMs?: number;
  reconcileIntervalMs?: number;
  catchUpIntervalMs?: number;
  /** The first Partner Center catch-up (no watermark yet) looks back this far. */
  catchUpInitialLookbackMs?: number;
  /** A catch-up saves its watermark durably after this many listed referrals. */
  catchUpSaveEvery?: number;
  maxPreconditionRetries?: number;
  /** Partner Center calls in flight at once within an outbound batch. */
  outboundConcurrency?: number;
  backoff?: BackoffPolicy;
  auditBatchSize?: number;
  /**
   * Run the reconciliation and catch-up sweeps on start (default true). Off only in tests that
   * must prove the replay cursor alone resumes the stream.
   */
  sweepOnStart?: boolean;
}

export interface SyncEngineDeps {
  store: StateStore;
  reader: OpportunityReader;
  writer: SalesforceWriter;
  inbound: InboundRecords;
  referrals: ReferralsClient;
  mapping: SyncMapping;
  /** The same guard must be the referrals client's `beforeApiCall` (R1). */
  budget: BudgetGuard;
  logger: Logger;
  metrics?: BridgeMetrics;
  resolveJunctionParents?: JunctionParentResolver;
  /** Builds the CDC subscriber around the engine's handlers (salesforce/createCdcSubscriber). */
  changeStream?: (handlers: CdcHandlers) => CdcSubscriber;
  /** With replicas: the CDC lease's fence, checked when the replay cursor moves. */
  subscriptionFence?: () => LeaseFence;
  isOwnChange(header: ChangeEventHeader, clientName: string): boolean;
  /**
   * How long Partner Center is not to be called (its circuit breaker is open during an outage):
   * outbound work waits as a whole instead of each job failing and spending its attempts.
   */
  partnerCenterPauseMs?: () => number;
  now?: () => Date;
  options: SyncEngineOptions;
}

export type ResyncSelection = { opportunityId: string } | { all: true } | { since: string };

export interface Explanation {
  id: string;
  link: ReferralLink | null;
  queued: Awaited<ReturnType<StateStore['getOutbound']>> | null;
  failures: FailureRecord[];
  journal: JournalEntry[];
}

export const DEFAULTS = {
  coalesceWindowMs: 2_000,
  batchSize: 200,
  pollIntervalMs: 5_000,
  batchFillWaitMs: 500,
  batchQuietMs: 150,
  reconcileIntervalMs: 15 * 60_000,
  catchUpIntervalMs: 15 * 60_000,
  catchUpInitialLookbackMs: 30 * 24 * 60 * 60_000,
  catchUpSaveEvery: 100,
  maxPreconditionRetries: 3,
  outboundConcurrency: 8,
  auditBatchSize: 200,
} as const;

const OUTCOME_METRIC: Record<string, SyncOutcome> = {
  synced: 'success',
  applied: 'success',
  created: 'success',
  unchanged: 'skipped',
  stale: 'skipped',
  skipped: 'skipped',
  invalid: 'error',
  failed: 'error',
  ignored: 'ignored',
};

export function createSyncEngine(deps: SyncEngineDeps) {
  const { store, logger, metrics } = deps;
  const now = deps.now ?? (() => new Date());
  const options = { ...DEFAULTS, ...deps.options };
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const batchSize = Math.min(200, Math.max(1, options.batchSize));
  const events = new EventEmitter();
  const log = logger.child({ module: 'sync' });
  let lastReconcileAt: string | null = null;
  let lastCatchUpAt: string | null = null;

  // Shared by both workers: the inbound one waits for a send before judging its webhook echo.
  const outboundInFlight = createOutboundInFlight();
  // Applies a referral state to Salesforce: the inbound worker's step, and the outbound worker's
  // when a 412 shows Partner Center changes that Salesforce has not got yet.
  const applier = createReferralApplier({
    store,
    reader: deps.reader,
    writer: deps.writer,
    inbound: deps.inbound,
    referrals: deps.referrals,
    mapping: deps.mapping,
    logger: log,
    now,
    maxPreconditionRetries: options.maxPreconditionRetries,
    backoff,
    outboundInFlight,
    onOutcome: (kind) =>
      metrics?.syncOutcomes.inc({ direction: 'inbound', outcome: OUTCOME_METRIC[kind] ?? 'error' }),
  });
  const outbound = createOutboundWorker({
    store,
    reader: deps.reader,
    writer: deps.writer,
    referrals: deps.referrals,
    mapping: deps.mapping,
    budget: deps.budget,
    logger: log,
    now,
    batchSize,
    maxPreconditionRetries: options.maxPreconditionRetries,
    backoff,
    concurrency: options.outboundConcurrency,
    inFlight: outboundInFlight,
    applyPartnerCenterChange: async (referral, eTag) => {
      const outcome = await applier.apply(referral, eTag, 0);
      await applier.record(referral.id, outcome);
      return outcome.kind === 'failed'
        ? { kind: 'failed', decision: outcome.decision }
        : { kind: 'applied' };
    },
    onOutcome: (kind) =>
      metrics?.syncOutcomes.inc({
        direction: 'outbound',
        outcome: OUTCOME_METRIC[kind] ?? 'error',
      }),
  });
  const inbound = createInboundWorker({
    store,
    referrals: deps.referrals,
    applier,
    logger: log,
    now,
    batchSize,
    backoff,
    outboundInFlight,
  });
  const reconciler = createReconciler({
    store,
    reader: deps.reader,
    mapping: deps.mapping,
    now,
    logger: log,
  });
  const catchUp = createPartnerCenterCatchUp({
    store,
    referrals: deps.referrals,
    now,
    logger: log,
    initialLookbackMs: options.catchUpInitialLookbackMs,
    saveEvery: options.catchUpSaveEvery,
  });

  // ------------------------------------------------------------------ background loops
  const clock = () => now().getTime();
  /** When the CDC intake last queued work: a bulk change still arriving holds a short batch. */
  let lastArrivalAt: number | undefined;
  async function nextClaimOf(
    queue: 'outbound' | 'inbound',
    batching: ClaimBatching,
    arrivalAt?: number,
  ) {
    const due = await store.dueTimes(queue, batching.size, now());
    return nextClaimAt(due.map(Date.parse), batching, arrivalAt);
  }
  const outboundBatching = {
    size: batchSize,
    fillWaitMs: options.batchFillWaitMs,
    quietMs: options.batchQuietMs,
  };
  const partnerCenterPauseMs = () => deps.partnerCenterPauseMs?.() ?? 0;
  const nextOutboundClaim = async () => {
    const pause = partnerCenterPauseMs();
    const next = await nextClaimOf('outbound', outboundBatching, lastArrivalAt);
    return pause > 0 && next !== null ? Math.max(next, clock() + pause) : next;
  };
  const nextInboundClaim = () => nextClaimOf('inbound', { size: 1, fillWaitMs: 0 });
  const loops: Record<'outbound' | 'inbound' | 'audit' | 'reconcile' | 'catchUp', WorkLoop> = {
    outbound: createWorkLoop({
      name: 'outbound',
      logger: log,
      idleMs: options.pollIntervalMs,
      now: clock,
      nextRunAt: nextOutboundClaim,
      work: async () => {
        // Not yet due, or more jobs come due right behind it (one batch, one write-back).
        const at = await nextOutboundClaim();
        if (at !== null && at > clock()) return false;
        return (await processOutbound()).claimed > 0;
      },
    }),
    inbound: createWorkLoop({
      name: 'inbound',
      logger: log,
      idleMs: options.pollIntervalMs,
      now: clock,
      nextRunAt: nextInboundClaim,
      work: async () => (await processInbound()).claimed > 0,
    }),
    audit: createWorkLoop({
      name: 'audit',
      logger: log,
      idleMs: Math.max(options.pollIntervalMs, 1_000),
      work: async () => (await flushAudit()) > 0,
    }),
    reconcile: createWorkLoop({
      name: 'reconcile',
      logger: log,
      idleMs: options.reconcileIntervalMs,
      runOnStart: false,
      work: async () => {
        await reconcile('schedule');
        return false;
      },
    }),
    catchUp: createWorkLoop({
      name: 'catch-up',
      logger: log,
      idleMs: options.catchUpIntervalMs,
      runOnStart: false,
      work: async () => {
        await catchUpPartnerCenter();
        return false;
      },
    }),
  };
  let stream: CdcSubscriber | undefined;
  let running = false;
  let pendingReconcile: Promise<unknown> | undefined;

  // ------------------------------------------------------------------ intake
  const recordChangeEvents = createChangeIntake({
    fence: deps.subscriptionFence,
    store,
    isOwnChange: (header) => deps.isOwnChange(header, options.clientName),
    resolveJunctionParents: deps.resolveJunctionParents,
    coalesceWindowMs: options.coalesceWindowMs,
    now,
    logger: log,
    requestReconciliation: (reason) => requestReconciliation(reason),
    onRecorded: (channel, enqueued, batch) => {
      for (const event of batch) {
        metrics?.eventsReceived.inc({ source: 'cdc', type: event.header.changeType });
      }
      const commit = batch[batch.length - 1]?.header.commitTimestamp;
      if (typeof commit === 'number')
        metrics?.replayLag.set({ channel }, Math.max(0, (now().getTime() - commit) / 1000));
      events.emit('changes-recorded', { channel, enqueued });
      if (enqueued > 0) {
        lastArrivalAt = clock();
        loops.outbound.wake();
      }
    },
  });

  const webhookIntake = createWebhookIntake({
    store,
    logger: log,
    now,
    onQueued: () => loops.inbound.wake(),
  });

  /** Persists a verified webhook to the inbox; the server answers 2xx only after this resolves. */
  async function onWebhook(
    event: VerifiedWebhookEvent,
    rawBody?: Buffer | string,
  ): Promise<WebhookIntakeResult> {
    const result = await webhookIntake(event, rawBody);
    metrics?.eventsReceived.inc({ source: 'webhook', type: event.EventName });
    events.emit('webhook', result);
    return result;
  }

  function requestReconciliation(reason: string): void {
    // Collapse a flurry of requests (several gap events) into the sweep already running.
    pendingReconcile ??= reconcile(reason)
      .catch((error: unknown) =>
        log.error(
          { event: 'sync.reconcile_failed', err: describeError(error) },
          'reconciliation failed',
        ),
      )
      .finally(() => {
        pendingReconcile = undefined;
      });
  }

  const handlers: CdcHandlers = {
    getReplayId: (channel) => store.getReplayId(channel),
    onEvents: (channel, batch) => recordChangeEvents(channel, batch),
    async onGap(channel, header, replayId) {
      // The gap event still moves the cursor; the triage re-reads its records or reconciles.
      await recordChangeEvents(channel, [{ replayId, header, fields: {} }]);
    },
    async onReplayInvalid(channel, staleReplayId) {
      log.warn(
        { event: 'sync.replay_invalid', channel, staleReplayId },
        'stored replay id is outside the retention window; reconciling by SystemModstamp',
      );
      // Awaited: the subscriber is live again at -1, so this sweep plus the stream miss nothing.
      await reconcile(`replay window expired on ${channel}`);
    },
    async onNewEventsOnly(channel) {
      // A first start (or a resubscribe before any event) listens from now on: the start-up
      // sweep ran before the subscription existed, so changes committed in between are only
      // found by a sweep that starts now. Not collapsed into a running sweep: that one may have
      // read before the subscription. Awaited, like onReplayInvalid, to keep the stream ordered.
      await reconcile(`change stream live from now on ${channel}`);
    },
    onMalformed(channel, problem, replayId) {
      log.warn(
        { event: 'sync.cdc_malformed', channel, replayId, problem },
        'malformed change event skipped',
      );
    },
  };

  // ------------------------------------------------------------------ steps
  async function processOutbound(): Promise<OutboundBatchResult> {
    if (partnerCenterPauseMs() > 0) {
      // Partner Center does not answer: the queue waits as a whole, no job spends an attempt.
      return { claimed: 0, synced: 0, unchanged: 0, skipped: 0, invalid: 0, failed: 0 };
    }
    const result = await outbound.processOutbound();
    if (result.claimed > 0) {
      events.emit('outbound-batch', result);
      loops.audit.wake();
      await refreshGauges();
    }
    return result;
  }

  async function processInbound(): Promise<InboundBatchResult> {
    const result = await inbound.processInbound();
    if (result.claimed > 0) {
      events.emit('inbound-batch', result);
      // Only when it audited something: echoes of our own sends (stale) audit nothing, and waking
      // the audit loop for each of them flushed the outbound audits in dribbles (a bulk run of
      // 2,000 took ~100 audit inserts instead of 10).
      if (result.applied + result.created + result.ignored + result.failed > 0) loops.audit.wake();
      await refreshGauges();
    }
    return result;
  }

  /** Writes buffered audit events to Salesforce in batches (R10). Returns how many were written. */
  async function flushAudit(): Promise<number> {
    const batch = await store.takeAuditBatch(options.auditBatchSize, now());
    if (batch.length === 0) return 0;
    let results;
    try {
      results = await deps.writer.writeAuditEvents(batch.map((b) => b.event));
    } catch (error) {
      // Left leased; the lease expires and the next flush retries the same events.
      log.warn(
        { event: 'sync.audit_write_failed', err: describeError(error) },
        'audit write to Salesforce failed',
      );
      return 0;
    }
    const done: number[] = [];
    batch.forEach((item, index) => {
      const result = results[index];
      if (result?.success) done.push(item.id);
      else if (result && !(result.failure && result.failure.name === 'TransientError')) {
        // A record Salesforce will never accept (e.g. its opportunity was deleted) stays in the
        // local journal only; retrying it forever would block nothing but waste calls.
        log.warn(
          { event: 'sync.audit_rejected', error: result.error },
          'audit event rejected by Salesforce',
        );
        done.push(item.id);
      }
    });
    await store.markAuditWritten(done, now());
    events.emit('audit-written', done.length);
    return done.length;
  }

  async function reconcile(reason = 'operator') {
    const result = await reconciler(reason);
    lastReconcileAt = now().toISOString();
    metrics?.eventsReceived.inc({ source: 'reconciliation', type: 'sweep' }, result.enqueued);
    events.emit('reconciled', result);
    if (result.enqueued > 0) loops.outbound.wake();
    return result;
  }

  async function catchUpPartnerCenter() {
    const result = await catchUp();
    lastCatchUpAt = now().toISOString();
    metrics?.eventsReceived.inc({ source: 'catch-up', type: 'referral' }, result.queued);
    events.emit('caught-up', result);
    if (result.queued > 0) loops.inbound.wake();
    return result;
  }

  /** R13: push current Salesforce state again, without the "make a minor edit" workaround. */
  async function resync(
    selection: ResyncSelection,
    opts: { fresh?: boolean } = {},
  ): Promise<number> {
    let ids: string[];
    if ('opportunityId' in selection) ids = [selection.opportunityId];
    else {
      const rows = await deps.reader.listChangedSince(
        'all' in selection ? undefined : selection.since,
      );
      ids = rows.map((row) => row.id);
    }
    const fresh = opts.fresh ?? 'opportunityId' in selection;
    if (fresh) {
      // Forget the stored base so the worker re-reads the referral and diffs against the truth.
      for (const opportunityId of ids) {
        if (await store.getLink(opportunityId))
          await store.saveLink({ opportunityId, referral: null });
      }
    }
    const at = now();
    await store.enqueueOutbound(
      ids.map((opportunityId) => ({ opportunityId, reason: 'resync', notBefore: at })),
    );
    metrics?.eventsReceived.inc({ source: 'operator', type: 'resync' }, ids.length);
    loops.outbound.wake();
    return ids.length;
  }

  /** R14: make failed items due now (one, several, or all). */
  async function retryFailures(selection: {
    ids?: readonly (number | string)[];
    all?: boolean;
  }): Promise<number> {
    const count = await store.retryFailures(selection, now());
    loops.outbound.wake();
    loops.inbound.wake();
    return count;
  }

  async function failures(): Promise<FailureRecord[]> {
    return store.listFailures();
  }

  async function status(): Promise<SyncStatus> {
    return readSyncStatus(store, deps.budget, now(), { running, lastReconcileAt, lastCatchUpAt });
  }

  /** R18: what happened to one opportunity or referral, and why. */
  async function explain(id: string): Promise<Explanation> {
    const link = (await store.getLink(id)) ?? (await store.getLinkByReferral(id)) ?? null;
    const opportunityId = link?.opportunityId ?? id;
    const keys = new Set([id, opportunityId, ...(link?.referralId ? [link.referralId] : [])]);
    const [queued, failureList, journal] = await Promise.all([
      store.getOutbound(opportunityId),
      store.listFailures(),
      store.journal(id),
    ]);
    return {
      id,
      link,
      queued: queued ?? null,
      failures: failureList.filter((f) => keys.has(f.key)),
      journal,
    };
  }

  async function refreshGauges(): Promise<void> {
    if (!metrics) return;
    try {
      const usage = await deps.budget.usage();
      metrics.partnerCenterBudgetLimit.set(usage.budget);
      metrics.partnerCenterBudgetRemaining.set(usage.left);
    } catch (error) {
      log.debug({ err: describeError(error) }, 'gauge refresh failed');
    }
  }
  metrics?.trackQueueDepths(() => store.queueDepths(now()));

  /**
   * Runs every step until nothing is due (tests, `cosell resync --wait`). Work not yet due (the
   * coalescing window, a retry later) stays queued.
   */
  async function drain(maxRounds = 50): Promise<void> {
    for (let round = 0; round < maxRounds; round += 1) {
      const out = await processOutbound();
      const inb = await processInbound();
      const audit = await flushAudit();
      if (out.claimed === 0 && inb.claimed === 0 && audit === 0) return;
    }
  }

  async function start(): Promise<void> {
    if (running) return;
    running = true;
    await refreshGauges();
    // Recover first (R13): whatever changed while the bridge was down is queued before the
    // stream resumes; either sweep failing must not keep the bridge from starting.
    if (options.sweepOnStart !== false) await startupSweeps();
    for (const loop of Object.values(loops)) loop.start();
    if (deps.changeStream) {
      stream = deps.changeStream(handlers);
      await stream.start();
    }
    events.emit('started');
    log.info({ event: 'sync.started' }, 'sync engine started');
  }

  async function startupSweeps(): Promise<void> {
    await reconcile('start').catch((error: unknown) =>
      log.error(
        { event: 'sync.reconcile_failed', err: describeError(error) },
        'start-up reconciliation failed',
      ),
    );
    await catchUpPartnerCenter().catch((error: unknown) =>
      log.error(
        { event: 'sync.catch_up_failed', err: describeError(error) },
        'start-up catch-up failed',
      ),
    );
  }

  /** Graceful: stop taking new CDC events, let each loop finish its batch, flush the audit. */
  async function stop(): Promise<void> {
    if (!running) return;
    running = false;
    await stream?.stop();
    stream = undefined;
    await Promise.all(Object.values(loops).map((loop) => loop.stop()));
    await pendingReconcile;
    await flushAudit().catch(() => undefined);
    events.emit('stopped');
    log.info({ event: 'sync.stopped' }, 'sync engine stopped');
  }

  return {
    start,
    stop,
    onWebhook,
    processOutbound,
    processInbound,
    flushAudit,
    reconcile,
    catchUpPartnerCenter,
    resync,
    retryFailures,
    failures,
    status,
    explain,
    drain,
    /** The CDC handlers (for a subscriber built elsewhere, and for tests). */
    handlers,
    /** 'outbound-batch', 'inbound-batch', 'changes-recorded', 'webhook', 'reconciled', 'caught-up', 'audit-written', 'started', 'stopped'. */
    events,
  };
}

export type SyncEngine = ReturnType<typeof createSyncEngine>;
