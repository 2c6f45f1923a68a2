/**
 * The bridge's error taxonomy. Every I/O module turns what it sees into one of these so the sync
 * engine can decide, without knowing the source, whether to retry soon (transient), wait for a data
 * change or an operator (permanent), or stop and tell the operator which role is missing (access).
 */

export type ErrorSide = 'salesforce' | 'partner-center' | 'bridge';

export class BridgeError extends Error {
  constructor(
    message: string,
    readonly side: ErrorSide,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Worth retrying with backoff: 429, 5xx, timeouts, connection resets, row locks. */
export class TransientError extends BridgeError {
  constructor(
    message: string,
    side: ErrorSide,
    /** Server-requested wait (Retry-After), when it gave one. */
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, side, options);
  }
}

/** Retrying the same request cannot succeed: bad data, illegal transition, not found. */
export class PermanentError extends BridgeError {
  constructor(
    message: string,
    side: ErrorSide,
    /** Machine-readable code from the service (errorCode / error.code), when there is one. */
    readonly code?: string,
    options?: { cause?: unknown },
  ) {
    super(message, side, options);
  }
}

/** The identity lacks a role or permission (R2/R15). The message names what to grant. */
export class AccessDeniedError extends BridgeError {
  constructor(
    message: string,
    side: ErrorSide,
    /** What is missing, e.g. "Referrals admin" or "Co_Sell_Bridge_Integration permission set". */
    readonly missing: string,
    options?: { cause?: unknown },
  ) {
    super(message, side, options);
  }
}

/** Credentials expired, revoked or never consented (R7): refresh failed, the operator must act. */
export class AuthenticationError extends BridgeError {}

/** The ETag sent in If-Match no longer matches: re-read, re-apply, retry. */
export class PreconditionFailedError extends BridgeError {}

/** The daily Partner Center call budget is spent (R1); work waits until `resetsAt`. */
export class BudgetExhaustedError extends BridgeError {
  constructor(
    message: string,
    readonly resetsAt: Date,
  ) {
    super(message, 'bridge');
  }
}

/** A bad or missing configuration value; the message is one line naming the variable. */
export class ConfigError extends BridgeError {
  constructor(
    message: string,
    readonly variable: string,
    options?: { cause?: unknown },
  ) {
    super(message, 'bridge', options);
  }
}

export function isRetryable(error: unknown): boolean {
  return error instanceof TransientError || error instanceof PreconditionFailedError;
}

/** One line for logs, audit records and the CLI: the message plus the first cause's message. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return cause && !error.message.includes(cause) ? `${error.message} (${cause})` : error.message;
}

/**
 * One line for a failed network call, with the cause the operator can act on: fetch says only
 * "fetch failed" and hides `connect ECONNREFUSED 10.0.0.5:443` (or an `ENOTFOUND`, a TLS error)
 * in its cause chain; a timeout says it was one.
 */
export function describeNetworkFailure(error: unknown): string {
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  const top = typeof message === 'string' && message ? message : String(error);
  if (name === 'TimeoutError' || (name === 'AbortError' && /timeout/i.test(top))) {
    return 'no answer before the timeout';
  }
  let root: { code?: unknown; message?: unknown; errors?: unknown; cause?: unknown } | undefined;
  let current = (error as { cause?: unknown } | null)?.cause;
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth += 1) {
    root = current as typeof root;
    // Happy eyeballs: `localhost` tried ::1 and 127.0.0.1; the first attempt's error is as good.
    const errors = (current as { errors?: unknown }).errors;
    current = Array.isArray(errors) && errors.length > 0 ? errors[0] : root?.cause;
  }
  if (!root) return top;
  const rootMessage = typeof root.message === 'string' && root.message ? root.message : '';
  const detail = rootMessage || (typeof root.code === 'string' ? root.code : '');
  return detail && !top.includes(detail) ? `${top}: ${detail}` : top;
}
