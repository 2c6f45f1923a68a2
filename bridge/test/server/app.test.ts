import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { createApp, type ReadinessCheck } from '../../src/server';
import { captureLogger } from '../webhook/signing';

function appWith(
  checks: () => Promise<ReadinessCheck[]>,
  metricsText: () => Promise<string> = async () => 'cosell_up 1\n',
  logger = pino({ level: 'silent' }),
) {
  const webhookRouter = express.Router();
  webhookRouter.post('/webhooks/partner-center', (_req, res) => {
    res.status(202).json({ accepted: true });
  });
  return createApp({
    webhookRouter,
    metrics: { contentType: 'text/plain; version=0.0.4', text: metricsText },
    readiness: checks,
    logger,
  });
}

describe('bridge HTTP surface', () => {
  it('answers liveness without consulting dependencies', async () => {
    const app = appWith(() => Promise.reject(new Error('salesforce down')));
    const res = await request(app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('reports ready only when every check passes, listing each check', async () => {
    const ok = await request(appWith(async () => [{ name: 'store', ok: true }])).get('/readyz');
    expect(ok.status).toBe(200);
    const failing = appWith(async () => [
      { name: 'store', ok: true },
      { name: 'replay cursor', ok: false, detail: 'no event for 2h' },
    ]);
    const res = await request(failing).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body.checks).toContainEqual({
      name: 'replay cursor',
      ok: false,
      detail: 'no event for 2h',
    });
  });

  it('serves Prometheus text at /metrics', async () => {
    const res = await request(appWith(async () => [])).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('cosell_up 1');
    expect(res.headers['content-type']).toContain('text/plain');
  });

  it('routes webhooks to the webhook router and answers 404 elsewhere', async () => {
    const app = appWith(async () => []);
    expect((await request(app).post('/webhooks/partner-center').send('{}')).status).toBe(202);
    expect((await request(app).get('/nope')).status).toBe(404);
  });

  it('an unexpected error is a JSON 500 that shows no stack trace or message; the log has them', async () => {
    const { logger, lines } = captureLogger();
    const failing = appWith(
      async () => [],
      () => Promise.reject(new Error('collector failed reading /var/lib/cosell/secret-path')),
      logger,
    );
    const res = await request(failing).get('/metrics');
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.body).toEqual({ error: 'internal error' });
    expect(res.text).not.toMatch(/secret-path|\bat .*\.ts:\d+|Error:/);
    const logged = lines().find((line) => line.msg === 'request failed unexpectedly');
    expect(logged).toMatchObject({ level: 50, method: 'GET', path: '/metrics' });
    expect(JSON.stringify(logged)).toContain('secret-path');
  });
});
