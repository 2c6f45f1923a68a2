/**
 * BRIDGE_HOST decides which interfaces hear the bridge (so /metrics need not be open to the
 * network), the log names the real address, and a taken port is one line naming BRIDGE_PORT.
 */
import express from 'express';
import { once } from 'node:events';
import { connect } from 'node:net';
import pino from 'pino';
import request from 'supertest';
import { ConfigError } from '../../src/errors';
import { createApp, listenHttp, type HttpServer } from '../../src/server';
import { HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS } from '../../src/server/listen';

function app(metricsToken?: string) {
  // Reads the whole body, as the real webhook route does before it verifies anything.
  const webhookRouter = express.Router();
  webhookRouter.post('/webhooks/partner-center', express.raw({ type: () => true }), (_req, res) => {
    res.sendStatus(200);
  });
  return createApp({
    webhookRouter,
    metrics: { contentType: 'text/plain; version=0.0.4', text: async () => 'cosell_up 1\n' },
    ...(metricsToken ? { metricsToken } : {}),
    readiness: async () => [],
    logger: pino({ level: 'silent' }),
  });
}

/** Status of GET /healthz through another loopback address (all of 127/8 reaches `lo`), or the error code. */
async function viaOtherLoopback(port: number): Promise<number | string> {
  try {
    return (await fetch(`http://127.0.0.2:${port}/healthz`)).status;
  } catch (error) {
    return String((error as { cause?: { code?: string } }).cause?.code ?? error);
  }
}

describe('bridge HTTP server binding (BRIDGE_HOST)', () => {
  const open: HttpServer[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((server) => server.close(0)));
  });

  it('127.0.0.1 listens on loopback only and says so; the default 0.0.0.0 says "every IPv4 interface"', async () => {
    const local = await listenHttp(app(), 0, '127.0.0.1');
    open.push(local);
    expect(local.address).toBe(`127.0.0.1:${local.port}`);
    expect((await fetch(`${local.url}/healthz`)).status).toBe(200);
    expect(await viaOtherLoopback(local.port)).toBe('ECONNREFUSED');

    const everywhere = await listenHttp(app(), 0);
    open.push(everywhere);
    expect(everywhere.address).toBe(`0.0.0.0:${everywhere.port} (every IPv4 interface)`);
    expect(everywhere.url).toBe(`http://127.0.0.1:${everywhere.port}`);
    expect(await viaOtherLoopback(everywhere.port)).toBe(200);
  });

  it('a port in use is a ConfigError naming BRIDGE_PORT with the fix, not "unexpected error: EADDRINUSE"', async () => {
    const first = await listenHttp(app(), 0, '127.0.0.1');
    open.push(first);
    const second = listenHttp(app(), first.port, '127.0.0.1');
    await expect(second).rejects.toThrow(ConfigError);
    await expect(second).rejects.toThrow(
      `BRIDGE_PORT ${first.port} is already in use on 127.0.0.1 (another bridge or program listens there): stop it, or set BRIDGE_PORT to a free port`,
    );
  });

  it('an address this machine does not have names BRIDGE_HOST', async () => {
    // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never assigned to a real interface.
    await expect(listenHttp(app(), 0, '192.0.2.1')).rejects.toMatchObject({
      variable: 'BRIDGE_HOST',
    });
  });

  it('BRIDGE_METRICS_TOKEN keeps /metrics private: 401 without the bearer token, 200 with it', async () => {
    const token = 'metrics-token-0123456789';
    const guarded = app(token);
    const anonymous = await request(guarded).get('/metrics');
    expect(anonymous.status).toBe(401);
    expect(anonymous.text).not.toContain('cosell_up');
    expect(
      (await request(guarded).get('/metrics').set('Authorization', 'Bearer wrong')).status,
    ).toBe(401);
    const allowed = await request(guarded).get('/metrics').set('Authorization', `Bearer ${token}`);
    expect(allowed.status).toBe(200);
    expect(allowed.text).toContain('cosell_up 1');
    // Health stays open: orchestrators probe it without credentials.
    expect((await request(guarded).get('/healthz')).status).toBe(200);
  });

  it('a request still incomplete after the request timeout is answered 408 and its connection closed (slowloris)', async () => {
    const server = await listenHttp(app(), 0, '127.0.0.1', {
      headersTimeoutMs: 500,
      requestTimeoutMs: 1_000,
    });
    open.push(server);
    const socket = connect(server.port, '127.0.0.1');
    await once(socket, 'connect');
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    // A webhook delivery that promises 60,000 bytes and sends ten: the rest never comes.
    socket.write(
      'POST /webhooks/partner-center HTTP/1.1\r\nHost: bridge\r\n' +
        'Content-Type: application/json\r\nContent-Length: 60000\r\n\r\n{"EventNam',
    );
    const started = Date.now();
    // Node's own default would keep it open for 300 s; the wait for the close is bounded by the test.
    await once(socket, 'close');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('the production timeouts are short enough for a slow client and long enough for a delivery', () => {
    expect(HEADERS_TIMEOUT_MS).toBeLessThanOrEqual(REQUEST_TIMEOUT_MS);
    expect(REQUEST_TIMEOUT_MS).toBeLessThanOrEqual(30_000);
  });
});
