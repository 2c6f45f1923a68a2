/**
 * Engine test world: both emulators on loopback ports, the real runtime (jsforce, the Partner
 * Center clients, SQLite in memory) wired from a real Config, and small helpers that act as a
 * seller (UI-like edits in Salesforce) or as Microsoft (control API of the Partner Center
 * emulator). Assertions read the emulators' stats and records; waits poll a condition with a
 * deadline, never a fixed sleep.
 */
import pino from 'pino';
import { startPartnerCenterEmulator } from '../../../../emulators/partner-center/src';
import { loadConfig } from '../../../src/config';
import { createMetrics, type BridgeMetrics } from '../../../src/metrics';
import {
  createAppTokenProvider,
  createWebhookRegistrationClient,
} from '../../../src/partner-center';
import { startReceiver } from '../../webhook/receiver';
import { openStore, type StateStore } from '../../../src/store';
import { createSyncRuntime, type SyncRuntime } from '../../../src/sync';
// Shares the salesforce/ tests' emulator start-up, including its documented workaround for the
// emulator hiding required custom fields (Solution_Id__c) from the integration user.
import { startEmulator as startSalesforceEmulator } from '../../salesforce/emulator-harness';
import type { SyncEngineOptions } from '../../../src/sync/engine';
import { forTestFile } from '../../../../test/support/for-test-file';
import { waitForValue } from '../../../../test/support/wait-for';

export const SOLUTION = { id: 'SOL-EMU-0001-AZR', name: 'Emulated Azure Migration Solution' };
export const CLIENT_NAME = 'CoSellSync';

export interface WorldOptions {
  budget?: number;
  countryField?: string;
  engine?: Partial<SyncEngineOptions>;
  withChangeStream?: boolean;
  /** Reuse a store (restart tests). */
  store?: StateStore;
  /** Reuse running emulators (restart tests). */
  reuse?: World;
  /** The bridge's clock (budget day, retries); defaults to real time. */
  now?: () => Date;
  /** The runtime's logger (default: silent, or SYNC_TEST_LOG's level). */
  logger?: pino.Logger;
}

type Json = Record<string, unknown>;

