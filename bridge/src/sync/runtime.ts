/**
 * Builds the whole sync side of the bridge from the configuration: store, Salesforce connection,
 * reader/writer/inbound records, CDC subscriber, Partner Center token provider and referrals
 * client (with the R1 budget guard as its `beforeApiCall`), mapping, and the engine. The server
 * and CLI call this once; tests call it against the emulators.
 */
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { BridgeMetrics } from '../metrics';
import { describeError, describeNetworkFailure } from '../errors';
import {
  createCircuitBreaker,
  createHttpFetch,
  createReferralsClient,
  type CircuitBreaker,
  type FetchFunction,
  type ReferralsClient,
} from '../partner-center';
import {
  createCdcSubscriber,
  createJunctionParentResolver,
  createInboundRecords,
  createOpportunityReader,
  createOrgFacts,
  createSalesforceConnection,
  createOwnerNotificationClient,
  createSalesforceWriter,
  startReachabilityProbe,
  type ReachabilityProbe,
  type SalesforceConnection,
} from '../salesforce';
import { newClaimToken, openStore, type StateStore } from '../store';
import { createBudgetGuard, type BudgetGuard } from './budget-guard';
import {
  createDependencyHealth,
  type Dependency,
  type DependencyHealth,
} from './dependency-health';
import { createSyncEngine, type SyncEngine, type SyncEngineOptions } from './engine';
import { createExpirySweep, type ExpirySweepResult } from './expiry-sweep';
import { mappedSnapshotFields } from '../mapping';
import { createFieldMapSource } from './field-map-source';
import { createSyncMapping } from './mapping-adapter';
import { createNewsFlush, createOwnerNotifier } from './owner-notifier';
import { referralsUserTokens } from './referrals-tokens';
import { createSubscriptionLease, type SubscriptionLeaseOptions } from './subscription-lease';

/**
 * Partner Center calls counted per durable store transaction. A crash leaves at most 31 unused
 * calls counted for the day (0.3% of the default 10,000); the bulk profile gained most of its
 * event-loop time back (one fsync per 32 calls instead of per call).
 */
const BUDGET_RESERVE_BLOCK = 32;

/** CDC channels: opportunities and the solution junction (its rows change what we send). */
export const CDC_CHANNELS = ['/data/OpportunityChangeEvent', '/data/Co_Sell_Solution__ChangeEvent'];

export interface SyncRuntime {
  engine: SyncEngine;
  store: StateStore;
  salesforce: SalesforceConnection;
  referrals: ReferralsClient;
  budget: BudgetGuard;
  /** Whether Salesforce's API, its change stream and Partner Center answer (readiness, status). */
  health: DependencyHealth;
  /** Open while Partner Center does not answer: the engine claims no outbound work meanwhile. */
  partnerCenterCircuit: CircuitBreaker;
  /** Flags unanswered referrals close to expiry and tells their owners (scheduled by runtime/). */
  expirySweep(): Promise<ExpirySweepResult>;
  /** Sign in to Salesforce (R7: fails with the fix), then start the engine. */
  start(): Promise<void>;
  /** Graceful: stop the engine (in-flight work finishes), then close the store. */
  stop(): Promise<void>;
}

export interface SyncRuntimeOptions {
  /** CDC lease timing (replicas: subscription-lease.ts); tests shorten it. */
  subscriptionLease?: Pick<SubscriptionLeaseOptions, 'ttlMs' | 'retryEveryMs'>;
  config: Config;
  logger: Logger;
  metrics?: BridgeMetrics;
  /** An already open store (tests, the CLI); otherwise BRIDGE_DATABASE_URL is opened. */
  store?: StateStore;
  fetch?: FetchFunction;
  now?: () => Date;
  /** Engine tuning beyond the configuration (tests shorten intervals). */
  engine?: Partial<SyncEngineOptions>;
  /** Skip the CDC subscription (one-shot CLI commands such as `resync`). */
  withoutChangeStream?: boolean;
  /** Read-only CLI commands: a SQLite store that does not exist is an error, not created. */
  storeMustExist?: boolean;
}

