import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export type Api = 'salesforce' | 'partner-center';
export type CallOutcome =
  | 'success'
  | 'transient'
  | 'permanent'
  | 'access_denied'
  | 'authentication'
  | 'precondition_failed'
  | 'budget_exhausted'
  | 'error';
export type EventSource = 'cdc' | 'webhook' | 'reconciliation' | 'catch-up' | 'operator';
export type QueueName = 'outbound' | 'outbound_due' | 'inbound' | 'failed' | 'audit';
export type SyncDirection = 'outbound' | 'inbound';
export type SyncOutcome = 'success' | 'error' | 'ignored' | 'skipped';

/** What the store's `queueDepths()` returns; the gauge reads it on every scrape. */
export interface QueueDepths {
  readonly outboundPending: number;
  readonly outboundDue: number;
  readonly inboxPending: number;
  readonly failed: number;
  readonly auditPending: number;
  readonly newsPending: number;
}

export interface CreateMetricsOptions {
  /** Process metrics (CPU, memory, event loop lag); the server turns them on, tests need not. */
  readonly defaultMetrics?: boolean;
}

/**
 * The bridge's Prometheus metrics on a private Registry (never prom-client's global one, so two
 * bridges in one test process do not collide). Other modules call the typed accessors, e.g.
 * `metrics.apiCalls.inc({ api: 'partner-center', operation: 'referrals.create', outcome: 'success' })`.
 */
export function createMetrics(options: CreateMetricsOptions = {}) {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'cosell_' });
  let queueDepthSource: (() => QueueDepths | Promise<QueueDepths>) | undefined;

  const eventsReceived = new Counter<'source' | 'type'>({
    name: 'cosell_events_received_total',
    help: 'Change events received, by source (cdc, webhook, reconciliation, catch-up, operator) and type',
    labelNames: ['source', 'type'],
    registers: [registry],
  });
  const apiCalls = new Counter<'api' | 'operation' | 'outcome'>({
    name: 'cosell_api_calls_total',
    help: 'Calls to Salesforce and Partner Center, by api, operation and outcome',
    labelNames: ['api', 'operation', 'outcome'],
    registers: [registry],
  });
  const apiCallDuration = new Histogram<'api' | 'operation'>({
    name: 'cosell_api_call_duration_seconds',
    help: 'Latency of calls to Salesforce and Partner Center',
    labelNames: ['api', 'operation'],
    // Loopback emulator calls take milliseconds, real ones up to the 120 s client timeout.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120],
    registers: [registry],
  });
  const queueDepth = new Gauge<'queue'>({
    name: 'cosell_queue_depth',
    help: 'Items waiting: outbound (to Partner Center; outbound_due = due now), inbound (webhooks), failed (need an operator or a data change), audit (not yet written to Salesforce), news (owner notifications not yet sent)',
    labelNames: ['queue'],
    registers: [registry],
    // Read from the store on scrape, so the gauge can never drift from the durable truth.
    async collect() {
      if (!queueDepthSource) return;
      const depths = await queueDepthSource();
      this.set({ queue: 'outbound' }, depths.outboundPending);
      this.set({ queue: 'outbound_due' }, depths.outboundDue);
      this.set({ queue: 'inbound' }, depths.inboxPending);
      this.set({ queue: 'failed' }, depths.failed);
      this.set({ queue: 'audit' }, depths.auditPending);
      this.set({ queue: 'news' }, depths.newsPending);
    },
  });
  const partnerCenterBudgetRemaining = new Gauge({
    name: 'cosell_partner_center_budget_remaining',
    help: 'Partner Center calls left in the current UTC day under PARTNER_CENTER_DAILY_CALL_BUDGET (R1)',
    registers: [registry],
  });
  const partnerCenterBudgetLimit = new Gauge({
    name: 'cosell_partner_center_budget_limit',
    help: 'Configured daily Partner Center call budget (R1)',
    registers: [registry],
  });
  const syncOutcomes = new Counter<'direction' | 'outcome'>({
    name: 'cosell_sync_outcomes_total',
    help: 'Sync attempts by direction and outcome (the same outcomes as the audit records)',
    labelNames: ['direction', 'outcome'],
    registers: [registry],
  });
  const replayLag = new Gauge<'channel'>({
    name: 'cosell_replay_lag_seconds',
    help: 'Seconds between a change being committed in Salesforce and the bridge recording it, per CDC channel',
    labelNames: ['channel'],
    registers: [registry],
  });

  const dependencyUp = new Gauge<'dependency'>({
    name: 'cosell_dependency_up',
    help: 'Whether the bridge reaches a dependency: 1 answering, 0 down (a request got no answer), per dependency (salesforce-api, salesforce-stream, partner-center); absent until first used',
    labelNames: ['dependency'],
    registers: [registry],
  });

  return {
    registry,
    /** `dependencyUp.set({ dependency: 'salesforce-stream' }, 0)` while the change stream is down. */
    dependencyUp,
    eventsReceived: typed<{ source: EventSource; type: string }>(eventsReceived),
    apiCalls: typed<{ api: Api; operation: string; outcome: CallOutcome }>(apiCalls),
    apiCallDuration: typedHistogram<{ api: Api; operation: string }>(apiCallDuration),
    queueDepth,
    partnerCenterBudgetRemaining,
    partnerCenterBudgetLimit,
    syncOutcomes: typed<{ direction: SyncDirection; outcome: SyncOutcome }>(syncOutcomes),
    replayLag,
    /** Gauges the queues on each scrape, e.g. `trackQueueDepths(() => store.queueDepths())`. */
    trackQueueDepths(source: () => QueueDepths | Promise<QueueDepths>): void {
      queueDepthSource = source;
    },
    /**
     * One HTTP request to an API, as the clients' `onApiCall` listeners report it (every attempt,
     * retries included, so the counter matches what R1 counts): latency into the histogram,
     * outcome from the HTTP status (0 = no answer) into the counter.
     */
    recordApiCall(api: Api, operation: string, status: number, durationMs: number): void {
      apiCalls.inc({ api, operation, outcome: outcomeOfStatus(status) });
      apiCallDuration.observe({ api, operation }, durationMs / 1000);
    },
    /** Prometheus text exposition format. */
    text(): Promise<string> {
      return registry.metrics();
    },
    contentType: registry.contentType,
  };
}

export type BridgeMetrics = ReturnType<typeof createMetrics>;

/** The outcome label of one HTTP answer, in the error taxonomy's terms (0: no answer at all). */
export function outcomeOfStatus(status: number): CallOutcome {
  if (status >= 200 && status < 400) return 'success';
  if (status === 401) return 'authentication';
  if (status === 403) return 'access_denied';
  if (status === 412) return 'precondition_failed';
  if (status === 408 || status === 429 || status >= 500) return 'transient';
  if (status >= 400) return 'permanent';
  return 'error';
}

/** Narrows a counter's label values so a typo in a label value fails type checking. */
function typed<L extends Record<string, string>>(counter: Counter<Extract<keyof L, string>>) {
  return {
    inc: (labels: L, value = 1) => counter.inc(labels, value),
    get: () => counter.get(),
  };
}

function typedHistogram<L extends Record<string, string>>(
  histogram: Histogram<Extract<keyof L, string>>,
) {
  return {
    observe: (labels: L, seconds: number) => histogram.observe(labels, seconds),
    startTimer: (labels: L) => histogram.startTimer(labels),
  };
}
