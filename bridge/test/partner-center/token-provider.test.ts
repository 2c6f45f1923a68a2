import { AuthenticationError } from '../../src/errors';
import { createAppTokenProvider, createTokenProvider } from '../../src/partner-center';
import {
  PASSWORD_GRANT,
  REFERRALS_RESOURCE,
  WEBHOOK_SCOPE,
  harnessForFile,
} from './emulator-harness';

describe('Partner Center token providers (against the emulator)', () => {
  const h = harnessForFile();

  const tokenCalls = () => h.calls.filter((c) => c.api === 'token');

  it('gets an App+User token with the documented password grant and caches it', async () => {
    const tokens = h.userTokens();
    const [a, b] = await Promise.all([tokens.getToken(), tokens.getToken()]);
    const c = await tokens.getToken();
    expect(a).toMatch(/^ey/);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(tokenCalls()).toEqual([{ api: 'token', operation: 'password', status: 200 }]);
    // The emulator accepts it for the Referrals API, i.e. the audience and identity are right.
    await expect(h.referrals({ tokens }).listByEngagement('none')).resolves.toEqual([]);
  });

  it('fetches a fresh token after invalidate()', async () => {
    const tokens = h.userTokens();
    const first = await tokens.getToken();
    tokens.invalidate();
    expect(await tokens.getToken()).not.toBe(first);
    expect(tokenCalls()).toHaveLength(2);
  });

  it('uses and rotates the refresh token, handing each new one to onRefreshToken', async () => {
    const seed = h.userTokens();
    await seed.getToken();
    const initial = seed.currentRefreshToken();
    expect(initial).toBeDefined();

    const persisted: string[] = [];
    const tokens = createTokenProvider({
      tokenUrl: `${h.url}/{tenant}/oauth2/token`,
      clientId: 'emulator-client',
      clientSecret: 'emulator-secret',
      resource: REFERRALS_RESOURCE,
      grant: { type: 'refresh_token', refreshToken: initial! },
      onRefreshToken: (t) => {
        persisted.push(t);
      },
    });
    await expect(tokens.getToken()).resolves.toMatch(/^ey/);
    expect(tokens.currentRefreshToken()).toBe(persisted.at(-1));
    tokens.invalidate();
    await tokens.getToken();
    await expect(h.referrals({ tokens }).listByEngagement('none')).resolves.toEqual([]);
  });

  it('R7: a wrong password becomes an AuthenticationError naming the variables to fix', async () => {
    const tokens = h.userTokens({ ...PASSWORD_GRANT, password: 'Hunter2-not-it' });
    const error = await tokens.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toMatch(/AADSTS50126.*PARTNER_CENTER_PASSWORD/);
    expect((error as Error).message).not.toContain('Hunter2-not-it');
  });

  it('R7: a wrong client secret names PARTNER_CENTER_CLIENT_SECRET', async () => {
    const tokens = createTokenProvider({
      tokenUrl: `${h.url}/common/oauth2/token`,
      clientId: 'emulator-client',
      clientSecret: 'not-the-secret',
      resource: REFERRALS_RESOURCE,
      grant: PASSWORD_GRANT,
    });
    await expect(tokens.getToken()).rejects.toThrow(/PARTNER_CENTER_CLIENT_SECRET/);
  });

  it('R7: a revoked refresh token tells the operator to sign in again', async () => {
    const seed = h.userTokens();
    await seed.getToken();
    await h.control('POST', '/tokens', { revokeRefreshTokens: true });
    const tokens = h.userTokens({
      type: 'refresh_token',
      refreshToken: seed.currentRefreshToken()!,
    });
    const error = await tokens.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toMatch(/PARTNER_CENTER_REFRESH_TOKEN/);
  });

  it('gets an app-only token for the webhook API with client_credentials', async () => {
    const app = createAppTokenProvider({
      tokenUrl: `${h.url}/common/oauth2/v2.0/token`,
      clientId: 'emulator-client',
      clientSecret: 'emulator-secret',
      scope: WEBHOOK_SCOPE,
    });
    await expect(app.getToken()).resolves.toMatch(/^ey/);
    const wrongScope = createAppTokenProvider({
      tokenUrl: `${h.url}/common/oauth2/v2.0/token`,
      clientId: 'emulator-client',
      clientSecret: 'emulator-secret',
      scope: 'https://api.partnercenter.microsoft.com',
    });
    await expect(wrongScope.getToken()).rejects.toThrow(/\/\.default/);
  });
});
