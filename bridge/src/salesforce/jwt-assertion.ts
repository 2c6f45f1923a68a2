import { createSign } from 'node:crypto';

/** Salesforce accepts an assertion whose `exp` is at most 3 minutes ahead. */
const JWT_LIFETIME_SECONDS = 180;

export interface JwtAssertionInput {
  /** Connected app consumer key (`iss`). */
  clientId: string;
  /** Integration user's username (`sub`). */
  username: string;
  /** `https://login.salesforce.com`, `https://test.salesforce.com` or the My Domain/community URL. */
  audience: string;
  privateKeyPem: string;
  now: Date;
}

function base64Url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/**
 * Build the RS256-signed assertion of the OAuth 2.0 JWT bearer flow. jsforce only sends the
 * assertion, it does not build one, and node:crypto is enough to sign it.
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm
 */
export function createJwtAssertion(input: JwtAssertionInput): string {
  const header = base64Url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const claims = base64Url(
    JSON.stringify({
      iss: input.clientId,
      sub: input.username,
      aud: input.audience,
      exp: Math.floor(input.now.getTime() / 1000) + JWT_LIFETIME_SECONDS,
    }),
  );
  const signingInput = `${header}.${claims}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(input.privateKeyPem);
  return `${signingInput}.${base64Url(signature)}`;
}

/**
 * The `aud` claim for a login URL: Salesforce accepts login.salesforce.com (production),
 * test.salesforce.com (sandboxes) or an Experience Cloud site URL, not a My Domain host, so a
 * My Domain login URL maps to the matching login server. Anything else (an Experience Cloud site,
 * the emulator) is its own audience.
 */
export function jwtAudienceFor(loginUrl: string): string {
  const url = loginUrl.replace(/\/+$/, '');
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return url;
  }
  if (host.endsWith('.sandbox.my.salesforce.com')) return 'https://test.salesforce.com';
  if (host.endsWith('.my.salesforce.com')) return 'https://login.salesforce.com';
  return url;
}
