/**
 * Issue 7, secrets. A whole working session of the bridge process — setup, a sync each way,
 * doctor/status/explain/failures in text and JSON, /metrics, /readyz, expired and revoked
 * credentials while it runs, and doctor with wrong credentials — and then every byte it printed
 * or served is searched for every configured secret value. Trace logging is on, so nothing is
 * hidden by the log level.
 */
import { EMULATOR_CREDENTIALS, startStack, waitFor, type CliResult, type Stack } from '../support';

/** Wrong credentials used for the error paths: also secrets, also never to be printed. */
const WRONG = {
  SALESFORCE_CLIENT_SECRET: 'wrong-sf-secret-51c0e9',
  PARTNER_CENTER_CLIENT_SECRET: 'wrong-pc-secret-77e1b4',
  PARTNER_CENTER_PASSWORD: 'wrong-pc-password-a8d2f6',
  PARTNER_CENTER_REFRESH_TOKEN: 'revoked-refresh-token-9f31c2',
};

/** The emulators' defaults, as the harness configures the bridge (both client secrets coincide). */
const CONFIGURED_SECRETS = [
  ...new Set<string>([
    EMULATOR_CREDENTIALS.salesforceClientSecret,
    EMULATOR_CREDENTIALS.partnerCenterClientSecret,
    EMULATOR_CREDENTIALS.partnerCenterPassword,
  ]),
];

describe('secrets never appear in logs, doctor output, metrics or error messages', () => {
  let stack: Stack;
  const outputs: Array<{ source: string; text: string }> = [];

  const keep = (source: string, result: CliResult) => {
    outputs.push({ source, text: `${result.stdout}\n${result.stderr}` });
    return result;
  };

  beforeAll(async () => {
    stack = await startStack({ bridgeEnv: { BRIDGE_LOG_LEVEL: 'trace' } });
    const { bridge, seed, partnerCenter } = stack;

    keep('setup (again, idempotent)', await bridge.cli(['setup']));

    // A sync each way, so request/response logging of both APIs has happened.
    const deal = await seed.coSellDeal();
    await waitFor(
      async () =>
        (await partnerCenter.control.referrals()).some(
          (r) => r.externalReferenceId === deal.opportunityId,
        ),
      { timeoutMs: 30_000, description: 'the outbound referral' },
    );
    const incoming = await partnerCenter.control.microsoftCreate(seed.microsoftReferralBody());
    await waitFor(
      async () =>
        (await partnerCenter.control.referrals()).some(
          (r) => r.id === incoming.id && typeof r.externalReferenceId === 'string',
        ),
      { timeoutMs: 30_000, description: 'the inbound referral to get its CRM id' },
    );

    for (const args of [
      ['doctor'],
      ['status', '--json'],
      ['failures', 'list'],
      ['explain', String(incoming.id), '--json'],
    ]) {
      keep(`cosell ${args.join(' ')}`, await bridge.cli(args));
    }
    for (const path of ['/metrics', '/readyz', '/healthz']) {
      const res = await fetch(`${bridge.url}${path}`);
      outputs.push({ source: `GET ${path}`, text: await res.text() });
    }

    // Credentials go bad while it runs: expired tokens everywhere, then revoked consent.
    await Promise.all([
      stack.salesforce.control.expireTokens(),
      partnerCenter.control.expireTokens(),
    ]);
    await partnerCenter.control.revokeRefreshTokens();
    await seed.coSellDeal();
    await waitFor(
      () =>
        bridge.logs((l) => typeof l.level === 'number' && l.level >= 40).length > 0 ? true : false,
      { timeoutMs: 30_000, description: 'the bridge to log the credential failure' },
    );

    // Wrong credentials: doctor and run must explain what is wrong without quoting them.
    keep(
      'doctor, wrong secrets',
      await bridge.cli(['doctor'], {
        env: {
          SALESFORCE_CLIENT_SECRET: WRONG.SALESFORCE_CLIENT_SECRET,
          PARTNER_CENTER_CLIENT_SECRET: WRONG.PARTNER_CENTER_CLIENT_SECRET,
          PARTNER_CENTER_PASSWORD: WRONG.PARTNER_CENTER_PASSWORD,
        },
      }),
    );
    keep(
      'doctor --json, revoked refresh token',
      await bridge.cli(['doctor', '--json'], {
        env: {
          PARTNER_CENTER_USERNAME: undefined,
          PARTNER_CENTER_PASSWORD: undefined,
          PARTNER_CENTER_REFRESH_TOKEN: WRONG.PARTNER_CENTER_REFRESH_TOKEN,
        },
      }),
    );
    for (const run of bridge.runs) {
      outputs.push({ source: run.name, text: run.lines.map((l) => l.text).join('\n') });
    }
  }, 240_000);

  afterAll(async () => {
    await stack?.dispose();
  });

  it('captured real output from every source (the search below is not vacuous)', () => {
    const all = outputs.map((o) => o.text).join('\n');
    expect(all).toMatch(/sync engine started/);
    expect(all).toMatch(/process_resident_memory_bytes|cosell_/);
    expect(outputs.find((o) => o.source === 'doctor, wrong secrets')?.text).toMatch(
      /PARTNER_CENTER|Salesforce|Partner Center/,
    );
    expect(outputs.length).toBeGreaterThanOrEqual(11);
  });

  it.each([
    ...CONFIGURED_SECRETS.map((secret) => ['configured', secret] as const),
    ...Object.entries(WRONG).map(([name, secret]) => [name, secret] as const),
  ])('the %s secret %s appears nowhere', (_kind, secret) => {
    const leaks = outputs
      .filter((o) => o.text.includes(secret))
      .map((o) => {
        const at = o.text.indexOf(secret);
        return `${o.source}: …${o.text.slice(Math.max(0, at - 80), at + 40)}…`;
      });
    expect(leaks).toEqual([]);
  });

  it('no bearer token or OAuth token value is logged', () => {
    const all = outputs.map((o) => o.text).join('\n');
    expect(all).not.toMatch(/Bearer\s+[A-Za-z0-9._~+/-]{16,}/);
    expect(all).not.toMatch(/"(access_token|refresh_token)"\s*:\s*"[^"*[]{8,}"/);
    expect(all).not.toMatch(/Authorization"?\s*[:=]\s*"?(Bearer|OAuth)\s+[A-Za-z0-9]/i);
  });
});
