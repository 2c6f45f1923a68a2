import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { ORG_ID } from '../data/org';
import type { EmulatorState } from '../emulator-state';
import { OAuthError, verifyJwtAssertion } from './jwt-bearer';

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

const tokenRequestSchema = z.object({
  grant_type: z.string().optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
  assertion: z.string().optional(),
  refresh_token: z.string().optional(),
  username: z.string().optional(),
  password: z.string().optional(),
});

export function instanceUrl(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? '127.0.0.1'}`;
}

/** `Bearer x` (REST) or `OAuth x` (CometD), or `?oauth_token=` on the identity URL. */
export function bearerToken(req: Request): string | undefined {
  const auth = req.get('authorization');
  const m = auth ? /^(?:Bearer|OAuth)\s+(.+)$/i.exec(auth) : null;
  if (m?.[1]) return m[1].trim();
  const q = req.query.oauth_token;
  return typeof q === 'string' ? q : undefined;
}

function basicCredentials(req: Request): { id?: string; secret?: string } {
  const auth = req.get('authorization');
  const m = auth ? /^Basic\s+(.+)$/i.exec(auth) : null;
  if (!m?.[1]) return {};
  const [id, secret] = Buffer.from(m[1], 'base64').toString('utf8').split(':');
  return { ...(id ? { id } : {}), ...(secret ? { secret } : {}) };
}

function sendOAuthError(res: Response, e: OAuthError): void {
  res.status(e.status).json({ error: e.error, error_description: e.description });
}

/**
 * `/services/oauth2/*`: the token endpoint (client_credentials, JWT bearer, refresh_token),
 * revoke and userinfo, per "OAuth Authorization Flows" in Salesforce Help.
 */
export function oauthRouter(state: EmulatorState): Router {
  const router = express.Router();
  router.use(express.urlencoded({ extended: false }));

  router.post('/token', (req, res) => {
    const parsed = tokenRequestSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      sendOAuthError(res, new OAuthError('invalid_request', 'invalid request'));
      return;
    }
    const body = parsed.data;
    try {
      const basic = basicCredentials(req);
      const clientId = body.client_id ?? basic.id;
      const clientSecret = body.client_secret ?? basic.secret;
      let userId: string;
      switch (body.grant_type) {
        case 'client_credentials': {
          if (clientId !== state.config.clientId) {
            throw new OAuthError('invalid_client_id', 'client identifier invalid');
          }
          if (clientSecret !== state.config.clientSecret) {
            throw new OAuthError('invalid_client', 'invalid client credentials');
          }
          // The connected app's "Run As" user.
          userId = state.org.integrationUserId;
          break;
        }
        case JWT_GRANT: {
          const username = verifyJwtAssertion(body.assertion ?? '', state.jwtPublicKey(), {
            clientId: state.config.clientId,
            audiences: [
              'https://login.salesforce.com',
              'https://test.salesforce.com',
              instanceUrl(req),
            ],
            now: state.clock.now(),
          });
          const user = state.org.userByUsername(username);
          if (!user) throw new OAuthError('invalid_grant', "user hasn't approved this consumer");
          userId = user;
          break;
        }
        case 'refresh_token': {
          if (clientId !== state.config.clientId) {
            throw new OAuthError('invalid_client_id', 'client identifier invalid');
          }
          if (clientSecret !== undefined && clientSecret !== state.config.clientSecret) {
            throw new OAuthError('invalid_client', 'invalid client credentials');
          }
          const user = state.tokens.refreshTokenUser(body.refresh_token ?? '');
          if (!user) throw new OAuthError('invalid_grant', 'expired access/refresh token');
          userId = user;
          break;
        }
        default:
          throw new OAuthError('unsupported_grant_type', 'grant type not supported');
      }
      const token = state.tokens.issue(userId);
      const base = instanceUrl(req);
      res.json({
        access_token: token.token,
        signature: Buffer.from(token.token).toString('base64').slice(0, 44),
        scope: 'api',
        instance_url: base,
        id: `${base}/id/${ORG_ID}/${userId}`,
        token_type: 'Bearer',
        issued_at: String(token.issuedAt),
      });
    } catch (error) {
      if (error instanceof OAuthError) sendOAuthError(res, error);
      else throw error;
    }
  });

  router.post('/revoke', (req, res) => {
    const token = (req.body as { token?: unknown } | undefined)?.token ?? req.query.token;
    if (typeof token !== 'string' || !state.tokens.revoke(token)) {
      sendOAuthError(
        res,
        new OAuthError('unsupported_token_type', 'this token type is not supported'),
      );
      return;
    }
    res.status(200).end();
  });

  router.get('/userinfo', (req, res) => {
    const token = state.tokens.valid(bearerToken(req));
    if (!token) {
      res.status(403).type('text/plain').send('Bad_OAuth_Token');
      return;
    }
    const info = identity(state, instanceUrl(req), token.userId, '62.0');
    res.json({ sub: info.id, ...info });
  });

  return router;
}

/** The identity service answer ("Identity URLs" in Salesforce Help). */
export function identity(state: EmulatorState, base: string, userId: string, version: string) {
  const user = state.org.store.get(userId)?.fields ?? {};
  const v = version;
  return {
    id: `${base}/id/${ORG_ID}/${userId}`,
    asserted_user: true,
    user_id: userId,
    organization_id: ORG_ID,
    username: user.Username,
    nick_name: String(user.Username ?? '').split('@')[0],
    display_name: user.Name,
    email: user.Email,
    email_verified: true,
    first_name: user.FirstName,
    last_name: user.LastName,
    timezone: 'GMT',
    active: true,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: 0,
    last_modified_date: user.LastModifiedDate,
    is_app_installed: true,
    urls: {
      enterprise: `${base}/services/Soap/c/${v}/${ORG_ID}`,
      partner: `${base}/services/Soap/u/${v}/${ORG_ID}`,
      rest: `${base}/services/data/v${v}/`,
      sobjects: `${base}/services/data/v${v}/sobjects/`,
      search: `${base}/services/data/v${v}/search/`,
      query: `${base}/services/data/v${v}/query/`,
      recent: `${base}/services/data/v${v}/recent/`,
      profile: `${base}/${userId}`,
      custom_domain: base,
    },
  };
}

/** `GET /id/<orgId>/<userId>`: the identity URL jsforce's `identity()` reads. */
export function identityRouter(state: EmulatorState): Router {
  const router = express.Router();
  router.get('/id/:orgId/:userId', (req, res) => {
    const token = state.tokens.valid(bearerToken(req));
    if (!token) {
      res.status(403).type('text/plain').send('Bad_OAuth_Token');
      return;
    }
    if (req.params.orgId !== ORG_ID || !state.org.store.get(req.params.userId)) {
      res.status(404).type('text/plain').send('Bad_Id');
      return;
    }
    res.json(identity(state, instanceUrl(req), req.params.userId, '62.0'));
  });
  return router;
}
