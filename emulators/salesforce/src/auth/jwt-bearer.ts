import { createPublicKey, generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';

/** An OAuth error as the token endpoint answers it (`{error, error_description}`). */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

const headerSchema = z.object({ alg: z.string() });
const claimsSchema = z.object({
  iss: z.string(),
  sub: z.string().optional(),
  prn: z.string().optional(),
  aud: z.union([z.string(), z.array(z.string())]),
  exp: z.number(),
});

const decode = (part: string | undefined): unknown => {
  try {
    return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
};

/**
 * Verifies an RS256 JWT bearer assertion ("OAuth 2.0 JWT Bearer Flow for Server-to-Server
 * Integration"): signature against the connected app's certificate, `iss` = consumer key,
 * `aud` = a login URL, `exp` in the future. Returns the username (`sub`, or legacy `prn`).
 */
export function verifyJwtAssertion(
  assertion: string,
  key: KeyObject,
  expected: { clientId: string; audiences: string[]; now: number },
): string {
  const [h, p, s] = assertion.split('.');
  const header = headerSchema.safeParse(decode(h));
  const claims = claimsSchema.safeParse(decode(p));
  if (!h || !p || !s || !header.success || !claims.success || header.data.alg !== 'RS256') {
    throw new OAuthError('invalid_grant', 'invalid assertion');
  }
  const ok = verify('RSA-SHA256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'));
  if (!ok) throw new OAuthError('invalid_grant', 'invalid assertion');
  const c = claims.data;
  if (c.iss !== expected.clientId) {
    throw new OAuthError('invalid_client_id', 'client identifier invalid');
  }
  const auds = Array.isArray(c.aud) ? c.aud : [c.aud];
  const normalize = (u: string) => u.replace(/\/+$/, '');
  if (!auds.some((a) => expected.audiences.map(normalize).includes(normalize(a)))) {
    throw new OAuthError('invalid_grant', 'audience is invalid');
  }
  if (c.exp * 1000 <= expected.now) {
    throw new OAuthError('invalid_grant', 'expired authorization code');
  }
  const username = c.sub ?? c.prn;
  if (!username) throw new OAuthError('invalid_grant', 'invalid assertion');
  return username;
}

/** The certificate (or public key) PEM configured on the connected app. */
export function publicKeyFromPem(pem: string): KeyObject {
  try {
    return createPublicKey(pem);
  } catch (cause) {
    throw new Error(
      'Failed to read the JWT certificate (expected a PEM certificate or public key)',
      {
        cause,
      },
    );
  }
}

/** A fresh key pair for when no certificate is configured; the demo reads the private key. */
export function generateJwtKeyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
