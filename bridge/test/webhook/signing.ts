/**
 * Test support for webhook verification: certificates generated in the test (selfsigned), RSA-SHA256
 * signatures made the way Partner Center documents them, and a plain static file host that serves
 * the certificate and records every request it receives (to prove what was and was not fetched).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sign } from 'node:crypto';
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { generate } from 'selfsigned';
import { forTestFile } from '../../../test/support/for-test-file';

const DAY = 24 * 60 * 60_000;

export interface TestCertificate {
  certPem: string;
  privateKeyPem: string;
}

export async function makeCertificate(
  options: { organisation?: string; notBefore?: Date; notAfter?: Date } = {},
): Promise<TestCertificate> {
  const now = Date.now();
  const pems = await generate(
    [
      { name: 'commonName', value: 'pcnotifications-dispatch.microsoft.com' },
      { name: 'organizationName', value: options.organisation ?? 'Microsoft Corporation' },
    ],
    {
      algorithm: 'sha256',
      keySize: 2048,
      notBeforeDate: options.notBefore ?? new Date(now - DAY),
      notAfterDate: options.notAfter ?? new Date(now + 30 * DAY),
    },
  );
  return { certPem: pems.cert, privateKeyPem: pems.private };
}

export function signBody(body: Buffer | string, privateKeyPem: string): string {
  return sign('sha256', Buffer.from(body), privateKeyPem).toString('base64');
}

export function referralEvent(overrides: Record<string, unknown> = {}): Buffer {
  return Buffer.from(
    JSON.stringify({
      EventName: 'referral-updated',
      ResourceUri:
        'https://api.partnercenter.microsoft.com/engagements/v1/referrals/8f3c2b1a-0d5e-4c6f-9a7b-1e2d3c4b5a69',
      ResourceName: 'referral',
      AuditUri: null,
      ResourceChangeUtcDate: '2026-11-30T08:05:39.5485487+00:00',
      ...overrides,
    }),
  );
}

export function signedHeaders(
  body: Buffer,
  certificateUrl: string,
  privateKeyPem: string,
): Record<string, string> {
  return {
    'content-type': 'application/json; charset=utf-8',
    authorization: `Signature ${signBody(body, privateKeyPem)}`,
    'x-ms-certificate-url': certificateUrl,
    'x-ms-signature-algorithm': 'rsa-sha256',
  };
}

export interface FileHost {
  url: string;
  host: string;
  /** Every path requested, in order. */
  requests: string[];
  serve(path: string, body: string | Buffer, status?: number): string;
  stop(): Promise<void>;
}

/** A static file host on a loopback address (127.0.0.2 for a "different host"). */
export async function startFileHost(address = '127.0.0.1'): Promise<FileHost> {
  const files = new Map<string, { body: string | Buffer; status: number }>();
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const file = files.get(req.url ?? '');
    res.statusCode = file?.status ?? 404;
    res.end(file?.body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://${address}:${port}`;
  return {
    url,
    host: `${address}:${port}`,
    requests,
    serve(path, body, status = 200) {
      files.set(path, { body, status });
      return `${url}${path}`;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A pino logger whose JSON lines are kept for assertions. */
export function captureLogger(): {
  logger: Logger;
  lines: () => Array<Record<string, unknown>>;
  text: () => string;
} {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = pino({ level: 'debug' }, stream);
  const text = () => chunks.join('');
  return {
    logger,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** Microsoft's signing certificate (made here) served from a loopback file host at `certUrl`. */
export interface MicrosoftSigning {
  microsoft: TestCertificate;
  host: FileHost;
  /** What a delivery names in x-ms-certificate-url. */
  certUrl: string;
}

/**
 * The signing set-up a webhook test file shares (test/support's forTestFile): certificate and
 * file host made before the first test, the host's request log cleared before each test, the
 * host stopped after the last.
 */
export function microsoftSigningForFile(
  options: { address?: string; path?: string } = {},
): MicrosoftSigning {
  return forTestFile(
    async () => {
      const microsoft = await makeCertificate();
      const host = await startFileHost(options.address);
      const certUrl = host.serve(options.path ?? '/cert/pc.cer', microsoft.certPem);
      return { microsoft, host, certUrl };
    },
    {
      stop: (signing) => signing.host.stop(),
      resetBeforeEach: async (signing) => signing.host.requests.splice(0),
    },
  );
}
