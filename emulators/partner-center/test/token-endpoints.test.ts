import { REFERRALS_RESOURCE, WEBHOOK_RESOURCE } from '../src';
import { CLIENT, harnessForFile, referralBody, startHarness, USER } from './helpers';

describe('Partner Center emulator: Entra ID token endpoints and API access', () => {
  const pc = harnessForFile();
  /** The token response of a plain v1 password grant for the Referrals API. */
  const passwordGrant = async () =>
    (await (
      await pc.form('/common/oauth2/token', {
        resource: REFERRALS_RESOURCE,
        grant_type: 'password',
        ...CLIENT,
        ...USER,
      })
    ).json()) as { refresh_token: string };

  it('issues an App+User token through the documented v1 password grant, numbers as strings', async () => {
    const res = await pc.form('/my-tenant.onmicrosoft.com/oauth2/token', {
      resource: REFERRALS_RESOURCE,
      grant_type: 'password',
      scope: 'openid',
      ...CLIENT,
      ...USER,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      token_type: 'Bearer',
      expires_in: '3600',
      ext_expires_in: '3600',
      resource: REFERRALS_RESOURCE,
    });
    expect(typeof body.expires_on).toBe('string');
    expect(typeof body.not_before).toBe('string');
    expect(typeof body.access_token).toBe('string');
    expect(typeof body.refresh_token).toBe('string');
    const list = await pc.api('GET', '/v1.0/engagements/referrals', {
      token: String(body.access_token),
    });
    expect(list.status).toBe(200);
  });

  it('redeems a refresh token for a new access token, also for the other resource', async () => {
    const first = await passwordGrant();
    const refreshed = await pc.form('/common/oauth2/token', {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
      resource: WEBHOOK_RESOURCE,
      ...CLIENT,
    });
    expect(refreshed.status).toBe(200);
    const body = (await refreshed.json()) as { access_token: string; resource: string };
    expect(body.resource).toBe(WEBHOOK_RESOURCE);
    expect(
      (await pc.api('GET', '/webhooks/v1/registration/events', { token: body.access_token }))
        .status,
    ).toBe(200);
  });

  it('issues app-only tokens through v2 client credentials with numeric expiry', async () => {
    const res = await pc.form('/common/oauth2/v2.0/token', {
      grant_type: 'client_credentials',
      scope: `${WEBHOOK_RESOURCE}/.default`,
      ...CLIENT,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(body.refresh_token).toBeUndefined();
  });

  it.each([
    [
      'wrong password',
      {
        grant_type: 'password',
        resource: REFERRALS_RESOURCE,
        ...CLIENT,
        username: USER.username,
        password: 'nope',
      },
      400,
      'invalid_grant',
      50126,
    ],
    [
      'wrong secret',
      {
        grant_type: 'password',
        resource: REFERRALS_RESOURCE,
        client_id: CLIENT.client_id,
        client_secret: 'x',
        ...USER,
      },
      401,
      'invalid_client',
      7000215,
    ],
    [
      'unknown client',
      {
        grant_type: 'password',
        resource: REFERRALS_RESOURCE,
        client_id: 'other',
        client_secret: 'x',
        ...USER,
      },
      400,
      'unauthorized_client',
      700016,
    ],
    [
      'unsupported grant',
      { grant_type: 'implicit', ...CLIENT },
      400,
      'unsupported_grant_type',
      70003,
    ],
    [
      'unknown resource',
      { grant_type: 'password', resource: 'https://graph.microsoft.com', ...CLIENT, ...USER },
      400,
      'invalid_resource',
      500011,
    ],
    ['missing grant_type', { ...CLIENT }, 400, 'invalid_request', 900144],
    [
      'bad refresh token',
      { grant_type: 'refresh_token', refresh_token: 'bogus', ...CLIENT },
      400,
      'invalid_grant',
      9002313,
    ],
  ])('R7: rejects a %s with an Entra-shaped error', async (_name, fields, status, error, code) => {
    const res = await pc.form('/common/oauth2/token', fields as Record<string, string>);
    expect(res.status).toBe(status);
    const body = (await res.json()) as {
      error: string;
      error_description: string;
      error_codes: number[];
      trace_id: string;
    };
    expect(body.error).toBe(error);
    expect(body.error_codes).toEqual([code]);
    expect(body.error_description).toMatch(new RegExp(`^AADSTS${code}: `));
    expect(typeof body.trace_id).toBe('string');
  });

  it('R7: refresh tokens stop working once consent is revoked', async () => {
    const first = await passwordGrant();
    await pc.control('POST', '/tokens', { revokeRefreshTokens: true });
    const res = await pc.form('/common/oauth2/token', {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
      ...CLIENT,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('R2: answers 401 without a token, with an unknown token, and for the wrong audience', async () => {
    const none = await pc.api('GET', '/v1.0/engagements/referrals');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await none.json()).toMatchObject({ error: { code: 'unauthorized' } });
    expect((await pc.api('GET', '/v1.0/engagements/referrals', { token: 'forged' })).status).toBe(
      401,
    );
    const webhookToken = await pc.userToken(WEBHOOK_RESOURCE);
    expect(
      (await pc.api('GET', '/v1.0/engagements/referrals', { token: webhookToken })).status,
    ).toBe(401);
    const referralsToken = await pc.userToken(REFERRALS_RESOURCE);
    const wrong = await pc.api('GET', '/webhooks/v1/registration/events', {
      token: referralsToken,
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ code: 401, data: [], source: 'PartnerFD' });
  });

  it('R2: refuses app-only tokens on the Referrals API, which requires App+User', async () => {
    const appToken = await pc.appToken(REFERRALS_RESOURCE);
    const res = await pc.api('GET', '/v1.0/engagements/referrals', { token: appToken });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /App\+User/,
    );
  });

  it('R7: tokens expire after their lifetime on the emulator clock, and on {"expireTokens":true}', async () => {
    const token = await pc.userToken();
    expect((await pc.api('GET', '/v1.0/engagements/referrals', { token })).status).toBe(200);
    await pc.control('POST', '/clock', { advanceMs: 3_600_000 });
    const expired = await pc.api('GET', '/v1.0/engagements/referrals', { token });
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toMatch(/expired/);

    const fresh = await pc.userToken();
    expect((await pc.control('POST', '/faults', { expireTokens: true })).status).toBe(201);
    expect((await pc.api('GET', '/v1.0/engagements/referrals', { token: fresh })).status).toBe(401);
    expect(
      (await pc.api('GET', '/v1.0/engagements/referrals', { token: await pc.userToken() })).status,
    ).toBe(200);
  });

  it('R2: answers 403 naming the Referrals admin role when the user lacks it', async () => {
    const token = await pc.userToken();
    await pc.control('POST', '/roles', { referralsAdmin: false });
    for (const [method, body] of [
      ['GET', undefined],
      ['POST', referralBody()],
    ] as const) {
      const res = await pc.api(method, '/v1.0/engagements/referrals', { token, body });
      expect(res.status).toBe(403);
      const error = (await res.json()) as { error: { code: string; message: string } };
      expect(error.error.code).toBe('forbidden');
      expect(error.error.message).toMatch(/Referrals admin/);
    }
    await pc.control('POST', '/roles', { referralsAdmin: true });
    expect((await pc.api('GET', '/v1.0/engagements/referrals', { token })).status).toBe(200);
  });
});

describe('Partner Center emulator: tenant restriction', () => {
  it('accepts only the configured tenant when one is given', async () => {
    const pc = await startHarness({ tenant: 'contoso-tenant-id' });
    try {
      const fields = { resource: REFERRALS_RESOURCE, grant_type: 'password', ...CLIENT, ...USER };
      expect((await pc.form('/contoso-tenant-id/oauth2/token', fields)).status).toBe(200);
      const other = await pc.form('/someone-else/oauth2/token', fields);
      expect(other.status).toBe(400);
      expect(((await other.json()) as { error_codes: number[] }).error_codes).toEqual([90002]);
    } finally {
      await pc.stop();
    }
  });
});
