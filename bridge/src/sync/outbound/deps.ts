import type { Logger } from 'pino';
import type { ReferralsClient } from '../../partner-center';
import type { BackoffPolicy } from '../../retry';
import type { OpportunityReader, SalesforceWriter } from '../../salesforce';
import type { Referral } from '../../schemas';
import type { StateStore } from '../../store';
import type { BudgetGuard } from '../budget-guard';
import type { FailureDecision } from '../failure-policy';
import type { SyncMapping } from '../mapping-adapter';
import type { DealLocks } from '../deal-lock';
import type { EchoExpectations } from '../echo';
import type { OutboundInFlight } from '../outbound-in-flight';
import type { OutboundOutcome } from './outcome';

/** Applying Partner Center's newer state to Salesforce (the inbound path) ended so. */
export type PartnerCenterChangeApplied =
  { kind: 'applied' } | { kind: 'failed'; decision: FailureDecision };

/** What the outbound steps work with; built once by the engine. */
export interface OutboundDeps {
  store: StateStore;
  reader: OpportunityReader;
  writer: SalesforceWriter;
  referrals: ReferralsClient;
  mapping: SyncMapping;
  budget: BudgetGuard;
  logger: Logger;
  now: () => Date;
  batchSize: number;
  /** How often a lost If-Match race is re-read and retried within one attempt. */
  maxPreconditionRetries: number;
  backoff: BackoffPolicy;
  /**
   * Applies a referral state to Salesforce the way the inbound worker does (three-way merge,
   * link saved, audited). Used when a 412 shows Partner Center changes that Salesforce has not
   * got yet, so they land before our change is re-sent on top of them.
   */
  applyPartnerCenterChange: (
    referral: Referral,
    eTag: string | null,
  ) => Promise<PartnerCenterChangeApplied>;
  /** Partner Center calls in flight at once within a batch (default 1). */
  concurrency?: number;
  /** Marks each send in progress, so the inbound worker can recognise its webhook echo (R1). */
  inFlight?: OutboundInFlight;
  /** Where the echo of each PATCH answered 204 is expected (echo.ts). */
  echoes?: EchoExpectations;
  /** Shared with the inbound applier: a job reads its deal once an apply in progress is done. */
  dealLocks?: DealLocks;
  onOutcome?: (outcome: OutboundOutcome['kind']) => void;
}
