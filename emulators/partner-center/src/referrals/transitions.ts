/**
 * Referral status / substatus rules (referral-resources; the 2018 table in the reference):
 *
 * | status | may become        | substatus allowed               |
 * |--------|-------------------|---------------------------------|
 * | New    | New, Active, Closed | Pending, Received             |
 * | Active | Active, Closed    | Accepted                        |
 * | Closed | (terminal)        | Won, Lost, Declined, Expired    |
 */
export const STATUSES = ['New', 'Active', 'Closed'] as const;
export type Status = (typeof STATUSES)[number];

const NEXT: Record<Status, readonly Status[]> = {
  New: ['New', 'Active', 'Closed'],
  Active: ['Active', 'Closed'],
  Closed: [],
};

export const SUBSTATUSES: Record<Status, readonly string[]> = {
  New: ['Pending', 'Received'],
  Active: ['Accepted'],
  Closed: ['Won', 'Lost', 'Declined', 'Expired'],
};

export function isStatus(value: unknown): value is Status {
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value);
}

/** Problem with a status/substatus pair, or undefined when it is a valid pair. */
export function pairProblem(status: unknown, substatus: unknown): string | undefined {
  if (!isStatus(status)) {
    return `Status '${String(status)}' is not valid; expected one of ${STATUSES.join(', ')}.`;
  }
  if (typeof substatus !== 'string' || !SUBSTATUSES[status].includes(substatus)) {
    return `Substatus '${String(substatus)}' is not valid for status '${status}'; expected one of ${SUBSTATUSES[status].join(', ')}.`;
  }
  return undefined;
}

export interface StatusPair {
  status: string;
  substatus: string;
}

/** Problem with moving from one pair to another, or undefined when the move is allowed. */
export function transitionProblem(from: StatusPair, to: StatusPair): string | undefined {
  const invalid = pairProblem(to.status, to.substatus);
  if (invalid) return invalid;
  if (from.status === to.status && from.substatus === to.substatus) return undefined;
  if (!isStatus(from.status)) return undefined;
  if (from.status === 'Closed') {
    return `The referral is closed (${from.substatus}); a closed referral cannot change status.`;
  }
  if (!NEXT[from.status].includes(to.status as Status)) {
    return `Status cannot change from '${from.status}/${from.substatus}' to '${to.status}/${to.substatus}'.`;
  }
  return undefined;
}
