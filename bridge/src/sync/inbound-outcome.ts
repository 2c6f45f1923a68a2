/**
 * What one inbound referral came to, and what each outcome leaves behind: an audit event on the
 * opportunity (R10), a log line, and how its inbox deliveries are settled. Pure: the worker and
 * the outbound 412 path (which applies Partner Center's change through the same step) record
 * outcomes alike.
 */
import type { AuditEvent, NewsKind } from '../schemas';
import type { JobFailure } from '../store';
import type { FailureDecision } from './failure-policy';

export type InboundOutcome =
  | { kind: 'applied'; opportunityId: string; message: string; apiCalls: number; news?: NewsKind }
  | { kind: 'created'; opportunityId: string; message: string; apiCalls: number; news?: NewsKind }
  | { kind: 'stale'; apiCalls: number }
  | { kind: 'ignored'; opportunityId: string | null; message: string; apiCalls: number }
  | {
      kind: 'failed';
      decision: FailureDecision;
      opportunityId?: string | null;
      apiCalls: number;
    };

export interface InboundBatchResult {
  claimed: number;
  referrals: number;
  applied: number;
  created: number;
  stale: number;
  ignored: number;
  failed: number;
}

export function emptyInboundBatchResult(claimed: number): InboundBatchResult {
  return { claimed, referrals: 0, applied: 0, created: 0, stale: 0, ignored: 0, failed: 0 };
}

/** The audit event an outcome leaves on the opportunity; a stale delivery leaves none. */
export function inboundAuditOf(
  referralId: string,
  outcome: InboundOutcome,
): Omit<AuditEvent, 'occurredAt' | 'direction'> | null {
  switch (outcome.kind) {
    case 'applied':
    case 'created':
    case 'ignored':
      return {
        opportunityId: outcome.opportunityId,
        outcome: outcome.kind === 'ignored' ? 'Ignored' : 'Success',
        message: outcome.message,
        referralId,
        apiCalls: outcome.apiCalls,
        ...(outcome.kind !== 'ignored' && outcome.news ? { news: outcome.news } : {}),
      };
    case 'failed':
      return {
        opportunityId: outcome.opportunityId ?? null,
        outcome: 'Error',
        message: outcome.decision.message,
        referralId,
        apiCalls: outcome.apiCalls,
      };
    case 'stale':
      return null;
  }
}

/**
 * How the referral's claimed deliveries end: failed ones wait for their retry (or a fix), the
 * others are done. Only a read made after the claim (`readAfterClaim`) also settles the
 * referral's other waiting deliveries; a listed state or an echo settles only itself.
 */
export type InboxSettlement =
  { kind: 'fail'; failure: JobFailure } | { kind: 'complete'; coversEarlier: boolean };

export function inboxSettlementOf(
  outcome: InboundOutcome,
  readAfterClaim: boolean,
): InboxSettlement {
  if (outcome.kind !== 'failed') return { kind: 'complete', coversEarlier: readAfterClaim };
  const { decision } = outcome;
  return {
    kind: 'fail',
    failure: {
      error: decision.message,
      permanent: decision.kind === 'permanent',
      retryAt: decision.kind === 'permanent' ? null : decision.retryAt,
    },
  };
}
