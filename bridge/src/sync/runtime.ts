/**
 * Builds the whole sync side of the bridge from the configuration: store, Salesforce connection,
 * reader/writer/inbound records, CDC subscriber, Partner Center token provider and referrals
 * client (with the R1 budget guard as its `beforeApiCall`), mapping, and the engine. The server
 * and CLI call this once; tests call it against the emulators.
 */
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { BridgeMetrics } from '../metrics';
import { createReferralsClient, type FetchFunction, type ReferralsClient } from '../partner-center';
import {
  createCdcSubscriber,
  createInboundRecords,
  createOpportunityReader,
  createOrgFacts,
  createSalesforceConnection,
  createSalesforceWriter,
  isOwnChange,
  type SalesforceConnection,
} from '../salesforce';
import { openStore, type StateStore } from '../store';
import { createBudgetGuard, type BudgetGuard } from './budget-guard';
import { createSyncEngine, type SyncEngine, type SyncEngineOptions } from './engine';
import { createJunctionParentResolver } from './junction-parents';
import { createSyncMapping } from './mapping-adapter';
import { referralsUserTokens } from './referrals-tokens';

/** CDC channels: opportunities and the solution junction (its rows change what we send). */
export const CDC_CHANNELS = ['/data/OpportunityChangeEvent', '/data/Co_Sell_Solution__ChangeEvent'];

export interface SyncRuntime {
  engine: SyncEngine;
  store: StateStore;
  salesforce: SalesforceConnection;
  referrals: ReferralsClient;
  budget: BudgetGuard;
  /** Sign in to Salesforce (R7: fails with the fix), then start the engine. */
  start(): Promise<void>;
  /** Graceful: stop the engine (in-flight work finishes), then close the store. */
  stop(): Promise<void>;
}

export interface SyncRuntimeOptions {
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
}

export function createSyncRuntime(options: SyncRuntimeOptions): SyncRuntime {
  const { config, logger, metrics } = options;
  const now = options.now ?? (() => new Date());
  const store =
    options.store ??
    openStore(config.bridge.databaseUrl, { coalesceWindowMs: config.bridge.coalesceWindowMs, now });
  const ownsStore = options.store === undefined;

  const salesforce = createSalesforceConnection({
    loginUrl: config.salesforce.loginUrl,
    apiVersion: config.salesforce.apiVersion,
    auth: config.salesforce.auth,
    clientName: config.salesforce.clientName,
    logger: logger.child({ module: 'salesforce' }),
    now,
    onApiCall: metrics
      ? (api, operation, ms, status) => metrics.recordApiCall(api, operation, status, ms)
      : undefined,
  });
  const countryField = config.salesforce.countryField.path;
  const orgFacts = createOrgFacts({ salesforce, logger });
  const reader = createOpportunityReader({ salesforce, countryField, logger, orgFacts });
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
    onUsage: (usage) => {
      metrics?.partnerCenterBudgetLimit.set(usage.budget);
      metrics?.partnerCenterBudgetRemaining.set(usage.left);
    },
  });
  const tokens = referralsUserTokens(config, {
    fetch: options.fetch,
    now,
    // Token requests are calls too (latency, failures), though not against the R1 budget.
    onApiCall: metrics
      ? (api, grant, status, ms) =>
          metrics.recordApiCall('partner-center', `${api}.${grant}`, status, ms)
      : undefined,
  });
  const referrals = createReferralsClient({
    baseUrl: config.partnerCenter.apiUrl,
    tokens,
    logger: logger.child({ module: 'partner-center' }),
    fetch: options.fetch,
    beforeApiCall: (api, operation) => budget.beforeApiCall(api, operation),
    onApiCall: metrics
      ? (api, operation, status, ms) =>
          metrics.recordApiCall(
            'partner-center',
            `${api}.${operation.split(' ')[0] ?? operation}`,
            status,
            ms,
          )
      : undefined,
  });

  const engine = createSyncEngine({
    store,
    reader,
    writer,
    inbound,
    referrals,
    mapping: createSyncMapping({ countryField }),
    budget,
    logger,
    metrics,
    resolveJunctionParents: createJunctionParentResolver(salesforce),
    isOwnChange,
    changeStream: options.withoutChangeStream
      ? undefined
      : (handlers) =>
          createCdcSubscriber({
            connection: salesforce,
            channels: CDC_CHANNELS,
            ...handlers,
            logger: logger.child({ module: 'cdc' }),
          }),
    now,
    options: {
      clientName: config.salesforce.clientName,
      coalesceWindowMs: config.bridge.coalesceWindowMs,
      batchSize: config.bridge.outboundBatchSize,
      reconcileIntervalMs: config.bridge.reconcileIntervalSeconds * 1000,
      catchUpIntervalMs: config.bridge.partnerCenterCatchUpIntervalSeconds * 1000,
      ...options.engine,
    },
  });

  return {
    engine,
    store,
    salesforce,
    referrals,
    budget,
    async start() {
      await salesforce.authorize();
      await engine.start();
    },
    async stop() {
      await engine.stop();
      if (ownsStore) await store.close();
    },
  };
}
