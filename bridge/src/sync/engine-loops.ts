/**
 * The engine's background loops: each runs one step while it finds work and otherwise sleeps
 * until it is woken or its next work comes due (work-loop.ts). The outbound loop also waits for
 * the rest of a batch (claim-schedule.ts) and for Partner Center to answer again.
 */
import type { Logger } from 'pino';
import type { StateStore } from '../store';
import { nextClaimAt, type ClaimBatching } from './claim-schedule';
import { createWorkLoop, type WorkLoop } from './work-loop';

export type LoopName = 'outbound' | 'inbound' | 'audit' | 'reconcile' | 'catchUp';

export interface EngineSteps {
  /** Claimed count 0 = nothing was due. */
  processOutbound(): Promise<{ claimed: number }>;
  processInbound(): Promise<{ claimed: number }>;
  /** Audit events done with; 0 = none waiting. */
  flushAudit(): Promise<number>;
  reconcile(reason: string): Promise<unknown>;
  catchUpPartnerCenter(): Promise<unknown>;
}

export function createEngineLoops(deps: {
  store: Pick<StateStore, 'dueTimes' | 'nextNewsRetryAt'>;
  logger: Logger;
  now: () => Date;
  batchSize: number;
  options: {
    pollIntervalMs: number;
    batchFillWaitMs: number;
    batchQuietMs: number;
    reconcileIntervalMs: number;
    catchUpIntervalMs: number;
  };
  /** How long Partner Center is not to be called (0 = go ahead). */
  partnerCenterPauseMs: () => number;
  /** When the CDC intake last queued work: a bulk change still arriving holds a short batch. */
  lastArrivalAt: () => number | undefined;
  steps: EngineSteps;
}): Record<LoopName, WorkLoop> {
  const { store, logger: log, options, steps } = deps;
  const clock = () => deps.now().getTime();
  async function nextClaimOf(
    queue: 'outbound' | 'inbound',
    batching: ClaimBatching,
    arrivalAt?: number,
  ) {
    const due = await store.dueTimes(queue, batching.size, deps.now());
    return nextClaimAt(due.map(Date.parse), batching, arrivalAt);
  }
  const outboundBatching = {
    size: deps.batchSize,
    fillWaitMs: options.batchFillWaitMs,
    quietMs: options.batchQuietMs,
  };
  const nextOutboundClaim = async () => {
    const pause = deps.partnerCenterPauseMs();
    const next = await nextClaimOf('outbound', outboundBatching, deps.lastArrivalAt());
    return pause > 0 && next !== null ? Math.max(next, clock() + pause) : next;
  };
  const nextInboundClaim = () => nextClaimOf('inbound', { size: 1, fillWaitMs: 0 });
  return {
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
        return (await steps.processOutbound()).claimed > 0;
      },
    }),
    inbound: createWorkLoop({
      name: 'inbound',
      logger: log,
      idleMs: options.pollIntervalMs,
      now: clock,
      nextRunAt: nextInboundClaim,
      work: async () => (await steps.processInbound()).claimed > 0,
    }),
    audit: createWorkLoop({
      name: 'audit',
      logger: log,
      idleMs: Math.max(options.pollIntervalMs, 1_000),
      now: clock,
      // New audit events wake the loop; a notification retry (backoff from 0.1 s) comes due with
      // nothing to wake it, and waited for the next idle round (up to 5 s late) before this.
      nextRunAt: async () => {
        const at = await store.nextNewsRetryAt();
        return at === null ? null : Date.parse(at);
      },
      work: async () => (await steps.flushAudit()) > 0,
    }),
    reconcile: createWorkLoop({
      name: 'reconcile',
      logger: log,
      idleMs: options.reconcileIntervalMs,
      runOnStart: false,
      work: async () => {
        await steps.reconcile('schedule');
        return false;
      },
    }),
    catchUp: createWorkLoop({
      name: 'catch-up',
      logger: log,
      idleMs: options.catchUpIntervalMs,
      runOnStart: false,
      work: async () => {
        await steps.catchUpPartnerCenter();
        return false;
      },
    }),
  };
}
