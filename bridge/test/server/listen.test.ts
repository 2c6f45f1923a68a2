/**
 * BRIDGE_HOST decides which interfaces hear the bridge (so /metrics need not be open to the
 * network), the log names the real address, and a taken port is one line naming BRIDGE_PORT.
 */
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { ConfigError } from '../../src/errors';
import { createApp, listenHttp, type HttpServer } from '../../src/server';

function app(metricsToken?: string) {
  return createApp({
    webhookRouter: express.Router(),
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
});
