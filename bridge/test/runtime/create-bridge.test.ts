/**
 * The composition root against both emulators over loopback: one `createBridge(config)` serves
 * the HTTP contract, stores signed webhooks before answering, syncs, and stops gracefully.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import {
  startPartnerCenterEmulator,
  type RunningPartnerCenterEmulator,
} from '../../../emulators/partner-center/src';
import {
  startSalesforceEmulator,
  type RunningSalesforceEmulator,
} from '../../../emulators/salesforce/src';
import { loadConfig, type Config } from '../../src/config';
import { createBridge, createWebhookAdmin, webhookUrl, type Bridge } from '../../src/runtime';
import { openStore } from '../../src/store';
import { freePort } from '../../../test/support/free-port';
import { waitForValue } from '../../../test/support/wait-for';

for (const name of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY'])
  delete process.env[name];

const silent = pino({ level: 'silent' });

/** test/support's deadline polling, accepting the first value other than undefined or false. */
function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  return waitForValue(check, (v) => v !== undefined && v !== false, {
    description: what,
    timeoutMs,
    intervalMs: 50,
  }) as Promise<T>;
}

async function control(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${baseUrl}/__emulator${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

describe('createBridge (composition root)', () => {
  let salesforce: RunningSalesforceEmulator;
  let partnerCenter: RunningPartnerCenterEmulator;
  let dir: string;
  let config: Config;
  let bridge: Bridge;
  let inboundReferralId = '';

  beforeAll(async () => {
    salesforce = await startSalesforceEmulator({ port: 0, cometdTimeoutMs: 1_000 });
    partnerCenter = await startPartnerCenterEmulator({
      port: 0,
      webhookRetryScheduleMs: [200, 400],
    });
    dir = mkdtempSync(join(tmpdir(), 'cosell-runtime-'));
    const port = await freePort();
    config = loadConfig({
      BRIDGE_ENVIRONMENT: 'emulator',
      SALESFORCE_LOGIN_URL: salesforce.url,
      SALESFORCE_CLIENT_ID: 'emulator-client',
      SALESFORCE_CLIENT_SECRET: 'emulator-secret',
      PARTNER_CENTER_API_URL: partnerCenter.url,
      PARTNER_CENTER_WEBHOOK_API_URL: partnerCenter.url,
      PARTNER_CENTER_TOKEN_URL: `${partnerCenter.url}/<tenant>/oauth2/token`,
      PARTNER_CENTER_TENANT_ID: 'runtime-tenant',
      PARTNER_CENTER_CLIENT_ID: 'emulator-client',
      PARTNER_CENTER_CLIENT_SECRET: 'emulator-secret',
      PARTNER_CENTER_USERNAME: 'admin@partner.example',
      PARTNER_CENTER_PASSWORD: 'emulator-password',
      BRIDGE_PORT: String(port),
      BRIDGE_PUBLIC_URL: `http://127.0.0.1:${port}`,
      BRIDGE_DATABASE_URL: `sqlite:${join(dir, 'bridge.sqlite')}`,
      BRIDGE_COALESCE_WINDOW_MS: '0',
    });
    await createWebhookAdmin(config, silent).register(webhookUrl(config));
    bridge = createBridge({ config, logger: silent, engine: { pollIntervalMs: 50 } });
    await bridge.start();
  }, 60_000);

  afterAll(async () => {
    await bridge?.stop();
    await salesforce?.stop();
    await partnerCenter?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the HTTP contract: /healthz, /readyz with named checks, /metrics with the R1 budget', async () => {
    const base = config.bridge.publicUrl!;
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { checks: { name: string; ok: boolean }[] };
    expect(body.checks.map((c) => c.name)).toEqual([
      'salesforce-api',
      'salesforce-stream',
      'partner-center',
      'sync-engine',
      'store',
      'replay-cursor',
      'partner-center-budget',
    ]);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^cosell_partner_center_budget_limit 10000$/m);
    expect(metrics).toContain('cosell_queue_depth{queue="inbound"}');
  });

  it('rejects a webhook whose signature does not verify (401) and stores nothing', async () => {
    const before = await bridge.runtime.store.queueDepths();
    const response = await fetch(`${config.bridge.publicUrl}/webhooks/partner-center`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Signature ${Buffer.from('forged').toString('base64')}`,
        'x-ms-certificate-url': `${partnerCenter.url}/cert/pcnotifications-dispatch.microsoft.com.cer`,
        'x-ms-signature-algorithm': 'rsa-sha256',
      },
      body: JSON.stringify({
        EventName: 'referral-created',
        ResourceUri: `${partnerCenter.url}/engagements/v1/referrals/forged-1`,
        ResourceName: 'referral',
        AuditUri: null,
        ResourceChangeUtcDate: '2026-11-30T08:00:00.0000000+00:00',
      }),
    });
    expect(response.status).toBe(401);
    expect((await bridge.runtime.store.queueDepths()).inboxPending).toBe(before.inboxPending);
  });

  it('R18: a signed webhook for a Microsoft-created referral flows through intake, engine and write-back', async () => {
    const [solutionRecord] = (
      (await control(salesforce.url, 'POST', '/records', {
        sobject: 'Microsoft_Solution__c',
        records: [
          { Name: 'Azure Migration', Solution_Id__c: 'SOL-EMU-0001-AZR', Is_Active__c: true },
        ],
      })) as { ids: string[] }
    ).ids;
    expect(solutionRecord).toBeDefined();
    const referral = await control(partnerCenter.url, 'POST', '/microsoft/referrals', {
      name: 'Tailspin Toys – data estate',
      qualification: 'SalesQualified',
      customerProfile: {
        name: 'Tailspin Toys Oy',
        address: {
          addressLine1: 'Mannerheimintie 1',
          city: 'Helsinki',
          postalCode: '00100',
          country: 'FI',
        },
        team: [
          {
            firstName: 'Aino',
            lastName: 'Virtanen',
            email: 'aino@tailspin.example',
            phoneNumber: '+358 9 000',
          },
        ],
      },
      consent: {
        consentToShareInfoWithOthers: true,
        consentToContact: true,
        consentToMicrosoftToContactSpecificPartners: true,
        consentToShareReferralWithMicrosoftSellers: true,
      },
      details: {
        dealValue: 64_000,
        currency: 'USD',
        closingDateTime: '2030-01-31T00:00:00Z',
        requirements: { solutions: [{ id: 'SOL-EMU-0001-AZR' }] },
      },
    });
    const referralId = String(referral.id);
    inboundReferralId = referralId;
    const crmId = await waitFor('the CRM ID written back to the referral', async () => {
      const all = (await control(partnerCenter.url, 'GET', '/referrals')) as {
        value: { id: string; externalReferenceId?: string }[];
      };
      return all.value.find((r) => r.id === referralId)?.externalReferenceId || undefined;
    });
    const link = await bridge.runtime.store.getLinkByReferral(referralId);
    expect(link?.opportunityId).toBe(crmId);
  }, 30_000);

  it('a running bridge records its heartbeat (cosell status) and times every API call on /metrics', async () => {
    const [beat] = await bridge.runtime.store.heartbeats();
    expect(beat).toMatchObject({ pid: process.pid });
    expect(Date.now() - Date.parse(beat!.beatAt)).toBeLessThan(30_000);

    // The R18 sync above talked to both sides: each call is counted and its latency observed.
    const metrics = await (await fetch(`${config.bridge.publicUrl}/metrics`)).text();
    const total = (pattern: RegExp) =>
      [...metrics.matchAll(pattern)].reduce((sum, m) => sum + Number(m[1]), 0);
    for (const api of ['salesforce', 'partner-center']) {
      const timed = total(
        new RegExp(
          `^cosell_api_call_duration_seconds_count\\{[^}]*api="${api}"[^}]*\\} (\\d+)$`,
          'gm',
        ),
      );
      const counted = total(
        new RegExp(`^cosell_api_calls_total\\{[^}]*api="${api}"[^}]*\\} (\\d+)$`, 'gm'),
      );
      expect({ api, timed: timed > 0, sameAsCounted: timed === counted }).toEqual({
        api,
        timed: true,
        sameAsCounted: true,
      });
    }
    expect(metrics).toMatch(
      /^cosell_api_calls_total\{api="partner-center",operation="referrals\.[a-z]+",outcome="success"\} \d+$/m,
    );
  });

  it('stops gracefully: intake closes, audits are flushed to Salesforce, the store is closed; stop() twice is safe', async () => {
    await bridge.stop();
    await bridge.stop();
    await expect(fetch(`${config.bridge.publicUrl}/healthz`)).rejects.toThrow();
    // A second process can open the file: nothing is left in the audit outbox or leased.
    const store = openStore(config.bridge.databaseUrl);
    try {
      const depths = await store.queueDepths();
      expect(depths.auditPending).toBe(0);
      expect(depths.inboxPending).toBe(0);
      expect(await store.listFailures()).toEqual([]);
      // A graceful stop removes its heartbeat: `cosell status` says "not running" at once.
      expect(await store.heartbeats()).toEqual([]);
    } finally {
      await store.close();
    }
    // The audit of the inbound sync reached Salesforce (R10) before stop() resolved.
    const events = await bridge.runtime.salesforce.connection.query<{
      Direction__c: string;
      Outcome__c: string;
    }>(
      `SELECT Direction__c, Outcome__c FROM Co_Sell_Sync_Event__c WHERE Referral_Id__c = '${inboundReferralId}'`,
    );
    expect(events.records).toContainEqual(
      expect.objectContaining({ Direction__c: 'Inbound', Outcome__c: 'Success' }),
    );
  }, 30_000);
});
