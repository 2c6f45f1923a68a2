import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { Connection } from 'jsforce';
import type { Logger } from 'pino';
import type { SalesforceClientCredentialsAuth, SalesforceJwtAuth } from '../config';
import { AuthenticationError, describeNetworkFailure, TransientError } from '../errors';
import { apiOperationOf } from './api-operation';
import { createJwtAssertion, jwtAudienceFor } from './jwt-assertion';
import { toBridgeError } from './salesforce-errors';

/** The configuration's Salesforce auth (config/types.ts); the key's file name is not needed here. */
export type SalesforceAuth =
  SalesforceClientCredentialsAuth | Omit<SalesforceJwtAuth, 'privateKeyFile'>;

/**
 * One HTTP request to Salesforce (REST and OAuth) and its answer's status (0: no answer: network
 * failure or timeout, with the failure), for R1 usage reporting and dependency health.
 */
export type ApiCallListener = (
  side: 'salesforce',
  operation: string,
  durationMs: number,
  status: number,
  failure?: unknown,
) => void;

/**
 * jsforce waits up to 30 minutes for an answer by default, so a frozen Salesforce held a sync
 * worker (and hid the outage) for as long. Every REST and token request, its own retries
 * included, now ends within this bound; a composite write of 200 records takes seconds.
 */
export const SALESFORCE_REQUEST_TIMEOUT_MS = 60_000;

export interface SalesforceConnectionOptions {
  loginUrl: string;
  /** e.g. "62.0"; jsforce's own default (50.0) is too old for some of what we use. */
  apiVersion: string;
  auth: SalesforceAuth;
  /**
   * Sent as `Sforce-Call-Options: client=<clientName>` on every REST call, so Change Data Capture
   * reports our own writes with `changeOrigin …;client=<clientName>` (echo suppression, R9).
   */
  clientName: string;
  logger: Logger;
  onApiCall?: ApiCallListener;
  now?: () => Date;
  /** Bound on each REST/OAuth request (default SALESFORCE_REQUEST_TIMEOUT_MS). */
  requestTimeoutMs?: number;
}

/** What the other salesforce/ modules and the engine get: a jsforce connection plus auth control. */
export interface SalesforceConnection {
  /** The unmodified jsforce connection (REST via undici, streaming via faye). */
  readonly connection: Connection;
  readonly clientName: string;
  /** First sign-in; throws AuthenticationError with the fix (R7). */
  authorize(): Promise<void>;
  /** Get a new access token now (streaming saw `401::Authentication invalid`). */
  refresh(): Promise<void>;
  /**
   * Fires after every new token, whether jsforce renewed it on an INVALID_SESSION_ID or refresh()
   * was called: faye copies the token into its client once, so streaming clients must be rebuilt.
   */
  onTokenRefreshed(listener: () => void): () => void;
  /** Run one Salesforce operation and map its failure into the bridge's error taxonomy. */
  run<T>(operation: string, work: (connection: Connection) => Promise<T>): Promise<T>;
}

interface TokenResponse {
  access_token: string;
  instance_url: string;
  id: string;
}

/**
 * Bound every HTTP request a jsforce transport sends (jsforce's own `timeout` option, which also
 * bounds its retries), and count and time it, without changing what it sends.
 */
function meterTransport(
  transport: Connection['_transport'],
  onApiCall: ApiCallListener | undefined,
  timeoutMs: number,
): void {
  const send = transport.httpRequest.bind(transport);
  transport.httpRequest = (request, options) => {
    const started = performance.now();
    const response = send(request, { ...options, timeout: options?.timeout ?? timeoutMs });
    if (!onApiCall) return response;
    const report = (status: number, failure?: unknown) =>
      onApiCall(
        'salesforce',
        apiOperationOf(request.method, request.url),
        performance.now() - started,
        status,
        failure,
      );
    response.then(
      (answer) => report(answer.statusCode),
      (failure: unknown) => report(0, failure),
    );
    return response;
  };
}

