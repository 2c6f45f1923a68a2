import { X509Certificate, verify } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  REFERRALS_RESOURCE,
  startPartnerCenterEmulator,
  WEBHOOK_RESOURCE,
  type PartnerCenterEmulatorOptions,
  type RunningPartnerCenterEmulator,
} from '../src';
// Test support only (plain data, polling, per-file lifecycle): shared with the bridge's tests
// without either package importing the other.
import { documentedReferralSample } from '../../../test/support/referral-samples';
import { waitFor as waitForCondition } from '../../../test/support/wait-for';
import { forTestFile } from '../../../test/support/for-test-file';

export const USER = { username: 'admin@partner.example', password: 'emulator-password' };
export const CLIENT = { client_id: 'emulator-client', client_secret: 'emulator-secret' };

export type Json = Record<string, unknown>;

/** A started emulator plus small HTTP helpers that speak to it the way a docs-only client would. */
export interface Harness {
  emulator: RunningPartnerCenterEmulator;
  url: string;
  form(path: string, fields: Record<string, string>): Promise<Response>;
  userToken(resource?: string): Promise<string>;
  appToken(resource?: string): Promise<string>;
  api(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<Response>;
  control(method: string, path: string, body?: unknown): Promise<Response>;
  stop(): Promise<void>;
}

export async function startHarness(options: PartnerCenterEmulatorOptions = {}): Promise<Harness> {
  const emulator = await startPartnerCenterEmulator(options);
  const url = emulator.url;
  const form = (path: string, fields: Record<string, string>) =>
    fetch(url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  const harness: Harness = {
    emulator,
    url,
    form,
    async userToken(resource = REFERRALS_RESOURCE) {
      const res = await form('/common/oauth2/token', {
        resource,
        grant_type: 'password',
        scope: 'openid',
        ...CLIENT,
        ...USER,
      });
      if (res.status !== 200)
        throw new Error(`token request failed: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { access_token: string }).access_token;
    },
    async appToken(resource = WEBHOOK_RESOURCE) {
      const res = await form('/common/oauth2/v2.0/token', {
        grant_type: 'client_credentials',
        scope: `${resource}/.default`,
        ...CLIENT,
      });
      if (res.status !== 200)
        throw new Error(`token request failed: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { access_token: string }).access_token;
    },
    api(method, path, { token, body, headers } = {}) {
      return fetch(url + path, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    },
    control(method, path, body) {
      return fetch(`${url}/__emulator${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    },
    stop: () => emulator.stop(),
  };
  return harness;
}

/**
 * The emulator a test file shares (test/support's forTestFile): started before its first test,
 * reset (`POST /__emulator/reset`) before each test so every test starts from an empty emulator,
 * stopped after the last. Call it once in the `describe` body.
 */
export function harnessForFile(options: PartnerCenterEmulatorOptions = {}): Harness {
  return forTestFile(() => startHarness(options), {
    stop: (harness) => harness.stop(),
    resetBeforeEach: (harness) => harness.control('POST', '/reset', {}),
  });
}

/**
 * A referral body that passes create-a-referral validation: Microsoft's documented Private deal,
 * with a unique CRM id, no solutions and a closing date in the future.
 */
export function referralBody(overrides: Json = {}): Json {
  return {
    ...documentedReferralSample(),
    name: 'Contoso Test Deal',
    externalReferenceId: `006-${Math.random().toString(36).slice(2, 10)}`,
    details: {
      dealValue: 50000,
      currency: 'USD',
      closingDateTime: '2027-11-14T00:00:00Z',
      notes: 'first',
    },
    ...overrides,
  };
}

/**
 * test/support's deadline polling, with this suite's defaults: the emulator runs in-process, so
 * 5 s is generous and a 20 ms interval keeps the tests quick.
 */
export function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<T> {
  return waitForCondition(probe, { timeoutMs, intervalMs: 20, description: what });
}

export interface ReceivedEvent {
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  body: Json;
  signatureValid: boolean;
  certificateSubject: string;
}

/**
 * The partner's signature check from partner-center-webhooks: fetch the certificate named by
 * `x-ms-certificate-url`, check it is Microsoft's, verify the RSA-SHA256 signature of the raw bytes
 * with node:crypto.
 */
export async function verifyDelivery(
  headers: IncomingHttpHeaders,
  rawBody: Buffer,
): Promise<{ signatureValid: boolean; certificateSubject: string }> {
  const certificateUrl = String(headers['x-ms-certificate-url'] ?? '');
  const certificate = new X509Certificate(
    Buffer.from(await (await fetch(certificateUrl)).arrayBuffer()),
  );
  const authorization = String(headers.authorization ?? headers['x-ms-signature'] ?? '');
  const signature = Buffer.from(authorization.replace(/^Signature\s+/i, ''), 'base64');
  const signatureValid =
    headers['x-ms-signature-algorithm'] === 'rsa-sha256' &&
    /O=Microsoft Corporation/.test(certificate.subject) &&
    verify('sha256', rawBody, certificate.publicKey, signature);
  return { signatureValid, certificateSubject: certificate.subject };
}

/**
 * A webhook receiver as a partner would write it from partner-center-webhooks: read the raw
 * body, fetch the certificate named by `x-ms-certificate-url`, check it is Microsoft's, verify
 * the RSA-SHA256 signature of the raw bytes with node:crypto, only then parse.
 */
export class WebhookReceiver {
  readonly events: ReceivedEvent[] = [];
  /** Status to answer each request with, in order; 200 once exhausted. */
  readonly script: number[] = [];
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void this.receive(req.headers, Buffer.concat(chunks)).then(() => {
          res.statusCode = this.script.shift() ?? 200;
          res.end();
        });
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhooks/partner-center`;
    return this;
  }

  private async receive(headers: IncomingHttpHeaders, rawBody: Buffer): Promise<void> {
    this.events.push({
      headers,
      rawBody,
      body: JSON.parse(rawBody.toString('utf8')) as Json,
      ...(await verifyDelivery(headers, rawBody)),
    });
  }

  named(eventName: string): ReceivedEvent[] {
    return this.events.filter((e) => e.body.EventName === eventName);
  }

  /** The first delivery of `eventName`, waited for (within 5 s) if it has not arrived yet. */
  first(eventName: string): Promise<ReceivedEvent> {
    return waitFor(() => this.named(eventName)[0], 5_000, `a ${eventName} delivery`);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }
}