async function json(response: Response, what: string): Promise<Json> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${what} failed: ${response.status} ${text}`);
  return text ? (JSON.parse(text) as Json) : {};
}

export interface World {
  sfUrl: string;
  pcUrl: string;
  runtime: SyncRuntime;
  store: StateStore;
  metrics: BridgeMetrics;
  /** Seed records as a seller in the UI: no client id, so CDC treats them as user edits. */
  /** UI-like inserts as the seeded seller, or as `as` (a username). */
  seed(sobject: string, records: Json[], as?: string): Promise<string[]>;
  /** A UI-like edit of one record. */
  edit(id: string, fields: Json): Promise<void>;
  /** Read a record through jsforce (the bridge's own connection). */
  read(sobject: string, id: string): Promise<Json>;
  query(soql: string): Promise<Json[]>;
  /** An opportunity ready to sync: account (country), contact, solution row, sync on. */
  readyOpportunity(
    overrides?: Json,
  ): Promise<{ opportunityId: string; accountId: string; contactId: string }>;
  /** The partner's co-sell solution as an admin imports it (Microsoft_Solution__c). */
  ensureSolution(): Promise<string>;
  /** Referrals API calls recorded by the Partner Center emulator (create/get/list/patch). */
  referralCalls(): Promise<number>;
  pcStats(): Promise<Record<string, number>>;
  pcReferrals(): Promise<Json[]>;
  pcControl(method: string, path: string, body?: unknown): Promise<Json>;
  sfControl(method: string, path: string, body?: unknown): Promise<Json>;
  /** Stops the runtime (and, unless reused, the emulators). */
  close(): Promise<void>;
  stopEmulators(): Promise<void>;
}

/**
 * The world a test file shares (test/support's forTestFile): started before its first test,
 * closed after its last. Call it in the `describe` body.
 */
export function worldForFile(options: WorldOptions = {}): World {
  return forTestFile(() => startWorld(options), { stop: (world) => world.close() });
}

/**
 * The inbound suites' world, shared by a test file: the world with the partner's solution and
 * the bridge's real webhook receiver registered with the Partner Center emulator; with
 * `startEngine` the engine's loops run too. `world` gives the options when it starts (a suite
 * that wraps the store builds it in its own earlier beforeAll). Stopped in reverse order.
 */
export function inboundWorldForFile(
  options: { world?: () => WorldOptions; startEngine?: boolean } = {},
): World {
  let receiver: WebhookReceiver | undefined;
  return forTestFile(
    async () => {
      const world = await startWorld(options.world?.() ?? {});
      await world.ensureSolution();
      receiver = await startWebhookReceiver(world);
      if (options.startEngine) await world.runtime.engine.start();
      return world;
    },
    {
      stop: async (world) => {
        if (options.startEngine) await world.runtime.engine.stop();
        await receiver?.close();
        await world.close();
      },
    },
  );
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const reused = options.reuse;
  const sf = reused ? undefined : await startSalesforceEmulator({ corporateCurrency: 'USD' });
  const pc = reused ? undefined : await startPartnerCenterEmulator({ port: 0 });
  const sfUrl = reused?.sfUrl ?? sf!.url;
  const pcUrl = reused?.pcUrl ?? pc!.url;
  const config = loadConfig({
    BRIDGE_ENVIRONMENT: 'emulator',
    SALESFORCE_LOGIN_URL: sfUrl,
    SALESFORCE_CLIENT_ID: 'emulator-client',
    SALESFORCE_CLIENT_SECRET: 'emulator-secret',
    PARTNER_CENTER_API_URL: pcUrl,
    PARTNER_CENTER_WEBHOOK_API_URL: pcUrl,
    PARTNER_CENTER_TOKEN_URL: `${pcUrl}/<tenant>/oauth2/token`,
    PARTNER_CENTER_TENANT_ID: 'emulated-tenant',
    PARTNER_CENTER_CLIENT_ID: 'emulator-client',
    PARTNER_CENTER_CLIENT_SECRET: 'emulator-secret',
    PARTNER_CENTER_USERNAME: 'admin@partner.example',
    PARTNER_CENTER_PASSWORD: 'emulator-password',
    PARTNER_CENTER_DAILY_CALL_BUDGET: String(options.budget ?? 10_000),
    BRIDGE_DATABASE_URL: 'sqlite::memory:',
    BRIDGE_SALESFORCE_CLIENT_NAME: CLIENT_NAME,
    BRIDGE_COALESCE_WINDOW_MS: '0',
    ...(options.countryField ? { BRIDGE_COUNTRY_FIELD: options.countryField } : {}),
  });
  const store =
    options.store ?? openStore('sqlite::memory:', options.now ? { now: options.now } : {});
  const metrics = createMetrics();
  const runtime = createSyncRuntime({
    config,
    metrics,
    logger: options.logger ?? pino({ level: process.env.SYNC_TEST_LOG ?? 'silent' }),
    store,
    withoutChangeStream: !options.withChangeStream,
    ...(options.now ? { now: options.now } : {}),
    engine: { pollIntervalMs: 50, coalesceWindowMs: 0, ...options.engine },
  });
  await runtime.salesforce.authorize();
  const conn = runtime.salesforce.connection;

  const sfControl = async (method: string, path: string, body?: unknown) =>
    json(
      await fetch(`${sfUrl}/__emulator${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
      `Salesforce emulator ${method} ${path}`,
    );
  const pcControl = async (method: string, path: string, body?: unknown) =>
    json(
      await fetch(`${pcUrl}/__emulator${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
      `Partner Center emulator ${method} ${path}`,
    );

  let solutionRecordId: string | undefined;
  const world: World = {
    sfUrl,
    pcUrl,
    runtime,
    store,
    metrics,
    async seed(sobject, records, as) {
      const result = await sfControl('POST', '/records', {
        sobject,
        records,
        ...(as ? { as } : {}),
      });
      return result.ids as string[];
    },
    async edit(id, fields) {
      await sfControl('PATCH', `/records/${id}`, { fields });
    },
    async read(sobject, id) {
      return (await conn.sobject(sobject).retrieve(id)) as unknown as Json;
    },
    async query(soql) {
      return (await conn.query<Json>(soql)).records;
    },
    async readyOpportunity(overrides = {}) {
      const [accountId] = await world.seed('Account', [
        {
          Name: `Contoso ${Math.random().toString(36).slice(2, 8)}`,
          BillingCountry: 'SE',
          BillingCity: 'Stockholm',
        },
      ]);
      const [contactId] = await world.seed('Contact', [
        {
          AccountId: accountId,
          FirstName: 'Ada',
          LastName: 'Lind',
          Email: 'ada.lind@contoso.example',
        },
      ]);
      const solutionId = await world.ensureSolution();
      const [opportunityId] = await world.seed('Opportunity', [
        {
          Name: 'Contoso cloud migration',
          AccountId: accountId,
          StageName: 'Prospecting',
          CloseDate: '2030-06-30',
          Amount: 50_000,
          Referral_Currency__c: 'USD',
          Description: 'Move the data centre to Azure',
          ...overrides,
          Sync_with_Partner_Center__c: false,
        },
      ]);
      await world.seed('Co_Sell_Solution__c', [
        { Opportunity__c: opportunityId, Microsoft_Solution__c: solutionId },
      ]);
      if (overrides.Sync_with_Partner_Center__c !== false) {
        await world.edit(opportunityId!, { Sync_with_Partner_Center__c: true });
      }
      return { opportunityId: opportunityId!, accountId: accountId!, contactId: contactId! };
    },
    async ensureSolution() {
      solutionRecordId ??= (
        await world.seed('Microsoft_Solution__c', [
          { Name: SOLUTION.name, Solution_Id__c: SOLUTION.id, Is_Active__c: true },
        ])
      )[0];
      return solutionRecordId!;
    },
    async pcStats() {
      const stats = (await pcControl('GET', '/stats')) as { requests?: Record<string, number> };
      return stats.requests ?? {};
    },
    async referralCalls() {
      const requests = await world.pcStats();
      return Object.entries(requests)
        .filter(([route]) => route.includes('/v1.0/engagements/referrals'))
        .reduce((sum, [, n]) => sum + n, 0);
    },
    async pcReferrals() {
      return ((await pcControl('GET', '/referrals')) as { value: Json[] }).value;
    },
    pcControl,
    sfControl,
    async close() {
      // Restart tests swap `world.runtime` for the new one: stop whichever is current (and the
      // original, if it is a different object), so no live subscriber outlives the test.
      if (world.runtime !== runtime) await world.runtime.stop();
      await runtime.stop();
      if (!reused) await world.stopEmulators();
    },
    async stopEmulators() {
      // Answer every held CometD long poll before the sockets close: faye retries a request
      // that failed with its server gone every 5 s, forever, which keeps the test process alive.
      if (sf) await sfControl('POST', '/cometd/drop-clients').catch(() => undefined);
      await sf?.stop();
      await pc?.stop();
    },
  };
  return world;
}

/** test/support's deadline polling, accepting the first truthy value `check` returns. */
export async function waitFor<T>(
  check: () => Promise<T> | T,
  description: string,
  timeoutMs = 10_000,
): Promise<NonNullable<T>> {
  const value = await waitForValue(check, (v) => Boolean(v), {
    description,
    timeoutMs,
    intervalMs: 25,
  });
  return value as NonNullable<T>;
}

/**
 * The bridge's real webhook receiver (verifier + express adapter) on a loopback port, wired to
 * `engine.onWebhook`, and registered with the Partner Center emulator for the referral events.
 */
export interface WebhookReceiver {
  url: string;
  close(): Promise<void>;
}

export async function startWebhookReceiver(world: World): Promise<WebhookReceiver> {
  const receiver = await startReceiver({ allowedCertificateHosts: [new URL(world.pcUrl).host] });
  receiver.onEvent = async (event, rawBody) => {
    await world.runtime.engine.onWebhook(event, rawBody);
  };
  const registration = createWebhookRegistrationClient({
    baseUrl: world.pcUrl,
    tokens: createAppTokenProvider({
      tokenUrl: `${world.pcUrl}/<tenant>/oauth2/v2.0/token`,
      tenantId: 'emulated-tenant',
      clientId: 'emulator-client',
      clientSecret: 'emulator-secret',
      scope: 'https://api.partnercenter.microsoft.com/.default',
    }),
    logger: pino({ level: 'silent' }),
  });
  await registration.register(receiver.webhookUrl);
  return { url: receiver.webhookUrl, close: () => receiver.stop() };
}

/** A referral document as Microsoft (or another partner) would create it for us. */
export function microsoftReferral(overrides: Json = {}): Json {
  return {
    name: 'Northwind expansion (from Microsoft)',
    qualification: 'SalesQualified',
    type: 'Shared',
    customerProfile: {
      name: `Northwind ${Math.random().toString(36).slice(2, 8)}`,
      address: { addressLine1: '1 Harbour St', city: 'Oslo', postalCode: '0150', country: 'NO' },
      size: '10to50employees',
      team: [
        {
          firstName: 'Nora',
          lastName: 'Nord',
          email: 'nora@northwind.example',
          phoneNumber: '+4712345678',
        },
      ],
    },
    consent: {
      consentToToShareInfoWithOthers: true,
      consentToContact: true,
      consentToMicrosoftToContactSpecificPartners: true,
      consentToShareReferralWithMicrosoftSellers: true,
    },
    details: {
      dealValue: 120_000,
      currency: 'USD',
      closingDateTime: '2030-09-30T00:00:00Z',
      notes: 'Customer asked Microsoft for a migration partner',
      requirements: { solutions: [{ id: SOLUTION.id, name: SOLUTION.name, type: 'Name' }] },
    },
    target: [],
    ...overrides,
  };
}