export function createSalesforceConnection(
  options: SalesforceConnectionOptions,
): SalesforceConnection {
  const { auth, logger } = options;
  const now = options.now ?? (() => new Date());
  const signals = new EventEmitter();
  let lastGrantError: unknown;

  function grantParams(): { grant_type: string; [name: string]: string } {
    if (auth.mode === 'client_credentials') return { grant_type: 'client_credentials' };
    return {
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: createJwtAssertion({
        clientId: auth.clientId,
        username: auth.username,
        audience: jwtAudienceFor(options.loginUrl),
        privateKeyPem: auth.privateKeyPem,
        now: now(),
      }),
    };
  }

  const connection = new Connection({
    loginUrl: options.loginUrl,
    version: options.apiVersion,
    callOptions: { client: options.clientName },
    // JWT sends no client_id/secret form fields: the assertion's `iss` identifies the app.
    oauth2:
      auth.mode === 'client_credentials'
        ? { loginUrl: options.loginUrl, clientId: auth.clientId, clientSecret: auth.clientSecret }
        : { loginUrl: options.loginUrl },
    // Neither grant returns a refresh_token, so jsforce's default refresh cannot work: re-run the
    // grant itself when a REST call answers 401 INVALID_SESSION_ID.
    refreshFn: (conn, callback) => {
      conn.oauth2
        .requestToken(grantParams())
        .then((token) => {
          logger.info({ event: 'salesforce.token_refreshed' }, 'Salesforce access token renewed');
          callback(null, token.access_token, token);
        })
        .catch((error: unknown) => {
          lastGrantError = error;
          callback(error as Error);
        });
    },
  });
  const timeoutMs = options.requestTimeoutMs ?? SALESFORCE_REQUEST_TIMEOUT_MS;
  meterTransport(connection._transport, options.onApiCall, timeoutMs);
  meterTransport(connection.oauth2._transport, options.onApiCall, timeoutMs);
  connection.on('refresh', () => signals.emit('token-refreshed'));

  let refreshing: Promise<void> | undefined;

  function mapError(error: unknown, operation: string) {
    // jsforce flattens a failed refresh into "Unable to refresh session due to: …"; the grant's
    // own error carries the OAuth code that tells the operator what to fix.
    if (
      lastGrantError &&
      error instanceof Error &&
      error.message.startsWith('Unable to refresh session')
    ) {
      const grantError = lastGrantError;
      lastGrantError = undefined;
      return toBridgeError(grantError, operation);
    }
    return toBridgeError(error, operation);
  }

  return {
    connection,
    clientName: options.clientName,

    async authorize() {
      try {
        await connection.authorize(grantParams());
        logger.info(
          { event: 'salesforce.authorized', instanceUrl: connection.instanceUrl },
          'signed in to Salesforce',
        );
      } catch (error) {
        const mapped = toBridgeError(error, 'sign-in');
        if (mapped instanceof TransientError && isNoAnswer(error)) {
          // Not a credential problem: say which URL did not answer and why (ECONNREFUSED, …).
          throw new TransientError(
            `Salesforce did not answer at ${options.loginUrl} (${describeNetworkFailure(error)}). Fix: check SALESFORCE_LOGIN_URL and that this machine can reach it (network, proxy, firewall)`,
            'salesforce',
            undefined,
            { cause: error },
          );
        }
        throw mapped instanceof AuthenticationError
          ? mapped
          : new AuthenticationError(`Salesforce sign-in failed: ${mapped.message}`, 'salesforce', {
              cause: error,
            });
      }
    },

    refresh() {
      refreshing ??= (async () => {
        try {
          const token = (await connection.oauth2.requestToken(grantParams())) as TokenResponse;
          connection.accessToken = token.access_token;
          logger.info({ event: 'salesforce.token_refreshed' }, 'Salesforce access token renewed');
          signals.emit('token-refreshed');
        } catch (error) {
          throw toBridgeError(error, 'token refresh');
        } finally {
          refreshing = undefined;
        }
      })();
      return refreshing;
    },

    onTokenRefreshed(listener) {
      signals.on('token-refreshed', listener);
      return () => signals.off('token-refreshed', listener);
    },

    async run(operation, work) {
      try {
        return await work(connection);
      } catch (error) {
        throw mapError(error, operation);
      }
    },
  };
}

/** A request that got no HTTP answer at all (refused, reset, unknown host, timed out). */
function isNoAnswer(error: unknown): boolean {
  const { name, message, cause } = (error ?? {}) as {
    name?: unknown;
    message?: unknown;
    cause?: unknown;
  };
  return (
    name === 'AbortError' ||
    name === 'TimeoutError' ||
    (name === 'TypeError' && message === 'fetch failed') ||
    (cause !== undefined && typeof (cause as { code?: unknown }).code === 'string')
  );
}
