/**
 * The sync engine: wires intake (CDC, webhooks), the two workers, the recovery sweeps and the
 * audit outbox around one durable store. It only builds the steps and the loops that run them;
 * each step lives in its own module (docs/ARCHITECTURE.md draws them). Every step is also
 * callable on its own (`processOutbound`, `reconcile`, …) so tests and the CLI drive it
 * deterministically; `start()` runs the same steps in background loops, and `stop()` lets
 * in-flight work finish.
 */
import { EventEmitter } from 'node:events';
import { describeError } from '../errors';
import type { SyncOutcome } from '../metrics';
import { DEFAULT_BACKOFF } from '../retry';
import type { CdcSubscriber } from '../salesforce';
import type { VerifiedWebhookEvent } from '../webhook';
import { createReferralApplier } from './apply-referral';
import { createAuditFlush } from './audit-flush';
import { createCdcHandlers } from './cdc-handlers';
import { createEchoExpectations } from './echo';
import { createChangeIntake } from './change-intake';
import { createDealLocks } from './deal-lock';
import { createEngineLoops } from './engine-loops';
import { DEFAULTS, type SyncEngineDeps } from './engine-options';
import { createInboundWorker, type InboundBatchResult } from './inbound-worker';
import { createOperatorSteps } from './operator-steps';
import { createOutboundInFlight } from './outbound-in-flight';
import { emptyOutboundBatch, type OutboundBatchResult } from './outbound/outcome';
import { createOutboundWorker } from './outbound/process-batch';
import { createPartnerCenterCatchUp, createReconciler } from './reconcile';
import { readSyncStatus, type SyncStatus } from './status-report';
import { createWebhookIntake, type WebhookIntakeResult } from './webhook-intake';

