import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock';
import { ORG_ID } from '../data/org';

export interface AccessToken {
  token: string;
  userId: string;
  issuedAt: number;
  expiresAt: number;
  revoked: boolean;
}

/** Issued access and refresh tokens; expiry follows the emulator clock. */
export class TokenStore {
  private tokens = new Map<string, AccessToken>();
  private refreshTokens = new Map<string, string>();

  constructor(
    private readonly clock: Clock,
    public ttlMs: number,
  ) {}

  issue(userId: string): AccessToken {
    // Salesforce access tokens start with the 15-character org id and a `!`.
    const token = `${ORG_ID.slice(0, 15)}!${randomBytes(48).toString('base64url')}`;
    const now = this.clock.now();
    const t = { token, userId, issuedAt: now, expiresAt: now + this.ttlMs, revoked: false };
    this.tokens.set(token, t);
    return t;
  }

  /** The token when it is known, unrevoked and unexpired. */
  valid(token: string | undefined): AccessToken | undefined {
    if (!token) return undefined;
    const t = this.tokens.get(token);
    if (!t || t.revoked || t.expiresAt <= this.clock.now()) return undefined;
    return t;
  }

  revoke(token: string): boolean {
    const t = this.tokens.get(token);
    if (t) t.revoked = true;
    const user = this.refreshTokens.get(token);
    if (user) {
      this.refreshTokens.delete(token);
      return true;
    }
    return t !== undefined;
  }

  expireAll(): void {
    for (const t of this.tokens.values()) t.revoked = true;
  }

  /** A refresh token, as the web-server flow would hand out after the user approves the app. */
  issueRefreshToken(userId: string): string {
    const token = `5Aep${randomBytes(40).toString('base64url')}`;
    this.refreshTokens.set(token, userId);
    return token;
  }

  refreshTokenUser(token: string): string | undefined {
    return this.refreshTokens.get(token);
  }

  clear(): void {
    this.tokens.clear();
    this.refreshTokens.clear();
  }

  toJSON() {
    return { tokens: [...this.tokens.values()], refreshTokens: [...this.refreshTokens] };
  }

  load(state: ReturnType<TokenStore['toJSON']>): void {
    this.tokens = new Map(state.tokens.map((t) => [t.token, t]));
    this.refreshTokens = new Map(state.refreshTokens);
  }
}
