/** The vocabulary the outbound steps share: what happened to one job, and to one batch. */
import type { FailureDecision } from '../failure-policy';

/** What happened to one job; `settle-batch.ts` turns it into audits, write-backs, settlements. */
export type OutboundOutcome =
  | {
      kind: 'synced';
      message: string;
      apiCalls: number;
      referralId: string;
      fields: Record<string, unknown> | null;
      /** Already audited with the link it stored (a create); the batch adds no second event. */
      audited: boolean;
    }
  | {
      kind: 'unchanged';
      referralId: string;
      fields: Record<string, unknown> | null;
      /** Reads it took to find nothing to send (a resync compares with Partner Center's copy). */
      apiCalls: number;
    }
  | { kind: 'skipped'; message: string | null }
  | { kind: 'invalid'; message: string; referralId: string | null; apiCalls: number }
  | { kind: 'failed'; decision: FailureDecision; referralId: string | null; apiCalls: number };

export interface OutboundBatchResult {
  claimed: number;
  synced: number;
  unchanged: number;
  skipped: number;
  invalid: number;
  failed: number;
}

export function emptyOutboundBatch(claimed = 0): OutboundBatchResult {
  return { claimed, synced: 0, unchanged: 0, skipped: 0, invalid: 0, failed: 0 };
}

export const OPPORTUNITY_GONE = 'Opportunity not found in Salesforce (deleted?)';

/**
 * Counts the Partner Center calls of one job, also when the job ends in an error, and how many of
 * them are already audited (a create is audited in the transaction that stores its link).
 */
export class CallCounter {
  count = 0;
  audited = 0;
  async track<T>(call: Promise<T>): Promise<T> {
    this.count += 1;
    return call;
  }
  markAudited(): void {
    this.audited = this.count;
  }
  /** Calls the batch's audit event still has to count. */
  get unaudited(): number {
    return this.count - this.audited;
  }
}
