/**
 * Outbound (Salesforce → Partner Center), one batch: claim due jobs, read their opportunities in
 * one batched query, run `syncOpportunity` for each (at most one Partner Center call per change),
 * then `settleBatch`: audits first, every result written back in one composite call, every job
 * settled in one transaction. A job completes only after its write-back, so a crash or a failed
 * write repeats the job, and the repeat costs no Partner Center call (the stored referral matches).
 */
import { describeError } from '../../errors';
import type { OpportunitySnapshot } from '../../schemas';
import type { OutboundJob } from '../../store';
import { decideFailure } from '../failure-policy';
import { outboundOutcomeLine, writeOutcomeLine } from '../outcome-log';
import type { OutboundDeps } from './deps';
import { saveCreateIntents } from './ensure-referral';
import { emptyOutboundBatch, type OutboundBatchResult } from './outcome';
import { batchEffects, batchSettlements, failureOf, type SettledJob } from './settle-batch';
import { syncOpportunity } from './sync-opportunity';

/** Runs `work` over `items` with at most `limit` in flight; results in input order. */
async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/**
 * Milliseconds each step of a batch took, measured one after the other: claimMs (store), readMs
 * (Salesforce), intentsMs (store: create intents), sendMs (Partner Center), auditMs (outcome log
 * lines and the audit journal), writeBackMs (Salesforce), settleMs (store).
 */
type Phases = ReturnType<typeof startPhases>;

function startPhases() {
  let last = performance.now();
  const durations: Record<string, number> = {};
  return {
    durations,
    end(name: string) {
      const at = performance.now();
      durations[name] = Math.round(at - last);
      last = at;
    },
  };
}

export function createOutboundWorker(deps: OutboundDeps) {
  const { store, logger } = deps;

  /** Nothing was sent: the whole batch waits and retries (a failed read, a failed intent save). */
  async function failAll(jobs: readonly OutboundJob[], error: unknown) {
    await store.settleOutbound(
      jobs.map((job) => ({
        job,
        failure: failureOf(decideFailure(error, job.attempts + 1, deps.now(), deps.backoff)),
      })),
    );
    return { ...emptyOutboundBatch(jobs.length), failed: jobs.length };
  }

  /** Writes the batch's results to Salesforce; returns why each refused record was refused. */
  async function writeBack(settled: readonly SettledJob[], phases: Phases) {
    // Audit first: it is only local and durable, so even a failed write-back leaves a trace
    // (R10). One transaction (one disk sync) for the whole batch, not one per job.
    const { audits, writeBacks } = batchEffects(settled, deps.now().toISOString());
    if (audits.length > 0) await store.enqueueAudits(audits);
    phases.end('auditMs');
    const writeFailures = new Map<string, string>();
    if (writeBacks.length === 0) return writeFailures;
    try {
      for (const r of await deps.writer.writeBack(writeBacks))
        if (!r.success) writeFailures.set(r.id, r.error ?? 'write-back failed');
    } catch (error) {
      for (const w of writeBacks) writeFailures.set(w.id, describeError(error));
      logger.warn(
        { event: 'sync.outbound.write_back_failed', err: describeError(error) },
        'write-back failed',
      );
    }
    return writeFailures;
  }

  /** Claims one batch of due jobs and processes it. Returns what happened (0 claimed = idle). */
  async function processOutbound(): Promise<OutboundBatchResult> {
    const phases = startPhases();
    const jobs = await store.claimOutbound(deps.batchSize, deps.now());
    if (jobs.length === 0) return emptyOutboundBatch();
    phases.end('claimMs');

    let snapshots: OpportunitySnapshot[];
    const readAt = deps.now();
    try {
      snapshots = await deps.reader.readOpportunities([
        ...new Set(jobs.map((j) => j.opportunityId)),
      ]);
    } catch (error) {
      logger.warn(
        { event: 'sync.outbound.read_failed', err: describeError(error) },
        'could not read opportunities',
      );
      return failAll(jobs, error);
    }
    phases.end('readMs');
    const byId = new Map(snapshots.map((s) => [s.id, s]));
    let intents: Map<string, string>;
    try {
      intents = await saveCreateIntents(deps, snapshots);
    } catch (error) {
      return failAll(jobs, error);
    }
    phases.end('intentsMs');

    // Different opportunities are independent: a few Partner Center calls in flight at once keep
    // a large batch from queueing behind one slow response. Results stay in claim order.
    const outcomes = await mapWithConcurrency(jobs, deps.concurrency ?? 1, (job) => {
      const context = {
        snapshot: byId.get(job.opportunityId),
        readAt,
        intentSavedAt: intents.get(job.opportunityId),
      };
      const send = () => syncOpportunity(deps, job, context);
      return deps.inFlight ? deps.inFlight.run(job.opportunityId, send) : send();
    });
    phases.end('sendMs');
    const settled = jobs.map((job, index): SettledJob => {
      const outcome = outcomes[index]!;
      deps.onOutcome?.(outcome.kind);
      writeOutcomeLine(logger, outboundOutcomeLine(job.opportunityId, outcome));
      return { job, outcome, found: byId.has(job.opportunityId) };
    });

    const writeFailures = await writeBack(settled, phases);
    phases.end('writeBackMs');
    // Every job of the batch is settled in one store transaction: one disk sync per batch
    // instead of one per job. Still after the write-back, so a crash before this commit runs the
    // whole batch again, and the repeat costs no Partner Center call (the stored referral matches).
    const { settlements, result } = batchSettlements(
      settled,
      writeFailures,
      deps.now(),
      deps.backoff,
    );
    await store.settleOutbound(settlements);
    phases.end('settleMs');
    // Where the batch's time went, step by step (they run one after the other): a slow Salesforce
    // read or write-back, Partner Center's answers or the store's disk syncs (the create intents,
    // the audit journal, the settlements) each show here, not only in the total.
    logger.debug(
      { event: 'sync.outbound.batch', ...result, ...phases.durations },
      'outbound batch done',
    );
    return result;
  }

  return { processOutbound };
}
