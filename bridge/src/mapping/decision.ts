/**
 * The owner's answer to a referral Microsoft sent (issue 19), pure: a referral that waits for a
 * decision is New (New/Pending or New/Received) in Partner Center, and sits in the on-hold stage
 * (BRIDGE_INBOUND_HOLD_STAGE) in Salesforce. Answering it is a status transition of the
 * referral-resources table:
 *
 * - `Co_Sell_Decision__c` Accept → Active/Accepted;
 * - `Co_Sell_Decision__c` Decline → Closed/Declined, with `Co_Sell_Decline_Reason__c` as the
 *   referral's `statusReason` (free text in Microsoft's connector definition);
 * - moving the opportunity out of the on-hold stage to another open stage accepts, as it does with
 *   Microsoft's own Salesforce connector ("leaving it accepts"). Closing it is left to the stage
 *   mapping (Closed Won/Lost).
 *
 * Nothing is asked of a referral that no longer waits: Partner Center's status has moved on
 * (answered elsewhere, expired) and the write-back clears the stale decision.
 */
import type { OpportunitySnapshot, Referral } from '../schemas';
import type { Problem } from './result';

/** The stage an inbound referral waits in by default: the first stage of a new org. */
export const DEFAULT_HOLD_STAGE = 'Prospecting';

export interface DecisionTarget {
  status: 'Active' | 'Closed';
  substatus: 'Accepted' | 'Declined';
  /** Sent as `/statusReason` with a decline. */
  statusReason: string | null;
  /** What asked for it: the decision field or the stage leaving the on-hold stage. */
  cause: 'decision' | 'stage';
}

/** True when Partner Center says the referral still waits for the partner's answer. */
export function awaitsDecision(referral: Pick<Referral, 'status'>): boolean {
  return referral.status === 'New';
}

export function decisionTarget(
  snapshot: Pick<OpportunitySnapshot, 'decision' | 'declineReason' | 'stageName' | 'isClosed'>,
  current: Pick<Referral, 'status'>,
  holdStage: string = DEFAULT_HOLD_STAGE,
): { target: DecisionTarget | null; problem: Problem | null } {
  if (!awaitsDecision(current)) return { target: null, problem: null };
  if (snapshot.decision === 'Accept') {
    return {
      target: { status: 'Active', substatus: 'Accepted', statusReason: null, cause: 'decision' },
      problem: null,
    };
  }
  if (snapshot.decision === 'Decline') {
    const reason = snapshot.declineReason?.trim() || null;
    if (reason === null) {
      // The package's rule refuses a decline without a reason; an org without it still gets a
      // clear word rather than a reasonless decline.
      return {
        target: null,
        problem: {
          code: 'decline-reason-missing',
          field: 'Opportunity.Co_Sell_Decline_Reason__c',
          message: 'The referral is to be declined, but no Co-Sell Decline Reason is set.',
          fix: 'Choose a Co-Sell Decline Reason: Partner Center records why a referral was declined.',
        },
      };
    }
    return {
      target: { status: 'Closed', substatus: 'Declined', statusReason: reason, cause: 'decision' },
      problem: null,
    };
  }
  if (!snapshot.isClosed && snapshot.stageName !== holdStage) {
    return {
      target: { status: 'Active', substatus: 'Accepted', statusReason: null, cause: 'stage' },
      problem: null,
    };
  }
  return { target: null, problem: null };
}

/**
 * The audit's words for an answer the bridge just gave Partner Center (R10): what asked for it
 * and the status it set; null when this sync answered nothing.
 */
export function answerNote(
  before: Pick<
    OpportunitySnapshot,
    'partnerCenterStatus' | 'decision' | 'declineReason' | 'stageName'
  >,
  after: Pick<Referral, 'status' | 'substatus'>,
): string | null {
  if (before.partnerCenterStatus !== 'New' || !after.status || after.status === 'New') return null;
  const cause = before.decision
    ? `Co-Sell Decision ${before.decision}`
    : `Stage ${before.stageName}`;
  const reason =
    after.substatus === 'Declined' && before.declineReason
      ? `, reason "${before.declineReason}"`
      : '';
  return `Answered the referral from Microsoft (${cause}): ${after.status}/${after.substatus ?? ''}${reason}`;
}
