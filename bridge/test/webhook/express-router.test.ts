import express from 'express';
import pino from 'pino';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import {
  createWebhookRouter,
  createWebhookVerifier,
  WEBHOOK_ROUTE,
  type VerifiedWebhookEvent,
} from '../../src/webhook';
import {
  captureLogger,
  makeCertificate,
  referralEvent,
  signedHeaders,
  microsoftSigningForFile,
} from './signing';

describe('createWebhookRouter', () => {
  const signing = microsoftSigningForFile();

  function appWith(
    onEvent: (event: VerifiedWebhookEvent, rawBody: Buffer) => Promise<void>,
    logger = pino({ level: 'silent' }),
  ) {
    const verifier = createWebhookVerifier({
      allowedCertificateHosts: [signing.host.host],
      logger,
    });
    const app = express();
    app.use(createWebhookRouter({ verifier, onEvent, logger, maxBodyBytes: 1024 }));
    return app;
  }

  /** A real HTTP POST on an ephemeral port: the exact bytes reach the router. */
  async function post(app: express.Express, body: Buffer, headers: Record<string, string>) {
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}${WEBHOOK_ROUTE}`, {
        method: 'POST',
        headers,
        body,
      });
      return {
        status: res.status,
        headers: Object.fromEntries(res.headers),
        body: (await res.json()) as Record<string, unknown>,
      };
    } finally {
      server.closeAllConnections();
      server.close();
    }
  }

  it('R18: acknowledges a verified referral event only after onEvent has stored it', async () => {
    const stored: Array<{ event: VerifiedWebhookEvent; raw: string }> = [];
    const app = appWith(async (event, raw) => {
      stored.push({ event, raw: raw.toString() });
    });
    const body = referralEvent();
    const res = await post(
      app,
      body,
      signedHeaders(body, signing.certUrl, signing.microsoft.privateKeyPem),
    );
    expect(res.body).toEqual({ status: 'received' });
    expect(res.status).toBe(200);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.raw).toBe(body.toString());
    expect(stored[0]!.event.referralId).toBe('8f3c2b1a-0d5e-4c6f-9a7b-1e2d3c4b5a69');
  });

  it('answers 503 with Retry-After when the event could not be stored, so Partner Center retries', async () => {
    const { logger, text } = captureLogger();
    const app = appWith(async () => {
      throw new Error('database is locked');
    }, logger);
    const body = referralEvent();
    const res = await post(
      app,
      body,
      signedHeaders(body, signing.certUrl, signing.microsoft.privateKeyPem),
    );
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
    expect(text()).toContain('could not be stored');
  });

  it('R18: a replayed delivery is accepted again with the same deliveryKey (dedupe is the inbox’s job)', async () => {
    const keys: string[] = [];
    const app = appWith(async (event) => {
      keys.push(event.deliveryKey);
    });
    const body = referralEvent();
    const headers = signedHeaders(body, signing.certUrl, signing.microsoft.privateKeyPem);
    expect((await post(app, body, headers)).status).toBe(200);
    expect((await post(app, body, headers)).status).toBe(200);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
  });

  it('rejects a forged delivery with 401, logs why, and never calls onEvent', async () => {
    const forger = await makeCertificate();
    const onEvent = jest.fn(async () => undefined);
    const { logger, lines } = captureLogger();
    const app = appWith(onEvent, logger);
    const body = referralEvent();
    const headers = signedHeaders(body, signing.certUrl, forger.privateKeyPem);
    const res = await post(app, body, headers);
    expect(res.status).toBe(401);
    expect(onEvent).not.toHaveBeenCalled();
    const rejected = lines().find((l) => l.msg === 'webhook rejected');
    expect(rejected).toMatchObject({
      status: 401,
      reason: expect.stringMatching(/signature does not match/),
    });
    expect(JSON.stringify(lines())).not.toContain(headers.authorization!.slice(10));
  });

  it('answers 413 for a body over the limit without reading the rest', async () => {
    const onEvent = jest.fn(async () => undefined);
    const body = referralEvent({ AuditUri: 'x'.repeat(2048) });
    const res = await post(
      appWith(onEvent),
      body,
      signedHeaders(body, signing.certUrl, signing.microsoft.privateKeyPem),
    );
    expect(res.status).toBe(413);
    expect(onEvent).not.toHaveBeenCalled();
  });

  it('answers 415 for a body that is not JSON, 400 for signed garbage', async () => {
    const onEvent = jest.fn(async () => undefined);
    const app = appWith(onEvent);
    const body = referralEvent();
    const text = await post(app, body, {
      ...signedHeaders(body, signing.certUrl, signing.microsoft.privateKeyPem),
      'content-type': 'text/plain',
    });
    expect(text.status).toBe(415);
    const garbage = Buffer.from('[1,2,3]');
    const bad = await post(
      app,
      garbage,
      signedHeaders(garbage, signing.certUrl, signing.microsoft.privateKeyPem),
    );
    expect(bad.status).toBe(400);
    expect(onEvent).not.toHaveBeenCalled();
  });

  it('acknowledges an event it does not handle with 202 and a test event with 200, storing neither', async () => {
    const onEvent = jest.fn(async () => undefined);
    const app = appWith(onEvent);
    const other = referralEvent({ EventName: 'subscription-updated' });
    const ignored = await post(
      app,
      other,
      signedHeaders(other, signing.certUrl, signing.microsoft.privateKeyPem),
    );
    expect(ignored.status).toBe(202);
    expect(ignored.body.status).toBe('ignored');
    const test = referralEvent({ EventName: 'test-created' });
    expect(
      (await post(app, test, signedHeaders(test, signing.certUrl, signing.microsoft.privateKeyPem)))
        .status,
    ).toBe(200);
    expect(onEvent).not.toHaveBeenCalled();
  });
});
