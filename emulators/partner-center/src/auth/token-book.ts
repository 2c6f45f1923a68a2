import { randomBytes } from 'node:crypto';

/** App+User tokens come from the password/refresh grants; app-only from client credentials. */
export type Identity = { kind: 'user'; username: string } | { kind: 'app' };

export interface AccessGrant {
  resource: string;
  identity: Identity;
  clientId: string;
  tenant: string;
  issuedAt: number;
  expiresAt: number;
}

interface RefreshGrant {
  username: string;
  clientId: string;
  resource: string;
}

export type TokenCheck =
  | { ok: true; grant: AccessGrant }
  | { ok: false; reason: 'missing' | 'invalid' | 'expired' | 'wrong-audience' };

/** Every token the emulator issued, so the APIs can tell valid, expired and foreign ones apart. */
export class TokenBook {
  private access = new Map<string, AccessGrant>();
  private refresh = new Map<string, RefreshGrant>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs: number,
  ) {}

  get accessTtlMs(): number {
    return this.ttlMs;
  }

  issueAccess(grant: Omit<AccessGrant, 'issuedAt' | 'expiresAt'>): {
    token: string;
    grant: AccessGrant;
  } {
    const issuedAt = this.now();
    const full: AccessGrant = { ...grant, issuedAt, expiresAt: issuedAt + this.ttlMs };
    const token = jwtShaped(full);
    this.access.set(token, full);
    return { token, grant: full };
  }

  issueRefresh(grant: RefreshGrant): string {
    const token = `0.emu.${randomBytes(32).toString('base64url')}`;
    this.refresh.set(token, grant);
    return token;
  }

  redeemRefresh(token: string): RefreshGrant | undefined {
    return this.refresh.get(token);
  }

  check(authorization: string | undefined, resource: string): TokenCheck {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match?.[1]) return { ok: false, reason: 'missing' };
    const grant = this.access.get(match[1]);
    if (!grant) return { ok: false, reason: 'invalid' };
    if (grant.expiresAt <= this.now()) return { ok: false, reason: 'expired' };
    if (grant.resource !== resource) return { ok: false, reason: 'wrong-audience' };
    return { ok: true, grant };
  }

  /** `{"expireTokens":true}`: access tokens issued so far answer as expired; refresh tokens live on. */
  expireAll(): void {
    const past = this.now() - 1;
    for (const grant of this.access.values()) grant.expiresAt = Math.min(grant.expiresAt, past);
  }

  /** Simulates a revoked consent / expired refresh token (R7). */
  revokeRefreshTokens(): void {
    this.refresh.clear();
  }

  clear(): void {
    this.access.clear();
    this.refresh.clear();
  }
}

/**
 * Access tokens look like Entra's JWTs (clients sometimes decode `exp` for diagnostics) but are
 * validated by lookup: the signature segment is random and means nothing.
 */
function jwtShaped(grant: AccessGrant): string {
  const enc = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = { typ: 'JWT', alg: 'RS256', kid: 'emulator' };
  const payload = {
    aud: grant.resource,
    iss: `https://sts.windows.net/${grant.tenant}/`,
    iat: Math.floor(grant.issuedAt / 1000),
    nbf: Math.floor(grant.issuedAt / 1000),
    exp: Math.floor(grant.expiresAt / 1000),
    appid: grant.clientId,
    tid: grant.tenant,
    ...(grant.identity.kind === 'user'
      ? { upn: grant.identity.username, scp: 'user_impersonation' }
      : { roles: [] }),
    jti: randomBytes(8).toString('hex'),
  };
  return `${enc(header)}.${enc(payload)}.${randomBytes(32).toString('base64url')}`;
}
