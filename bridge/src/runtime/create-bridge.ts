/**
 * The composition root: configuration → logger → metrics → sync runtime (store, Salesforce,
 * Partner Center clients, engine) → webhook verifier and router → express app. Nothing else in
 * the bridge builds these objects; `cosell run` and the tests call `createBridge`.
 */
import type { Express } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { createLogger } from '../log';
import { createMetrics, type BridgeMetrics } from '../metrics';
import type { FetchFunction } from '../partner-center';
import { createApp, listenHttp, type HttpServer } from '../server';
import { THIS_PROCESS, type StateStore } from '../store';
import { createSyncRuntime, type SyncEngineOptions, type SyncRuntime } from '../sync';
import { createWebhookRouter, createWebhookVerifier } from '../webhook';
import { startMaintenance, type Maintenance, type MaintenanceOptions } from './maintenance';
import { startPeriodic, type PeriodicTask } from './periodic';
import { readinessChecks } from './readiness';

export interface BridgeOptions {
  config: Config;
  logger?: Logger;
  metrics?: BridgeMetrics;
  /** An already open store; otherwise BRIDGE_DATABASE_URL is opened (and closed on stop). */
  store?: StateStore;
  fetch?: FetchFunction;
  /** Engine tuning beyond the configuration (tests shorten intervals). */
  engine?: Partial<SyncEngineOptions>;
  /** Skip the CDC subscription (receiver-only bridges, tests). */
  withoutChangeStream?: boolean;
  /** Read-only CLI commands: never create a SQLite store that does not exist. */
  storeMustExist?: boolean;
  /** Interface to bind (default BRIDGE_HOST). */
  host?: string;
  /** Heartbeat and retention schedules (tests shorten them). */
  maintenance?: Pick<MaintenanceOptions, 'heartbeatIntervalMs' | 'pruneIntervalMs'>;
}

export interface Bridge {
  readonly config: Config;
  readonly logger: Logger;
  readonly metrics: BridgeMetrics;
  readonly runtime: SyncRuntime;
  readonly app: Express;
  /** Listens on BRIDGE_PORT: webhooks are verified and stored from now on. */
  listen(port?: number): Promise<HttpServer>;
  /**
   * Signs in to Salesforce (R7) and starts the engine: recovery sweeps, CDC, workers; then the
   * heartbeat (`cosell status`) and the daily store retention (BRIDGE_JOURNAL_RETENTION_DAYS).
   */
  startSync(): Promise<void>;
  /** listen + startSync; if sync cannot start the server is closed again. */
  start(): Promise<HttpServer>;
  /**
   * Graceful: stop intake (HTTP, CDC), let in-flight work finish, flush the audit outbox, close
   * the store. Safe to call more than once.
   */
  stop(): Promise<void>;
}

export function createBridge(options: BridgeOptions): Bridge {
  const { config } = options;
  const logger = options.logger ?? createLogger(config);
  const metrics = options.metrics ?? createMetrics({ defaultMetrics: true });
  const runtime = createSyncRuntime({
    config,
    logger,
    metrics,
    store: options.store,
    fetch: options.fetch,
    engine: options.engine,
    withoutChangeStream: options.withoutChangeStream,
    storeMustExist: options.storeMustExist,
  });

  const verifier = createWebhookVerifier({
    allowedCertificateHosts: config.partnerCenter.certificateHosts,
    logger: logger.child({ module: 'webhook' }),
    fetch: options.fetch,
  });
  const webhookRouter = createWebhookRouter({
    verifier,
    logger: logger.child({ module: 'webhook' }),
    // Resolves only once the delivery is in the inbox: the router answers 2xx after that.
    onEvent: async (event, rawBody) => {
      await runtime.engine.onWebhook(event, rawBody);
    },
  });
  const app = createApp({
    webhookRouter,
    metrics,
    metricsToken: config.bridge.metricsToken,
    logger,
    readiness: async () =>
      readinessChecks(await runtime.engine.status(), runtime.health.snapshot()),
  });

  let server: HttpServer | undefined;
  let stopping: Promise<void> | undefined;

  async function listen(port = config.bridge.port): Promise<HttpServer> {
    server ??= await listenHttp(app, port, options.host ?? config.bridge.host);
    logger.info(
      { event: 'bridge.listening', address: server.address, url: server.url },
      `listening on ${server.address}`,
    );
    return server;
  }

  let maintenance: Maintenance | undefined;
  let expirySweep: PeriodicTask | undefined;

  async function startSync(): Promise<void> {
    await runtime.start();
    maintenance ??= startMaintenance({
      store: runtime.store,
      logger: logger.child({ module: 'maintenance' }),
      journalRetentionDays: config.bridge.journalRetentionDays,
      ...options.maintenance,
    });
    // Issue 19: unanswered referrals close to expiry, on the reconciliation schedule (a referral
    // has days to go, so minutes of lag cost nothing).
    expirySweep ??= startPeriodic({
      name: 'expiry-sweep',
      intervalMs: config.bridge.reconcileIntervalSeconds * 1000,
      logger,
      task: async () => {
        await runtime.expirySweep();
      },
    });
  }

  async function stop(): Promise<void> {
    stopping ??= (async () => {
      // Intake first: no new webhook is accepted (in-flight ones finish storing) …
      await server?.close(config.bridge.shutdownTimeoutMs);
      // … then the engine stops CDC, finishes its batches and flushes audits; only then does the
      // heartbeat go (status says "running" while work is still finishing), and the store closes.
      // (A store passed in by the caller stays open: its owner closes it.)
      await expirySweep?.stop();
      await runtime.engine.stop();
      if (maintenance) await maintenance.stop();
      // Sync never started (sign-in failed): still drop the heartbeat `cosell run` claimed with.
      else await runtime.store.clearHeartbeat(THIS_PROCESS.owner).catch(() => undefined);
      await runtime.stop();
    })();
    return stopping;
  }

  return {
    config,
    logger,
    metrics,
    runtime,
    app,
    listen,
    startSync,
    async start() {
      const listening = await listen();
      try {
        await startSync();
      } catch (error) {
        await stop();
        throw error;
      }
      return listening;
    },
    stop,
  };
}
