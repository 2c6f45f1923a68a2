import express, { type Request, type Response, type Router } from 'express';
import { canonicalResource } from './resources';
import { entraErrors, type EntraError } from './entra-error';
import type { Identity, TokenBook } from './token-book';

export interface TokenEndpointOptions {
  tokens: TokenBook;
  /** When set, only this tenant (and `common`/`organizations`) is accepted; otherwise any. */
  tenant?: string;
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
}

type Form = Record<string, string | undefined>;
type Version = 'v1' | 'v2';

/**
 * Entra ID's token endpoints as Partner Center clients use them: v1 `/<tenant>/oauth2/token` with
 * `resource` (the documented App+User password grant, refresh_token) and v2
 * `/<tenant>/oauth2/v2.0/token` with `scope=<resource>/.default` (client credentials).
 */
export function createTokenRouter(options: TokenEndpointOptions): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false });
  router.post('/:tenant/oauth2/token', form, (req, res) => answer(req, res, 'v1', options));
  router.post('/:tenant/oauth2/v2.0/token', form, (req, res) => answer(req, res, 'v2', options));
  return router;
}

function answer(req: Request, res: Response, version: Version, options: TokenEndpointOptions) {
  const result = issue(req, version, options);
  res.setHeader('Cache-Control', 'no-store, no-cache');
  res.setHeader('Pragma', 'no-cache');
  if (isEntraError(result)) {
    res.status(result.status).json(result.body);
    return;
  }
  res.status(200).json(result);
}

function isEntraError(value: EntraError | Record<string, unknown>): value is EntraError {
  return typeof value.status === 'number' && typeof value.body === 'object';
}

function issue(
  req: Request,
  version: Version,
  options: TokenEndpointOptions,
): EntraError | Record<string, unknown> {
  const tenant = String(req.params.tenant);
  const body: Form = typeof req.body === 'object' && req.body ? (req.body as Form) : {};
  if (options.tenant && ![options.tenant, 'common', 'organizations'].includes(tenant)) {
    return entraErrors.tenantNotFound(tenant);
  }
  const grantType = body.grant_type;
  if (!grantType) return entraErrors.missingParameter('grant_type');
  if (!['password', 'refresh_token', 'client_credentials'].includes(grantType)) {
    return entraErrors.unsupportedGrant(grantType);
  }
  const clientId = body.client_id;
  if (!clientId) return entraErrors.missingParameter('client_id');
  if (clientId !== options.clientId) return entraErrors.unknownClient(clientId, tenant);
  if (!body.client_secret) return entraErrors.missingParameter('client_secret');
  if (body.client_secret !== options.clientSecret) return entraErrors.badSecret(clientId);

  let identity: Identity;
  let refreshResource: string | undefined;
  if (grantType === 'password') {
    if (!body.username) return entraErrors.missingParameter('username');
    if (!body.password) return entraErrors.missingParameter('password');
    if (
      body.username.toLowerCase() !== options.username.toLowerCase() ||
      body.password !== options.password
    ) {
      return entraErrors.badCredentials();
    }
    identity = { kind: 'user', username: options.username };
  } else if (grantType === 'refresh_token') {
    if (!body.refresh_token) return entraErrors.missingParameter('refresh_token');
    const redeemed = options.tokens.redeemRefresh(body.refresh_token);
    if (!redeemed || redeemed.clientId !== clientId) return entraErrors.badRefreshToken();
    identity = { kind: 'user', username: redeemed.username };
    refreshResource = redeemed.resource;
  } else {
    identity = { kind: 'app' };
  }

  const requested = requestedResource(body, version, grantType, refreshResource);
  if (isEntraError(requested)) return requested;
  const requestedName = String(requested.resource);
  const resource = canonicalResource(requestedName);
  if (!resource) return entraErrors.unknownResource(requestedName, tenant);

  const { token, grant } = options.tokens.issueAccess({ resource, identity, clientId, tenant });
  const expiresIn = Math.round((grant.expiresAt - grant.issuedAt) / 1000);
  const refreshToken =
    identity.kind === 'user'
      ? options.tokens.issueRefresh({ username: identity.username, clientId, resource })
      : undefined;

  if (version === 'v1') {
    // v1 answers carry every number as a string (referral-api-authentication sample).
    return {
      token_type: 'Bearer',
      scope: identity.kind === 'user' ? 'user_impersonation' : undefined,
      expires_in: String(expiresIn),
      ext_expires_in: String(expiresIn),
      expires_on: String(Math.floor(grant.expiresAt / 1000)),
      not_before: String(Math.floor(grant.issuedAt / 1000)),
      resource,
      access_token: token,
      refresh_token: refreshToken,
    };
  }
  return {
    token_type: 'Bearer',
    scope: identity.kind === 'user' ? `${resource}/user_impersonation` : `${resource}/.default`,
    expires_in: expiresIn,
    ext_expires_in: expiresIn,
    access_token: token,
    refresh_token: refreshToken,
  };
}

function requestedResource(
  body: Form,
  version: Version,
  grantType: string,
  refreshResource: string | undefined,
): Record<string, unknown> | EntraError {
  if (version === 'v1') {
    if (body.resource) return { resource: body.resource };
    if (refreshResource) return { resource: refreshResource };
    return entraErrors.missingParameter('resource');
  }
  const scope = body.scope;
  if (!scope) {
    if (refreshResource) return { resource: refreshResource };
    return entraErrors.missingParameter('scope');
  }
  // v2 scopes name the resource: `https://api.partner.microsoft.com/.default` (plus openid etc.).
  const named = scope
    .split(/\s+/)
    .find((s) => /^https?:\/\//i.test(s) && /\/(\.default|user_impersonation)$/i.test(s));
  if (!named) {
    if (grantType === 'client_credentials') return entraErrors.invalidScope(scope);
    if (refreshResource) return { resource: refreshResource };
    return entraErrors.invalidScope(scope);
  }
  return { resource: named.replace(/\/(\.default|user_impersonation)$/i, '') };
}
