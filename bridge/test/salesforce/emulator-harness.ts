import pino, { type Logger } from 'pino';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  startSalesforceEmulator,
  type RunningSalesforceEmulator,
} from '../../../emulators/salesforce/src';
import { createSalesforceConnection, type SalesforceConnection } from '../../src/salesforce';
import { waitForValue } from '../../../test/support/wait-for';
import { forTestFile } from '../../../test/support/for-test-file';

// jsforce and faye read proxy variables and ignore NO_PROXY; these tests talk to 127.0.0.1.
for (const name of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY'])
  delete process.env[name];

export const API_VERSION = '62.0';
export const CLIENT_NAME = 'cosell-bridge';
export const silentLogger: Logger = pino({ level: 'silent' });

export type Emulator = RunningSalesforceEmulator;

export function startEmulator(
  options: Parameters<typeof startSalesforceEmulator>[0] = {},
): Promise<Emulator> {
  // A short CometD hold keeps faye's long polls (and test shutdown) quick.
  return startSalesforceEmulator({ port: 0, cometdTimeoutMs: 1000, ...options });
}

/**
 * One emulator for the calling test file (call it in the `describe` body): started before the
 * file's first test, reset before each, stopped after the last.
 */
export function emulatorForFile(): Emulator {
  return forTestFile(() => startEmulator(), {
    stop: (emulator) => emulator.stop(),
    resetBeforeEach: (emulator) => control(emulator, 'POST', '/reset', {}),
  });
}

export interface ApiCall {
  operation: string;
  durationMs: number;
}

export async function connectBridge(
  emulator: { url: string },
  overrides: { clientSecret?: string; calls?: ApiCall[] } = {},
): Promise<SalesforceConnection> {
  const salesforce = createSalesforceConnection({
    loginUrl: emulator.url,
    apiVersion: API_VERSION,
    auth: {
      mode: 'client_credentials',
      clientId: DEFAULT_CLIENT_ID,
      clientSecret: overrides.clientSecret ?? DEFAULT_CLIENT_SECRET,
    },
    clientName: CLIENT_NAME,
    logger: silentLogger,
    onApiCall: (_side, operation, durationMs) => overrides.calls?.push({ operation, durationMs }),
  });
  await salesforce.authorize();
  return salesforce;
}

export async function control<T = unknown>(
  emulator: { url: string },
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${emulator.url}/__emulator${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status >= 400)
    throw new Error(`control ${method} ${path} → ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Request counts per route key, e.g. `GET /services/data/vXX.X/query`. */
export async function routeCount(emulator: { url: string }, key: string): Promise<number> {
  const stats = await control<{ requests: Record<string, number> }>(emulator, 'GET', '/stats');
  return stats.requests[key] ?? 0;
}

/** Records created as a person in the UI would (no client id in changeOrigin). */
export async function seed(
  emulator: { url: string },
  sobject: string,
  records: Record<string, unknown>[],
): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < records.length; start += 200) {
    const result = await control<{ ids: string[] }>(emulator, 'POST', '/records', {
      sobject,
      records: records.slice(start, start + 200),
    });
    ids.push(...result.ids);
  }
  return ids;
}

export async function editAsUser(
  emulator: { url: string },
  id: string,
  fields: Record<string, unknown>,
): Promise<void> {
  await control(emulator, 'PATCH', `/records/${id}`, { fields });
}

/** test/support's deadline polling, accepting the first value other than undefined or false. */
export function waitFor<T>(
  check: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 8000,
): Promise<T> {
  return waitForValue(check, (v) => v !== undefined && v !== false, {
    description: what,
    timeoutMs,
    intervalMs: 25,
  }) as Promise<T>;
}

/** An account with a valid ISO country and one co-sell solution, ready for co-sell opportunities. */
export async function seedCustomer(emulator: {
  url: string;
}): Promise<{ accountId: string; solutionId: string }> {
  const [accountId] = await seed(emulator, 'Account', [{ Name: 'Contoso', BillingCountry: 'SE' }]);
  const [solutionId] = await seed(emulator, 'Microsoft_Solution__c', [
    { Name: 'Contoso AI', Solution_Id__c: 'SOL-1', Is_Active__c: true },
  ]);
  return { accountId: accountId!, solutionId: solutionId! };
}
