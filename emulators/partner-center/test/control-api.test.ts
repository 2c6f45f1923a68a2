import { spawn } from 'node:child_process';
import path from 'node:path';
import { harnessForFile, referralBody, waitFor, type Json } from './helpers';

interface Stats {
  requests: Record<string, number>;
  total: number;
  dailyCalls: Record<string, number>;
  deliveries: Json;
  referrals: number;
}

describe('Partner Center emulator: control API, stats and HTTP faults', () => {
  const start = Date.parse('2026-03-01T23:59:00Z');
  let now = start;
  // Registered before the emulator's reset, so each test's reset and token happen at `start`.
  beforeEach(() => {
    now = start;
  });
  const pc = harnessForFile({ clock: { now: () => now } });
  let token: string;
  beforeEach(async () => {
    token = await pc.userToken();
  });

  const stats = async () => (await (await pc.control('GET', '/stats')).json()) as Stats;
  const create = () =>
    pc.api('POST', '/v1.0/engagements/referrals', { token, body: referralBody() });

  it('counts requests per route with ids and tenant normalised', async () => {
    const referral = (await (await create()).json()) as Json;
    await pc.api('GET', `/v1.0/engagements/referrals/${String(referral.id)}`, { token });
    await pc.api('GET', `/v1.0/engagements/referrals/${String(referral.id)}`, { token });
    const s = await stats();
    expect(s.requests).toEqual({
      'POST /{tenant}/oauth2/token': 1,
      'POST /v1.0/engagements/referrals': 1,
      'GET /v1.0/engagements/referrals/{id}': 2,
    });
    expect(s.total).toBe(4);
    expect(s.referrals).toBe(1);
  });

  it('R1: counts Referrals API calls per UTC day of the emulator clock', async () => {
    await create();
    await create();
    now += 2 * 60_000; // past midnight UTC
    token = await pc.userToken();
    await pc.api('GET', '/v1.0/engagements/referrals', { token });
    expect((await stats()).dailyCalls).toEqual({ '2026-03-01': 2, '2026-03-02': 1 });
  });

  it('R1: answers 429 with Retry-After on demand, then serves normally', async () => {
    await pc.control('POST', '/faults', {
      match: { method: 'POST', path: '/v1.0/engagements/referrals' },
      respond: {
        status: 429,
        headers: { 'Retry-After': '2' },
        body: { error: { code: 'tooManyRequests', message: 'Rate limit exceeded' } },
      },
      times: 1,
    });
    const throttled = await create();
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('2');
    expect((await create()).status).toBe(200);
    expect((await stats()).dailyCalls).toEqual({ '2026-03-01': 2 });
  });

  it('answers 5xx on demand and can delay responses', async () => {
    await pc.control('POST', '/faults', {
      match: { path: '/v1.0/engagements/referrals' },
      respond: { status: 503 },
      times: 2,
    });
    expect((await pc.api('GET', '/v1.0/engagements/referrals', { token })).status).toBe(503);
    expect((await create()).status).toBe(503);
    expect((await create()).status).toBe(200);
    await pc.control('POST', '/faults', { match: { path: '/v1.0' }, latencyMs: 200, times: 1 });
    const started = performance.now();
    expect((await pc.api('GET', '/v1.0/engagements/referrals', { token })).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    await pc.control('DELETE', '/faults');
    expect(
      ((await (await pc.control('GET', '/faults')).json()) as { rules: unknown[] }).rules,
    ).toEqual([]);
  });

  it('R17: defines co-sell-ready solutions: one object adds, an array replaces', async () => {
    const initial = ((await (await pc.control('GET', '/solutions')).json()) as { value: Json[] })
      .value;
    expect(initial.length).toBeGreaterThan(0);
    await pc.control('POST', '/solutions', { id: 'SOL-NEW-1', name: 'New one' });
    const added = ((await (await pc.control('GET', '/solutions')).json()) as { value: Json[] })
      .value;
    expect(added).toHaveLength(initial.length + 1);
    const body = referralBody({
      details: { currency: 'USD', requirements: { solutions: [{ id: 'SOL-NEW-1' }] } },
    });
    expect((await pc.api('POST', '/v1.0/engagements/referrals', { token, body })).status).toBe(200);

    await pc.control('POST', '/solutions', [{ id: 'SOL-ONLY', name: 'Only' }]);
    expect(
      ((await (await pc.control('GET', '/solutions')).json()) as { value: Json[] }).value,
    ).toEqual([{ id: 'SOL-ONLY', name: 'Only' }]);
    expect((await pc.api('POST', '/v1.0/engagements/referrals', { token, body })).status).toBe(400);
    expect(
      (await pc.control('POST', '/solutions', { id: 'not-a-solution', name: 'x' })).status,
    ).toBe(400);

    await pc.control('POST', '/reset', {});
    expect(
      ((await (await pc.control('GET', '/solutions')).json()) as { value: Json[] }).value,
    ).toEqual(initial);
  });

  it('lists only the referrals changed since a change number, for pollers of large worlds', async () => {
    const list = async (after?: number) =>
      (await (
        await pc.control('GET', after === undefined ? '/referrals' : `/referrals?after=${after}`)
      ).json()) as { value: Json[]; sequence: number };
    const first = (await (await create()).json()) as Json;
    const second = (await (await create()).json()) as Json;
    const all = await list();
    expect(all.value.map((r) => r.id)).toEqual([first.id, second.id]);

    // Nothing changed since: an empty page, same number.
    expect(await list(all.sequence)).toEqual({ value: [], sequence: all.sequence });

    // A change to the first one lists it alone, in its new state.
    const patched = await pc.api('PATCH', `/v1.0/engagements/referrals/${String(first.id)}`, {
      token,
      body: [{ op: 'replace', path: '/details/dealValue', value: 4242 }],
      headers: { 'If-Match': String(first.eTag) },
    });
    expect(patched.status).toBe(204);
    const changed = await list(all.sequence);
    expect(changed.value.map((r) => [r.id, (r.details as Json).dealValue])).toEqual([
      [first.id, 4242],
    ]);
    expect(changed.sequence).toBeGreaterThan(all.sequence);

    expect((await pc.control('GET', '/referrals?after=-1')).status).toBe(400);
    expect((await pc.control('GET', '/referrals?after=soon')).status).toBe(400);
    for (const loose of ['', '1e3', '0x10', '1.5'])
      expect((await pc.control('GET', `/referrals?after=${loose}`)).status).toBe(400);
  });

  it('reset forgets referrals, tokens, registration, clock offset and stats', async () => {
    await create();
    await pc.control('POST', '/clock', { advanceMs: 1000 });
    await pc.control('POST', '/reset', {});
    expect(
      ((await (await pc.control('GET', '/referrals')).json()) as { value: Json[] }).value,
    ).toEqual([]);
    expect(
      ((await (await pc.control('GET', '/clock')).json()) as { offsetMs: number }).offsetMs,
    ).toBe(0);
    expect((await pc.api('GET', '/v1.0/engagements/referrals', { token })).status).toBe(401);
    expect((await stats()).total).toBe(1);
  });

  it('the Microsoft side validates what it creates, with the same error shape', async () => {
    const res = await pc.control('POST', '/microsoft/referrals', {
      customerProfile: { name: 'X', address: { country: 'Nowhere' } },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { target: string } }).error.target).toBe(
      'customerProfile.address.country',
    );
  });
});

describe('Partner Center emulator: command line', () => {
  const emulators = path.resolve(__dirname, '../..');
  const run = (args: string[]) =>
    spawn(process.execPath, ['--import', 'tsx', 'partner-center/src/main.ts', ...args], {
      cwd: emulators,
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  it('prints "listening on <url>" for --port 0 and applies --tenant', async () => {
    const child = run(['--port', '0', '--tenant', 'cli-tenant', '--webhook-retry-ms', '100,200']);
    try {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const url = await waitFor(
        () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1],
        20_000,
        'listening line',
      );
      expect((await fetch(`${url}/cert/pcnotifications-dispatch.microsoft.com.cer`)).status).toBe(
        200,
      );
      const wrongTenant = await fetch(`${url}/other-tenant/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
      expect(wrongTenant.status).toBe(400);
      expect(((await wrongTenant.json()) as { error_codes: number[] }).error_codes).toEqual([
        90002,
      ]);
    } finally {
      child.kill('SIGTERM');
    }
  }, 30_000);

  it('exits with code 2 and one line naming a bad flag', async () => {
    const child = run(['--port', '0', '--webhook-retry-ms', 'soon']);
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(errors).toMatch(/--webhook-retry-ms/);
  }, 30_000);
});