export type { ReplayCursorStatus, SyncStatus } from './status-report';
export type { Explanation, ResyncSelection } from './operator-steps';
export { DEFAULTS, type SyncEngineDeps, type SyncEngineOptions } from './engine-options';

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

  // ------------------------------------------------------------------ the steps
  // Shared by the outbound worker, the webhook intake and the inbound worker: a webhook waits
  // for a send of its opportunity before it is judged an echo (echo-settle.ts).
  const outboundInFlight = createOutboundInFlight();
  // The echoes expected for our own 204 PATCHes, shared the same way (echo.ts).
  const echoes = createEchoExpectations();
  // One direction of a deal at a time: an apply's Salesforce write and base save (deal-lock.ts).
  const dealLocks = createDealLocks();
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
    echoes,
    dealLocks,
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
    echoes,
    dealLocks,
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
    echoes,
    settleWaitMs: options.echoSettleWaitMs,
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
  /** Writes buffered audit events to Salesforce (R10), then tells their news; returns how many. */
  const flushAudit = createAuditFlush({
    store,
    writer: deps.writer,
    logger: log,
    now,
    batchSize: options.auditBatchSize,
    onWritten: (done) => events.emit('audit-written', done),
    tellNews: deps.tellNews,
  });
  const operator = createOperatorSteps({
    store,
    reader: deps.reader,
    metrics,
    now,
    wake: (queue) => loops[queue].wake(),
  });

  // ------------------------------------------------------------------ background loops
  /** When the CDC intake last queued work: a bulk change still arriving holds a short batch. */
  let lastArrivalAt: number | undefined;
  const partnerCenterPauseMs = () => deps.partnerCenterPauseMs?.() ?? 0;
  const loops = createEngineLoops({
    store,
    logger: log,
    now,
    batchSize,
    options,
    partnerCenterPauseMs,
    lastArrivalAt: () => lastArrivalAt,
    steps: { processOutbound, processInbound, flushAudit, reconcile, catchUpPartnerCenter },
  });
  let stream: CdcSubscriber | undefined;
  let running = false;
  let pendingReconcile: Promise<unknown> | undefined;

  // ------------------------------------------------------------------ intake
  const recordChangeEvents = createChangeIntake({
    fence: deps.subscriptionFence,
    store,
    clientName: options.clientName,
    mappedTriggerFields: () => deps.mapping.mappedTriggerFields?.() ?? new Set(),
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
        lastArrivalAt = now().getTime();
        loops.outbound.wake();
      }
    },
  });
  const handlers = createCdcHandlers({ store, recordChangeEvents, reconcile, logger: log });

  const webhookIntake = createWebhookIntake({
    store,
    logger: log,
    now,
    outboundInFlight,
    echoes,
    settleWaitMs: options.echoSettleWaitMs,
    onQueued: () => loops.inbound.wake(),
  });

  /**
   * Persists a verified webhook to the inbox (or drops the echo of our own write); the server
   * answers 2xx only after this resolves.
   */
  async function onWebhook(
    event: VerifiedWebhookEvent,
    rawBody?: Buffer | string,
  ): Promise<WebhookIntakeResult> {
    const result = await webhookIntake(event, rawBody);
    metrics?.eventsReceived.inc({ source: 'webhook', type: event.EventName });
    // The outcome the inbound worker gives an echo it recognises, so /metrics counts our echoes
    // the same wherever they are recognised.
    if (result.status === 'echo')
      metrics?.syncOutcomes.inc({ direction: 'inbound', outcome: 'skipped' });
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

  // ------------------------------------------------------------------ steps, as the loops run them
  async function processOutbound(): Promise<OutboundBatchResult> {
    if (partnerCenterPauseMs() > 0) {
      // Partner Center does not answer: the queue waits as a whole, no job spends an attempt.
      return emptyOutboundBatch();
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

  async function status(): Promise<SyncStatus> {
    return readSyncStatus(store, deps.budget, now(), { running, lastReconcileAt, lastCatchUpAt });
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

  // ------------------------------------------------------------------ lifecycle
  async function start(): Promise<void> {
    if (running) return;
    running = true;
    await refreshGauges();
    // Recover first (R13): whatever changed while the bridge was down is queued before the
    // workers start; a sweep failing must not keep the bridge from starting. The stream
    // subscribes meanwhile (its replay of the missed change events is queued like the sweeps'
    // finds, coalescing with them): one after the other, the subscription held the first send
    // back by ~0.2 s per restart. The workers start last, so their first claim sees the sweep and
    // the replay together instead of sending a batch the replay then queues again (a restart
    // after 1,000 changes read 40 more Salesforce pages when the workers started first).
    if (deps.changeStream) stream = deps.changeStream(handlers);
    await Promise.all([
      options.sweepOnStart !== false ? startupSweeps() : undefined,
      stream?.start(),
    ]);
    for (const loop of Object.values(loops)) loop.start();
    events.emit('started');
    log.info({ event: 'sync.started' }, 'sync engine started');
  }

  async function startupSweeps(): Promise<void> {
    await Promise.all([
      // With a change stream the Salesforce side needs no sweep of its own at start: every
      // channel either replays from its stored replay id (everything committed while we were
      // down comes as events) or the subscriber reports why it cannot (no position stored, or
      // one outside the retention window), and those handlers sweep (cdc-handlers.ts). Sweeping
      // anyway re-read every opportunity touched since the watermark: after a 2,000-deal bulk
      // run, 2,500 records read and compared (~2 s of CPU) to find the 500 the replay brings.
      deps.changeStream
        ? undefined
        : reconcile('start').catch((error: unknown) =>
            log.error(
              { event: 'sync.reconcile_failed', err: describeError(error) },
              'start-up reconciliation failed',
            ),
          ),
      catchUpPartnerCenter().catch((error: unknown) =>
        log.error(
          { event: 'sync.catch_up_failed', err: describeError(error) },
          'start-up catch-up failed',
        ),
      ),
    ]);
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
    ...operator,
    status,
    drain,
    /** The CDC handlers (for a subscriber built elsewhere, and for tests). */
    handlers,
    /** 'outbound-batch', 'inbound-batch', 'changes-recorded', 'webhook', 'reconciled', 'caught-up', 'audit-written', 'started', 'stopped'. */
    events,
  };
}

export type SyncEngine = ReturnType<typeof createSyncEngine>;
