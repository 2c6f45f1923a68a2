/**
 * Outbound step 3, pure: a batch's outcomes become what the worker persists and writes. Two
 * halves, because the settlements depend on the write-back's answer:
 * `batchEffects` (audits and write-backs, before the write-back) and `batchSettlements`
 * (how each job ends, after it). No I/O: unit-tested outcome by outcome.
 */
import { problemFields } from '../../mapping';
import { backoffDelayMs, type BackoffPolicy } from '../../retry';
import type { FieldUpdate } from '../../salesforce';
import type { AuditEvent } from '../../schemas';
import type { OutboundJob, OutboundSettlement } from '../../store';
import type { FailureDecision } from '../failure-policy';
import { emptyOutboundBatch, type OutboundBatchResult, type OutboundOutcome } from './outcome';

export interface SettledJob {
  job: OutboundJob;
  outcome: OutboundOutcome;
  /** False when the batch's read did not find the opportunity (its audits name none). */
  found: boolean;
}

/** The failure record a retry decision leaves on the job. */
export function failureOf(decision: FailureDecision): NonNullable<OutboundSettlement['failure']> {
  return {
    error: decision.message,
    permanent: decision.kind === 'permanent',
    retryAt: decision.kind === 'permanent' ? null : decision.retryAt,
  };
}

/** A failed attempt becomes visible to the seller only when someone must act or it persists. */
const VISIBLE_AFTER_ATTEMPTS = 3;

/** The audit events (R10) and the Salesforce write-backs of a batch, in claim order. */
export function batchEffects(
  settled: readonly SettledJob[],
  occurredAt: string,
): { audits: AuditEvent[]; writeBacks: FieldUpdate[] } {
  const audits: AuditEvent[] = [];
  const writeBacks: FieldUpdate[] = [];
  for (const { job, outcome, found } of settled) {
    const id = job.opportunityId;
    const audit = (event: Omit<AuditEvent, 'opportunityId' | 'direction' | 'occurredAt'>) =>
      audits.push({
        opportunityId: found ? id : null,
        direction: 'Outbound',
        occurredAt,
        ...event,
      });
    switch (outcome.kind) {
      case 'synced':
        if (outcome.fields) writeBacks.push({ id, fields: outcome.fields });
        if (outcome.audited) break;
        audit({
          outcome: 'Success',
          message: outcome.message,
          referralId: outcome.referralId,
          apiCalls: outcome.apiCalls,
        });
        break;
      case 'unchanged':
        if (outcome.fields) writeBacks.push({ id, fields: outcome.fields });
        // A sweep re-checks records whose SystemModstamp moved (often our own write-back):
        // finding nothing to do there is not an attempt worth a Co_Sell_Sync_Event__c row.
        if (job.reason === 'reconcile' && !outcome.fields && outcome.apiCalls === 0) break;
        audit({
          outcome: 'Skipped',
          message: 'Nothing to send: Partner Center already has this state',
          referralId: outcome.referralId,
          apiCalls: outcome.apiCalls,
        });
        break;
      case 'skipped':
        if (outcome.message) {
          audit({ outcome: 'Skipped', message: outcome.message, referralId: null, apiCalls: 0 });
        }
        break;
      case 'invalid':
        writeBacks.push({ id, fields: problemFields('Error', outcome.message) });
        audit({
          outcome: 'Error',
          news: 'sync-error',
          message: outcome.message,
          referralId: outcome.referralId,
          apiCalls: outcome.apiCalls,
        });
        break;
      case 'failed': {
        const { decision } = outcome;
        // Sellers see a pause or a fix they must make; short transient blips stay in the log.
        // Access and sign-in problems (R2, R7) show as Error at once: someone must act.
        const needsOperator = decision.kind === 'retry' && decision.needsOperator === true;
        if (
          decision.kind !== 'retry' ||
          needsOperator ||
          job.attempts + 1 >= VISIBLE_AFTER_ATTEMPTS
        ) {
          const status = decision.kind === 'permanent' || needsOperator ? 'Error' : 'Pending';
          writeBacks.push({ id, fields: problemFields(status, decision.message) });
        }
        // Tagged like any other news rather than recognised by direction and outcome: the
        // producer says what it means. Whether the owner hears it is the notifier's call (only
        // what the card shows as Error, once).
        audit({
          outcome: 'Error',
          news: 'sync-error',
          message: decision.message,
          referralId: outcome.referralId,
          apiCalls: outcome.apiCalls,
        });
        break;
      }
    }
  }
  return { audits, writeBacks };
}

/**
 * How each job of the batch ends, once the write-back answered (`writeFailures`: opportunity id
 * → why Salesforce refused its write-back). A job is done only when its result is in Salesforce.
 */
export function batchSettlements(
  settled: readonly SettledJob[],
  writeFailures: ReadonlyMap<string, string>,
  now: Date,
  backoff: BackoffPolicy,
): { settlements: OutboundSettlement[]; result: OutboundBatchResult } {
  const result = emptyOutboundBatch(settled.length);
  const settlements = settled.map(({ job, outcome }): OutboundSettlement => {
    if (outcome.kind === 'failed') {
      result.failed += 1;
      return { job, failure: failureOf(outcome.decision) };
    }
    if (outcome.kind === 'invalid') {
      // Waits for a data change (which re-enqueues) or an operator (R14).
      result.invalid += 1;
      return { job, failure: { error: outcome.message, permanent: true, retryAt: null } };
    }
    const writeError = writeFailures.get(job.opportunityId);
    if (writeError && outcome.kind !== 'skipped') {
      // Partner Center has the change and the store knows it: the retry only writes back.
      result.failed += 1;
      return {
        job,
        failure: {
          error: `Salesforce write-back failed: ${writeError}`,
          permanent: false,
          retryAt: new Date(now.getTime() + backoffDelayMs(job.attempts + 1, backoff)),
        },
      };
    }
    result[outcome.kind] += 1;
    return { job };
  });
  return { settlements, result };
}
