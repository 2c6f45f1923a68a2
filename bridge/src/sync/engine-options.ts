/**
 * What the engine is built from: its dependencies (built from Config by runtime.ts, or by a test)
 * and its tuning options with their defaults.
 */
import type { Logger } from 'pino';
import type { BridgeMetrics } from '../metrics';
import type { ReferralsClient } from '../partner-center';
import type { BackoffPolicy } from '../retry';
import type {
  CdcHandlers,
  CdcSubscriber,
  InboundRecords,
  JunctionParentResolver,
  OpportunityReader,
  SalesforceWriter,
} from '../salesforce';
import type { LeaseFence, StateStore } from '../store';
import type { BudgetGuard } from './budget-guard';
import type { SyncMapping } from './mapping-adapter';

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
  /**
   * How long a webhook waits for an outbound send of its opportunity to finish before it is
   * judged (echo-settle.ts ECHO_SETTLE_WAIT_MS); tests shorten it.
   */
  echoSettleWaitMs?: number;
  backoff?: BackoffPolicy;
  auditBatchSize?: number;
  /**
   * Run the start-up sweeps (default true): the Partner Center catch-up, and the Salesforce
   * reconciliation when there is no change stream (with one, its replay or its handlers cover
   * Salesforce). Off only in tests that must prove the replay cursor alone resumes the stream.
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
  /**
   * How long Partner Center is not to be called (its circuit breaker is open during an outage):
   * outbound work waits as a whole instead of each job failing and spending its attempts.
   */
  partnerCenterPauseMs?: () => number;
  /**
   * The audit outbox's notification stage (owner-notifier.ts `createNewsFlush`): runs after each
   * audit flush; returns how many news items it settled.
   */
  tellNews?: () => Promise<number>;
  now?: () => Date;
  options: SyncEngineOptions;
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
  catchUpSaveEvery: 1_000,
  maxPreconditionRetries: 3,
  outboundConcurrency: 8,
  auditBatchSize: 200,
} as const;
