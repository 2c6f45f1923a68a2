import type { RequestHandler, Response } from 'express';
import type { AccessGrant, TokenBook } from './token-book';

export interface TokenRequirement {
  tokens: TokenBook;
  resource: string;
  /** The Referrals API takes App+User tokens only (referral-api-authentication). */
  userRequired: boolean;
  /** Writes the API's own error body for a 401. */
  reject(res: Response, status: 401, message: string): void;
}

const MESSAGES = {
  missing: 'Authorization header with a Bearer token is required.',
  invalid: 'The access token is not valid.',
  expired: 'The access token has expired.',
  'wrong-audience': 'The access token was issued for a different resource (audience).',
} as const;

/** Bearer check for one API: the token must be known, unexpired and issued for this audience. */
export function requireToken(requirement: TokenRequirement): RequestHandler {
  return (req, res, next) => {
    const check = requirement.tokens.check(req.get('authorization'), requirement.resource);
    if (!check.ok) {
      const detail =
        check.reason === 'expired'
          ? 'error="invalid_token", error_description="The token is expired"'
          : 'error="invalid_token"';
      res.setHeader(
        'WWW-Authenticate',
        `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", ${detail}`,
      );
      requirement.reject(res, 401, MESSAGES[check.reason]);
      return;
    }
    if (requirement.userRequired && check.grant.identity.kind !== 'user') {
      res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      requirement.reject(
        res,
        401,
        'This API requires App+User authentication; an app-only token is not accepted.',
      );
      return;
    }
    res.locals.grant = check.grant satisfies AccessGrant;
    next();
  };
}
