import { z } from 'zod';
import { describeNetworkFailure, TransientError } from '../errors';
import { parseRetryAfter } from '../retry';
import { tokenRequestError, type SignInContext } from './entra-errors';
import type { AccessTokenSource, ApiCallListener, FetchFunction } from './types';

/**
 * Access tokens from Microsoft Entra ID for the two Partner Center APIs.
 *
 * - The Referrals API accepts App+User tokens only: the documented v1 call with `resource`,
 *   `scope=openid` and the password (or refresh_token) grant
 *   (learn.microsoft.com/partner-center/developer/referral-api-authentication).
 * - The webhook API also accepts app-only tokens: v2 `client_credentials` with
 *   `scope=<resource>/.default` (partner-center-webhooks).
 *
 * Tokens are cached until shortly before they expire; concurrent callers share one request.
 */

/** Renew this long before expiry so a token never dies between getToken() and the API call. */
const DEFAULT_EXPIRY_SKEW_MS = 5 * 60_000;
const DEFAULT_TIMEOUT_MS = 15_000;

const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  // The v1 endpoint sends numbers as strings ("3600"); v2 sends numbers.
  expires_in: z.coerce.number().positive(),
  refresh_token: z.string().min(1).optional(),
});

export type UserGrant =
  | { type: 'password'; username: string; password: string }
  | { type: 'refresh_token'; refreshToken: string };

interface CommonOptions {
  /** Token endpoint; `{tenant}` or `<tenant>` in it is replaced by `tenantId` (default `common`). */
  tokenUrl: string;
  tenantId?: string;
  clientId: string;
  clientSecret: string;
  fetch?: FetchFunction;
  now?: () => Date;
  timeoutMs?: number;
  expirySkewMs?: number;
  /** Counts token calls (api `token`); they do not count against the Referrals budget. */
  onApiCall?: ApiCallListener;
}

export interface UserTokenProviderOptions extends CommonOptions {
  /** Audience, e.g. https://api.partner.microsoft.com for the Referrals API. */
  resource: string;
  grant: UserGrant;
  /**
   * Entra rotates refresh tokens; called with each new one so the engine can persist it (the
   * old one may stop working). Not awaited by getToken() failures: errors here are the caller's.
   */
  onRefreshToken?: (refreshToken: string) => void | Promise<void>;
}

export interface UserTokenProvider extends AccessTokenSource {
  /** The newest refresh token Entra issued (or the configured one), for the engine to persist. */
  currentRefreshToken(): string | undefined;
}

export interface AppTokenProviderOptions extends CommonOptions {
  /** e.g. https://api.partnercenter.microsoft.com/.default */
  scope: string;
}

/** App+User tokens (v1 endpoint) for the Referrals API. */
export function createTokenProvider(options: UserTokenProviderOptions): UserTokenProvider {
  let refreshToken =
    options.grant.type === 'refresh_token' ? options.grant.refreshToken : undefined;
  const context: SignInContext = {
    identity:
      options.grant.type === 'password'
        ? `Partner Center (App+User as ${options.grant.username})`
        : 'Partner Center (App+User via refresh token)',
    clientId: options.clientId,
    urlVariable: 'PARTNER_CENTER_TOKEN_URL',
    username: options.grant.type === 'password' ? options.grant.username : undefined,
  };

  const form = (): URLSearchParams => {
    const params = new URLSearchParams({
      resource: options.resource,
      client_id: options.clientId,
      client_secret: options.clientSecret,
      scope: 'openid',
    });
    if (options.grant.type === 'password') {
      params.set('grant_type', 'password');
      params.set('username', options.grant.username);
      params.set('password', options.grant.password);
    } else {
      params.set('grant_type', 'refresh_token');
      params.set('refresh_token', refreshToken ?? options.grant.refreshToken);
    }
    return params;
  };

  const source = createCachedTokenSource(options, async () => {
    const issued = await requestToken(options, form(), context, options.grant.type);
    if (issued.refresh_token && issued.refresh_token !== refreshToken) {
      refreshToken = issued.refresh_token;
      await options.onRefreshToken?.(issued.refresh_token);
    }
    return issued;
  });
  return { ...source, currentRefreshToken: () => refreshToken };
}

/** App-only tokens (v2 client_credentials) for the webhook registration API. */
export function createAppTokenProvider(options: AppTokenProviderOptions): AccessTokenSource {
  const context: SignInContext = {
    identity: 'Partner Center webhooks (app-only)',
    clientId: options.clientId,
    urlVariable: 'PARTNER_CENTER_APP_TOKEN_URL',
  };
  const form = () =>
    new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: options.clientId,
      client_secret: options.clientSecret,
      scope: options.scope,
    });
  return createCachedTokenSource(options, () =>
    requestToken(options, form(), context, 'client_credentials'),
  );
}

type IssuedToken = z.infer<typeof tokenResponseSchema>;

function createCachedTokenSource(
  options: CommonOptions,
  issue: () => Promise<IssuedToken>,
): AccessTokenSource {
  const now = options.now ?? (() => new Date());
  const skewMs = options.expirySkewMs ?? DEFAULT_EXPIRY_SKEW_MS;
  let cached: { token: string; renewAt: number } | undefined;
  let inFlight: Promise<string> | undefined;

  const fetchToken = async (): Promise<string> => {
    const issued = await issue();
    const lifetimeMs = issued.expires_in * 1_000;
    // Short-lived tokens (tests, emulator) would otherwise be "expired" on arrival.
    const skew = Math.min(skewMs, lifetimeMs / 10);
    cached = { token: issued.access_token, renewAt: now().getTime() + lifetimeMs - skew };
    return issued.access_token;
  };

  return {
    getToken() {
      if (cached && now().getTime() < cached.renewAt) return Promise.resolve(cached.token);
      inFlight ??= fetchToken().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

async function requestToken(
  options: CommonOptions,
  form: URLSearchParams,
  context: SignInContext,
  grantType: string,
): Promise<IssuedToken> {
  const doFetch = options.fetch ?? fetch;
  const url = resolveTokenUrl(options.tokenUrl, options.tenantId);
  const started = performance.now();
  let response: Response;
  let text: string;
  try {
    response = await doFetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: form.toString(),
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
    text = await response.text();
  } catch (error) {
    options.onApiCall?.('token', grantType, 0, performance.now() - started, error);
    throw new TransientError(
      `Could not reach the token endpoint ${new URL(url).origin} for ${context.identity} (${describeNetworkFailure(error)}). Fix: check ${context.urlVariable ?? 'the token URL'} and that this machine can reach it (network, proxy, firewall)`,
      'partner-center',
      undefined,
      { cause: error },
    );
  }
  options.onApiCall?.('token', grantType, response.status, performance.now() - started);

  const body = parseJson(text);
  if (!response.ok) {
    throw tokenRequestError(
      response.status,
      body,
      context,
      parseRetryAfter(response.headers.get('retry-after')),
    );
  }
  const parsed = tokenResponseSchema.safeParse(body);
  if (!parsed.success) {
    // Never echo the body: it may hold a token.
    throw new TransientError(
      `The token endpoint answered ${context.identity} without a usable access token (${parsed.error.issues
        .map((i) => i.path.join('.') || 'body')
        .join(', ')})`,
      'partner-center',
    );
  }
  return parsed.data;
}

export function resolveTokenUrl(tokenUrl: string, tenantId: string | undefined): string {
  return tokenUrl.replace(/\{tenant\}|<tenant>/g, encodeURIComponent(tenantId ?? 'common'));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
