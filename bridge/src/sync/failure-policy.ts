/**
 * What the engine does with a failed sync attempt (R1, R2, R7, R14). Pure: the caller passes the
 * attempt number and the clock, and persists the decision.
 */
import {
  AccessDeniedError,
  AuthenticationError,
  BudgetExhaustedError,
  PermanentError,
  PreconditionFailedError,
  TransientError,
  describeError,
} from '../errors';
import { DEFAULT_BACKOFF, backoffDelayMs, type BackoffPolicy } from '../retry';

export type FailureDecision =
  /** Try again at `retryAt` without anyone acting (transient, token, concurrency). */
  | { kind: 'retry'; retryAt: Date; message: string; needsOperator?: boolean }
  /** The whole Partner Center side is paused until the budget resets (R1); not a failure. */
  | { kind: 'paused'; retryAt: Date; message: string }
  /** Waits for a data change or an operator's `failures retry` (R14). */
  | { kind: 'permanent'; message: string };

/**
 * Access and sign-in problems need a person, but once fixed everything should flow again without
 * a `failures retry` for each record, so they retry on the slowest schedule instead of parking.
 */
const OPERATOR_FIX_BACKOFF: BackoffPolicy = { baseMs: 60_000, maxMs: 15 * 60_000 };

export function budgetPausedMessage(budget: number, resetsAt: Date): string {
  return `Paused: daily Partner Center budget of ${budget} calls reached; resumes at ${resetsAt.toISOString()}`;
}

export function decideFailure(
  error: unknown,
  attempt: number,
  now: Date,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): FailureDecision {
  const message = describeError(error);
  const later = (ms: number) => new Date(now.getTime() + ms);
  if (error instanceof BudgetExhaustedError) {
    return { kind: 'paused', retryAt: error.resetsAt, message };
  }
  if (error instanceof TransientError) {
    return {
      kind: 'retry',
      retryAt: later(backoffDelayMs(attempt, policy, error.retryAfterMs, random)),
      message,
    };
  }
  if (error instanceof PreconditionFailedError) {
    return {
      kind: 'retry',
      retryAt: later(backoffDelayMs(attempt, policy, undefined, random)),
      message,
    };
  }
  if (error instanceof AccessDeniedError) {
    return {
      kind: 'retry',
      retryAt: later(backoffDelayMs(attempt, OPERATOR_FIX_BACKOFF, undefined, random)),
      message: message.includes(error.missing) ? message : `${message} (grant: ${error.missing})`,
      needsOperator: true,
    };
  }
  if (error instanceof AuthenticationError) {
    return {
      kind: 'retry',
      retryAt: later(backoffDelayMs(attempt, OPERATOR_FIX_BACKOFF, undefined, random)),
      message,
      needsOperator: true,
    };
  }
  if (error instanceof PermanentError) return { kind: 'permanent', message };
  // Anything unclassified (a bug, an unexpected response) is retried with backoff: parking it
  // forever would hide it, retrying hot would burn the budget.
  return {
    kind: 'retry',
    retryAt: later(backoffDelayMs(attempt, policy, undefined, random)),
    message,
  };
}