export function createSyncRuntime(options: SyncRuntimeOptions): SyncRuntime {
  const { config, logger, metrics } = options;
  const now = options.now ?? (() => new Date());
  const store =
    options.store ??
    openStore(config.bridge.databaseUrl, {
      coalesceWindowMs: config.bridge.coalesceWindowMs,
      now,
      mustExist: options.storeMustExist,
    });
  const ownsStore = options.store === undefined;

  const health = createDependencyHealth({
    // Only the running bridge reports outages as they start and end; a one-shot command reports
    // the failure of its own call instead.
    logger: logger.child(
      { module: 'health' },
      options.withoutChangeStream ? { level: 'error' } : undefined,
    ),
    now,
    onChange: (dependency, up) => metrics?.dependencyUp.set({ dependency }, up ? 1 : 0),
  });
  let probe: ReachabilityProbe | undefined;
  /**
   * Any HTTP answer proves the service is reachable (a 5xx is its own error, retried as such);
   * only a request without an answer (refused, reset, timed out) counts as an outage.
   */
  const observe = (dependency: Dependency, status: number, failure?: unknown) => {
    if (status === 0) {
      health.failed(dependency, describeNetworkFailure(failure));
      return;
    }
    if (dependency === 'salesforce-api') probe?.answered();
    health.succeeded(dependency);
  };

  const salesforce = createSalesforceConnection({
    loginUrl: config.salesforce.loginUrl,
    apiVersion: config.salesforce.apiVersion,
    auth: config.salesforce.auth,
    clientName: config.salesforce.clientName,
    logger: logger.child({ module: 'salesforce' }),
    now,
    onApiCall: (api, operation, ms, status, failure) => {
      metrics?.recordApiCall(api, operation, status, ms);
      observe('salesforce-api', status, failure);
    },
  });
  const countryField = config.salesforce.countryField.path;
  const orgFacts = createOrgFacts({ salesforce, logger });
  const fieldMap = createFieldMapSource({
    salesforce,
    logger,
    intervalMs: config.bridge.fieldMapRefreshSeconds * 1000,
  });
  const reader = createOpportunityReader({
    salesforce,
    countryField,
    logger,
    orgFacts,
    mappedFields: () => mappedSnapshotFields(fieldMap.rules()),
  });
  // Owners hear what needs them (issue 19): the news written audit events carry (the expiry
  // sweep's included), told by the audit outbox's notification stage.
  const notificationClient = createOwnerNotificationClient({
    salesforce,
    apiVersion: config.salesforce.apiVersion,
    logger,
  });
  const tellNews = createNewsFlush({
    store,
    now,
    notifier: createOwnerNotifier({
      client: notificationClient,
      kinds: config.bridge.notifications,
      logger: logger.child({ module: 'notifications' }),
    }),
  });
  const writer = createSalesforceWriter({ salesforce, logger });
  const inbound = createInboundRecords({
    salesforce,
    countryField,
    accountMatch: config.bridge.accountMatching,
    logger,
    orgFacts,
  });

  const budget = createBudgetGuard({
    store,
    dailyBudget: config.partnerCenter.dailyCallBudget,
    now,
    // One durable transaction per 32 calls instead of one per call (see budget-guard.ts).
    reserveBlock: BUDGET_RESERVE_BLOCK,
    onUsage: (usage) => {
      metrics?.partnerCenterBudgetLimit.set(usage.budget);
      metrics?.partnerCenterBudgetRemaining.set(usage.left);
    },
  });
  const tokens = referralsUserTokens(config, {
    fetch: options.fetch,
    now,
    // Token requests are calls too (latency, failures), though not against the R1 budget.
    onApiCall: (api, grant, status, ms, failure) => {
      metrics?.recordApiCall('partner-center', `${api}.${grant}`, status, ms);
      observe('partner-center', status, failure);
    },
  });
  const partnerCenterLog = logger.child({ module: 'partner-center' });
  const partnerCenterCircuit = createCircuitBreaker({
    onOpen: (cooldownMs, cause) =>
      partnerCenterLog.warn(
        { event: 'partner_center.circuit_open', cooldownMs, cause: describeNetworkFailure(cause) },
        `Partner Center does not answer (${describeNetworkFailure(cause)}): outbound sync pauses for ${Math.round(cooldownMs / 1000)} s, then tries again`,
      ),
    onClose: () =>
      partnerCenterLog.info(
        { event: 'partner_center.circuit_closed' },
        'Partner Center answers again: outbound sync resumes',
      ),
  });
  const referrals = createReferralsClient({
    baseUrl: config.partnerCenter.apiUrl,
    tokens,
    logger: partnerCenterLog,
    fetch: partnerCenterCircuit.wrap(options.fetch ?? createHttpFetch()),
    beforeApiCall: (api, operation) => budget.beforeApiCall(api, operation),
    onApiCall: (api, operation, status, ms, failure) => {
      metrics?.recordApiCall(
        'partner-center',
        `${api}.${operation.split(' ')[0] ?? operation}`,
        status,
        ms,
      );
      // R1 counts what Partner Center saw: a call that got no answer gives its count back.
      if (status === 0) void budget.refund(api).catch(() => undefined);
      // The circuit's own refusals say nothing new about Partner Center.
      if ((failure as { name?: unknown } | undefined)?.name !== 'CircuitOpenError')
        observe('partner-center', status, failure);
    },
  });

  // Every replica accepts webhooks and works both queues; only the lease holder subscribes to CDC.
  const subscriptionLease = createSubscriptionLease({
    store,
    holder: newClaimToken(),
    logger: logger.child({ module: 'cdc' }),
    ...options.subscriptionLease,
  });
  const engine = createSyncEngine({
    store,
    reader,
    writer,
    inbound,
    referrals,
    mapping: createSyncMapping({
      countryField,
      holdStage: config.bridge.inboundHoldStage,
      fieldMap: fieldMap.rules,
    }),
    budget,
    logger,
    metrics,
    resolveJunctionParents: createJunctionParentResolver(salesforce),
    partnerCenterPauseMs: () => partnerCenterCircuit.retryInMs(),
    tellNews,
    subscriptionFence: options.withoutChangeStream ? undefined : subscriptionLease.fence,
    changeStream: options.withoutChangeStream
      ? undefined
      : subscriptionLease.guard((handlers) =>
          createCdcSubscriber({
            connection: salesforce,
            channels: CDC_CHANNELS,
            ...handlers,
            onStreamState: (up, cause) =>
              up
                ? health.succeeded('salesforce-stream')
                : health.failed('salesforce-stream', cause),
            logger: logger.child({ module: 'cdc' }),
          }),
        ),
    now,
    options: {
      clientName: config.salesforce.clientName,
      coalesceWindowMs: config.bridge.coalesceWindowMs,
      batchSize: config.bridge.outboundBatchSize,
      outboundConcurrency: config.bridge.outboundConcurrency,
      reconcileIntervalMs: config.bridge.reconcileIntervalSeconds * 1000,
      catchUpIntervalMs: config.bridge.partnerCenterCatchUpIntervalSeconds * 1000,
      ...options.engine,
    },
  });

  const expirySweep = createExpirySweep({
    client: notificationClient,
    writer,
    store,
    warningHours: config.bridge.expiryWarningHours,
    now,
    logger,
  });

  return {
    engine,
    store,
    expirySweep,
    salesforce,
    referrals,
    budget,
    health,
    partnerCenterCircuit,
    async start() {
      await salesforce.authorize();
      // The admin's mapping before the first sync; an unreadable one keeps the shipped mapping.
      await fieldMap.refresh();
      fieldMap.start();
      await engine.start();
      if (!options.withoutChangeStream)
        probe ??= startReachabilityProbe({
          connection: salesforce,
          logger: logger.child({ module: 'salesforce' }),
        });
    },
    async stop() {
      probe?.stop();
      probe = undefined;

      fieldMap.stop();
      await engine.stop();
      // Calls reserved ahead and not used go back, so the stored count is exact after a stop.
      await budget
        .release()
        .catch((error: unknown) =>
          logger.warn(
            { event: 'budget.release_failed', err: describeError(error) },
            'could not give back the unused reserved Partner Center calls (they stay counted today)',
          ),
        );
      if (ownsStore) await store.close();
    },
  };
}
