import { createSign } from 'node:crypto';
import { resolve } from 'node:path';
import jsforce, { type Connection } from 'jsforce';
import {
  startSalesforceEmulator,
  type RunningSalesforceEmulator,
  type SalesforceEmulatorOptions,
} from '../src';
import { forTestFile } from '../../../test/support/for-test-file';
import { waitForValue } from '../../../test/support/wait-for';

// jsforce and faye read proxy variables and ignore NO_PROXY; tests talk to 127.0.0.1.
for (const name of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY'])
  delete process.env[name];

export const FIXTURE_FORCE_APP = resolve(__dirname, 'fixtures/force-app');
export const API_VERSION = '62.0';
export const CLIENT = 'CoSellSync';

export function startEmulator(options: SalesforceEmulatorOptions = {}) {
  return startSalesforceEmulator({ forceAppDir: FIXTURE_FORCE_APP, ...options });
}

/**
 * The emulator a test file shares (test/support's forTestFile): started before its first test,
 * reset before each, stopped after its last. Call it in the `describe` body.
 */
export function emulatorForFile(
  options: SalesforceEmulatorOptions = {},
): RunningSalesforceEmulator {
  return forTestFile(() => startEmulator(options), {
    stop: (emu) => emu.stop(),
    resetBeforeEach: (emu) => reset(emu),
  });
}

export function newConnection(emu: { url: string }, clientId = CLIENT): Connection {
  return new jsforce.Connection({
    oauth2: { clientId: 'emulator-client', clientSecret: 'emulator-secret', loginUrl: emu.url },
    version: API_VERSION,
    ...(clientId ? { callOptions: { client: clientId } } : {}),
  });
}

/** A connection authorised with client credentials as the integration user. */
export async function connect(emu: { url: string }, clientId = CLIENT): Promise<Connection> {
  const conn = newConnection(emu, clientId);
  await conn.authorize({ grant_type: 'client_credentials' });
  return conn;
}

/** Signs in as any seeded user with the JWT bearer flow (the emulator's generated key). */
export async function connectAs(
  emu: { url: string; jwtPrivateKeyPem(): string },
  username: string,
  clientId = CLIENT,
): Promise<Connection> {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const claims = {
    iss: 'emulator-client',
    sub: username,
    aud: 'https://login.salesforce.com',
    exp: Math.floor(Date.now() / 1000) + 60,
  };
  const unsigned = `${enc({ alg: 'RS256' })}.${enc(claims)}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(emu.jwtPrivateKeyPem());
  const conn = newConnection(emu, clientId);
  await conn.authorize({
    grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    assertion: `${unsigned}.${signature.toString('base64url')}`,
  });
  return conn;
}

/**
 * A raw REST request as `conn`'s user, below /services/data/v62.0, for what jsforce would hide
 * (status codes, headers, error bodies).
 */
export function restAs(emu: { url: string }, conn: () => Connection) {
  return (path: string, init: RequestInit = {}) =>
    fetch(`${emu.url}/services/data/v${API_VERSION}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${conn().accessToken}`,
        'content-type': 'application/json',
        ...init.headers,
      },
    });
}

export async function control(
  emu: { url: string },
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${emu.url}/__emulator${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export async function reset(emu: { url: string }): Promise<void> {
  await control(emu, 'POST', '/reset', {});
}

/** test/support's deadline polling, accepting the first value other than undefined. */
export function waitFor<T>(
  check: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  return waitForValue(check, (v) => v !== undefined, {
    description: what,
    timeoutMs,
    intervalMs: 20,
  }) as Promise<T>;
}

/** An account and an opportunity that pass the fixture's validation rules. */
export async function seedDeal(conn: Connection, name = 'Deal') {
  const account = await conn
    .sobject('Account')
    .create({ Name: `${name} Co`, BillingCountry: 'SE' });
  const opp = await conn.sobject('Opportunity').create({
    Name: name,
    StageName: 'Prospecting',
    CloseDate: '2030-06-30',
    AccountId: account.id,
    Amount: 5000,
  });
  return { accountId: account.id as string, opportunityId: opp.id as string };
}

export type { RunningSalesforceEmulator };
