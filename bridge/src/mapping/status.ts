/**
 * Referral status/substatus rules (referral-resources) and the Salesforce stage mapping.
 *
 * | status | may become          | substatus                    |
 * |--------|---------------------|------------------------------|
 * | New    | New, Active, Closed | Pending, Received            |
 * | Active | Active, Closed      | Accepted                     |
 * | Closed | Closed (terminal)   | Won, Lost, Declined, Expired |
 *
 * Closed referrals are terminal ("No actions are permitted after any deal reaches a terminal
 * state, such as Declined, Expired, Won, or Lost" — bulk-operations), so an illegal move is a
 * permanent problem for the operator, never retried.
 */
import type { OpportunitySnapshot } from '../schemas';

export interface StatusPair {
  status: string;
  substatus: string;
}

const NEXT_STATUSES: Readonly<Record<string, readonly string[]>> = {
  None: ['None', 'New', 'Active', 'Closed'],
  New: ['New', 'Active', 'Closed'],
  Active: ['Active', 'Closed'],
  Closed: ['Closed'],
};

const SUBSTATUSES: Readonly<Record<string, readonly string[]>> = {
  None: ['None'],
  New: ['Pending', 'Received'],
  Active: ['Accepted'],
  Closed: ['Won', 'Lost', 'Declined', 'Expired'],
};

/** Why a move is not allowed, or null when it is. */
export function transitionProblem(from: StatusPair, to: StatusPair): string | null {
  const allowedSubstatuses = SUBSTATUSES[to.status];
  if (allowedSubstatuses === undefined) {
    return `"${to.status}" is not a Partner Center referral status.`;
  }
  if (!allowedSubstatuses.includes(to.substatus)) {
    return `"${to.substatus}" is not a valid substatus for status ${to.status} (expected ${allowedSubstatuses.join(', ')}).`;
  }
  if (from.status === to.status && from.substatus === to.substatus) return null;
  const next = NEXT_STATUSES[from.status];
  if (next === undefined) {
    return `The referral is in an unknown status "${from.status}", so the bridge will not move it.`;
  }
  if (from.status === 'Closed') {
    return `The referral is already Closed/${from.substatus} in Partner Center; a closed referral cannot change to ${to.status}/${to.substatus}.`;
  }
  if (!next.includes(to.status)) {
    return `A referral cannot move from ${from.status}/${from.substatus} to ${to.status}/${to.substatus}.`;
  }
  return null;
}

export function isLegalTransition(from: StatusPair, to: StatusPair): boolean {
  return transitionProblem(from, to) === null;
}

export function isTerminal(pair: { status?: string | null }): boolean {
  return pair.status === 'Closed';
}

/**
 * The status the opportunity's stage asks for: Closed Won → Closed/Won, Closed Lost → Closed/Lost,
 * any open stage → null (keep whatever Partner Center says; acceptance is Microsoft's move).
 */
export function statusForStage(
  snapshot: Pick<OpportunitySnapshot, 'isClosed' | 'isWon'>,
): StatusPair | null {
  if (!snapshot.isClosed) return null;
  return { status: 'Closed', substatus: snapshot.isWon ? 'Won' : 'Lost' };
}

export interface StageNames {
  /** Stage to set when Partner Center reports Closed/Won (default "Closed Won"). */
  wonStage: string;
  /** Stage to set when Partner Center reports Closed/Lost (default "Closed Lost"). */
  lostStage: string;
}

export const DEFAULT_STAGE_NAMES: StageNames = { wonStage: 'Closed Won', lostStage: 'Closed Lost' };

/**
 * The stage an inbound status asks for. Only Won/Lost move the stage: Declined or Expired means
 * Microsoft will not co-sell, not that the customer said no, so the seller's pipeline is left alone.
 */
export function stageForStatus(
  pair: Partial<StatusPair>,
  names: StageNames = DEFAULT_STAGE_NAMES,
): string | null {
  if (pair.status !== 'Closed') return null;
  if (pair.substatus === 'Won') return names.wonStage;
  if (pair.substatus === 'Lost') return names.lostStage;
  return null;
}
