import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { TransientError } from '../errors';
import { backoffDelayMs, parseRetryAfter } from '../retry';
import { errorFromResponse } from './error-response';
import type {
  AccessTokenSource,
  ApiCallListener,
  BeforeApiCall,
  FetchFunction,
  PartnerCenterApi,
} from './types';

/**
 * One authenticated JSON call to a Partner Center API, with the behaviour both clients share:
 * correlation headers, a timeout, one token refresh after a 401, and a short bounded retry of
 * transient failures. Longer waits are the engine's job: it reschedules durably instead of
 * holding a request open.
 */

export interface InCallRetryPolicy {
  /** Total attempts for transient failures, including the first. */
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
  /** A Retry-After longer than this is not waited for here; the error goes to the engine. */
  maxRetryAfterMs: number;
}

export const DEFAULT_IN_CALL_RETRY: InCallRetryPolicy = {
  maxAttempts: 3,
  baseMs: 250,
  maxMs: 2_000,
  maxRetryAfterMs: 5_000,
};

export const DEFAULT_TIMEOUT_MS = 30_000;

export interface ApiClientOptions {
  tokens: AccessTokenSource;
  logger: Logger;
  fetch?: FetchFunction;
  onApiCall?: ApiCallListener;
  beforeApiCall?: BeforeApiCall;
  timeoutMs?: number;
  retry?: Partial<InCallRetryPolicy>;
}

export interface ApiRequest {
  api: PartnerCenterApi;
  operation: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * False for calls that are unsafe to repeat when the outcome is unknown (a create that timed
   * out may have happened). Such calls are retried only when the service refused them outright
   * (429), never after a timeout or 5xx.
   */
  idempotent: boolean;
  /** Non-2xx statuses the caller handles itself (e.g. 404 → null, 409 → PUT). */
  passStatuses?: readonly number[];
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined for an empty body. */
  body: unknown;
}

export type ApiRequester = (request: ApiRequest) => Promise<ApiResponse>;

export function createApiRequester(options: ApiClientOptions): ApiRequester {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const policy: InCallRetryPolicy = { ...DEFAULT_IN_CALL_RETRY, ...options.retry };
  const log = options.logger;

  return async function send(request: ApiRequest): Promise<ApiResponse> {
    let refreshedAfter401 = false;
    for (let attempt = 1; ; attempt += 1) {
      // Token first: when the token endpoint fails, no budgeted call was taken for nothing.
      const token = await options.tokens.getToken();
      await options.beforeApiCall?.(request.api, request.operation);
      const correlationId = randomUUID();
      const started = performance.now();
      let outcome: { response: Response; body: unknown } | { failure: unknown };
      try {
        const response = await doFetch(request.url, {
          method: request.method,
          headers: {
            Accept: 'application/json',
            Authorization: `Bearer ${token}`,
            'MS-CorrelationId': correlationId,
            'MS-RequestId': randomUUID(),
            ...(request.body === undefined ? {} : { 'Content-Type': 'application/json' }),
            ...request.headers,
          },
          body: request.body === undefined ? undefined : JSON.stringify(request.body),
          // A bearer token must never follow a redirect to wherever it points.
          redirect: 'error',
          signal: AbortSignal.timeout(timeoutMs),
        });
        outcome = { response, body: parseBody(await response.text()) };
      } catch (failure) {
        outcome = { failure };
      }
      const durationMs = performance.now() - started;

      if ('failure' in outcome) {
        options.onApiCall?.(request.api, request.operation, 0, durationMs, outcome.failure);
        const error = new TransientError(
          `Partner Center did not answer ${request.operation} (${describeFailure(outcome.failure, timeoutMs)})`,
          'partner-center',
          undefined,
          { cause: outcome.failure },
        );
        // The circuit breaker refused to send (an outage it already reported): one line per
        // refused request would bury the log, and retrying within the call cannot help.
        const circuitOpen = (outcome.failure as { name?: unknown }).name === 'CircuitOpenError';
        (circuitOpen ? log.debug.bind(log) : log.warn.bind(log))(
          { operation: request.operation, correlationId, attempt, durationMs },
          error.message,
        );
        if (request.idempotent && !circuitOpen && attempt < policy.maxAttempts) {
          await sleep(backoffDelayMs(attempt, policy));
          continue;
        }
        throw error;
      }

      const { response, body } = outcome;
      options.onApiCall?.(request.api, request.operation, response.status, durationMs);
      log.debug(
        { operation: request.operation, status: response.status, correlationId, durationMs },
        'partner center call',
      );
      if (response.ok || request.passStatuses?.includes(response.status)) {
        return { status: response.status, headers: response.headers, body };
      }
      if (response.status === 401 && !refreshedAfter401) {
        // Tokens die early (revoked, clock skew, emulator expireTokens): one fresh token, once.
        refreshedAfter401 = true;
        options.tokens.invalidate();
        attempt -= 1;
        continue;
      }
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      const error = errorFromResponse({
        api: request.api,
        operation: request.operation,
        status: response.status,
        body,
        retryAfterMs,
      });
      const safeToRepeat = request.idempotent || response.status === 429;
      const withinCap = retryAfterMs === undefined || retryAfterMs <= policy.maxRetryAfterMs;
      if (
        error instanceof TransientError &&
        safeToRepeat &&
        withinCap &&
        attempt < policy.maxAttempts
      ) {
        // The server's Retry-After wins over our own schedule (already capped by withinCap).
        const delay = retryAfterMs ?? backoffDelayMs(attempt, policy);
        log.warn(
          {
            operation: request.operation,
            status: response.status,
            correlationId,
            attempt,
            delayMs: delay,
          },
          'transient Partner Center error; retrying',
        );
        await sleep(delay);
        continue;
      }
      log.warn(
        { operation: request.operation, status: response.status, correlationId },
        error.message,
      );
      throw error;
    }
  };
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describeFailure(failure: unknown, timeoutMs: number): string {
  // Duck-typed: fetch's DOMException may come from another realm, failing `instanceof Error`.
  const { name, message, cause } = (failure ?? {}) as {
    name?: unknown;
    message?: unknown;
    cause?: unknown;
  };
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const causeMessage = (cause as { message?: unknown } | undefined)?.message;
  if (typeof causeMessage === 'string' && causeMessage) return causeMessage;
  return typeof message === 'string' && message ? message : String(failure);
}

/** OData string literal: single quotes are doubled (OData ABNF `SQUOTE-in-string`). */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Resolves a server-given link and refuses one that leaves the API's origin (token leak). */
export function sameOriginUrl(link: string, base: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(link, base);
  } catch {
    return undefined;
  }
  return url.origin === new URL(base).origin ? url : undefined;
}
