import { createSign } from 'node:crypto';
import jsforce, { type Connection } from 'jsforce';
import { API_VERSION, connect, control, emulatorForFile, newConnection } from './helpers';

function jwt(privateKeyPem: string, claims: Record<string, unknown>): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${enc({ alg: 'RS256' })}.${enc(claims)}`;
  const signature = createSign('RSA-SHA256')
    .update(unsigned)
    .sign(privateKeyPem)
    .toString('base64url');
  return `${unsigned}.${signature}`;
}

/** The same session without an OAuth client, so jsforce surfaces the 401 instead of refreshing. */
function sessionOnly(conn: Connection): Connection {
  return new jsforce.Connection({
    instanceUrl: conn.instanceUrl,
    accessToken: conn.accessToken ?? '',
    version: API_VERSION,
  });
}

describe('salesforce emulator: OAuth 2.0 and identity', () => {
  const emu = emulatorForFile();

  it('client_credentials returns an instance URL on the emulator and an identity URL jsforce parses', async () => {
    const conn = newConnection(emu);
    const info = await conn.authorize({ grant_type: 'client_credentials' });
    expect(conn.instanceUrl).toBe(emu.url);
    expect(info.id).toBe(emu.users.integration);
    expect(info.organizationId).toMatch(/^00D[0-9A-Za-z]{15}$/);
    const identity = await conn.identity();
    expect(identity.username).toBe('bridge@cosell.example');
    expect(identity.user_id).toBe(emu.users.integration);
  });

  it('rejects a wrong client secret with the documented OAuth error body', async () => {
    const res = await fetch(`${emu.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=emulator-client&client_secret=wrong',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'invalid_client',
      error_description: 'invalid client credentials',
    });
    const conn = new jsforce.Connection({
      oauth2: { clientId: 'emulator-client', clientSecret: 'nope', loginUrl: emu.url },
      version: API_VERSION,
    });
    await expect(conn.authorize({ grant_type: 'client_credentials' })).rejects.toMatchObject({
      name: 'invalid_client',
    });
  });

  it('JWT bearer: a correctly signed assertion logs in as its subject; a bad signature or audience is refused', async () => {
    const key = emu.jwtPrivateKeyPem();
    const claims = {
      iss: 'emulator-client',
      sub: 'bridge@cosell.example',
      aud: 'https://login.salesforce.com',
      exp: Math.floor(Date.now() / 1000) + 180,
    };
    const conn = newConnection(emu);
    const info = await conn.authorize({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: jwt(key, claims),
    });
    expect(info.id).toBe(emu.users.integration);
    const result = await conn.query('SELECT Id FROM User');
    expect(result.totalSize).toBe(4);

    const { generateKeyPairSync } = await import('node:crypto');
    const other = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    await expect(
      newConnection(emu).authorize({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: jwt(other, claims),
      }),
    ).rejects.toMatchObject({ name: 'invalid_grant', message: 'invalid assertion' });
    await expect(
      newConnection(emu).authorize({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: jwt(key, { ...claims, aud: 'https://evil.example' }),
      }),
    ).rejects.toMatchObject({ name: 'invalid_grant', message: 'audience is invalid' });
    await expect(
      newConnection(emu).authorize({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: jwt(key, { ...claims, exp: Math.floor(Date.now() / 1000) - 10 }),
      }),
    ).rejects.toMatchObject({ name: 'invalid_grant' });
  });

  it('refresh_token: jsforce refreshes an expired session by itself and replays the request', async () => {
    const { body } = await control(emu, 'POST', '/refresh-tokens', {
      username: 'bridge@cosell.example',
    });
    const refreshToken = (body as { refresh_token: string }).refresh_token;
    const conn = new jsforce.Connection({
      oauth2: { clientId: 'emulator-client', clientSecret: 'emulator-secret', loginUrl: emu.url },
      version: API_VERSION,
      instanceUrl: emu.url,
      accessToken: 'expired!token',
      refreshToken,
    });
    const refreshed: string[] = [];
    conn.on('refresh', (token: string) => refreshed.push(token));
    const result = await conn.query('SELECT Id FROM User');
    expect(result.totalSize).toBe(4);
    expect(refreshed).toHaveLength(1);
    expect(conn.accessToken).toBe(refreshed[0]);
  });

  it('an invalid refresh token is refused with invalid_grant', async () => {
    const res = await fetch(`${emu.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=refresh_token&client_id=emulator-client&refresh_token=nope',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'expired access/refresh token',
    });
  });

  it('expired tokens (clock advanced past the TTL) answer INVALID_SESSION_ID with 401', async () => {
    const conn = await connect(emu);
    await control(emu, 'POST', '/clock', { advanceMs: 3 * 3600_000 });
    const res = await fetch(`${emu.url}/services/data/v62.0/sobjects`, {
      headers: { authorization: `Bearer ${conn.accessToken}` },
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual([
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
    ]);
  });

  it('{"expireTokens":true} revokes every issued token; a new authorize works again', async () => {
    const conn = sessionOnly(await connect(emu));
    await control(emu, 'POST', '/faults', { expireTokens: true });
    await expect(conn.query('SELECT Id FROM User')).rejects.toMatchObject({
      errorCode: 'INVALID_SESSION_ID',
    });
    const fresh = await connect(emu);
    await expect(fresh.query('SELECT Id FROM User')).resolves.toMatchObject({ totalSize: 4 });
  });

  it('revoke endpoint invalidates a token', async () => {
    const conn = sessionOnly(await connect(emu));
    const res = await fetch(`${emu.url}/services/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${encodeURIComponent(conn.accessToken ?? '')}`,
    });
    expect(res.status).toBe(200);
    await expect(conn.query('SELECT Id FROM User')).rejects.toMatchObject({
      errorCode: 'INVALID_SESSION_ID',
    });
  });
});
