import express from 'express';
import { createControlPlane, listen, type RunningServer } from '../src';

describe('emulator control plane', () => {
  let server: RunningServer;
  let resets = 0;
  let expired = 0;

  beforeAll(async () => {
    const app = express();
    const plane = createControlPlane({
      routeKey: (req) => `${req.method} ${req.path.replace(/\/\d+$/, '/{id}')}`,
      onReset: () => {
        resets += 1;
      },
      onExpireTokens: () => {
        expired += 1;
      },
    });
    app.use(plane.gate);
    app.use('/__emulator', plane.router);
    app.get('/things/:id', (req, res) => {
      res.json({ id: req.params.id });
    });
    server = await listen(app, 0);
  });

  afterAll(() => server.stop());

  const call = (path: string, init?: RequestInit) => fetch(server.url + path, init);
  const post = (path: string, body: unknown) =>
    call(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeEach(async () => {
    await post('/__emulator/reset', {});
  });

  it('counts requests per normalised route and leaves control requests out', async () => {
    await call('/things/1');
    await call('/things/2');
    const stats = await (await call('/__emulator/stats')).json();
    expect(stats).toEqual({ requests: { 'GET /things/{id}': 2 }, total: 2 });
  });

  it('answers matching requests with the configured response the configured number of times', async () => {
    const added = await post('/__emulator/faults', {
      match: { method: 'GET', path: '/things' },
      respond: { status: 429, headers: { 'Retry-After': '1' }, body: { error: 'slow down' } },
      times: 2,
    });
    expect(added.status).toBe(201);
    const first = await call('/things/1');
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('1');
    expect(await first.json()).toEqual({ error: 'slow down' });
    expect((await call('/things/1')).status).toBe(429);
    expect((await call('/things/1')).status).toBe(200);
  });

  it('delays requests by latencyMs', async () => {
    await post('/__emulator/faults', { latencyMs: 150, times: 1 });
    const started = performance.now();
    expect((await call('/things/1')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('drops the connection when asked, as a network failure', async () => {
    await post('/__emulator/faults', {
      match: { path: '/things' },
      dropConnection: true,
      times: 1,
    });
    await expect(call('/things/1')).rejects.toThrow();
    expect((await call('/things/1')).status).toBe(200);
  });

  it('runs expireTokens as an immediate action, without leaving a rule behind', async () => {
    const res = await post('/__emulator/faults', { expireTokens: true });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { rules: unknown[] }).rules).toEqual([]);
    expect(expired).toBeGreaterThan(0);
  });

  it('rejects a malformed rule with 400 and the reason', async () => {
    const res = await post('/__emulator/faults', { respond: { status: 'teapot' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('invalid fault rule');
  });

  it('clears faults with DELETE and resets through the emulator hook', async () => {
    await post('/__emulator/faults', { respond: { status: 500 } });
    expect((await call('/__emulator/faults', { method: 'DELETE' })).status).toBe(204);
    expect((await call('/things/1')).status).toBe(200);
    const before = resets;
    await post('/__emulator/reset', {});
    expect(resets).toBe(before + 1);
  });
});
