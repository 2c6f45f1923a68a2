import type { Router } from 'express';
import { z } from 'zod';
import { deleteRecord, insertRecord, updateRecord } from '../data/dml';
import { SEEDED_USERS } from '../data/org';
import type { EmulatorState } from '../emulator-state';
import { SalesforceError } from '../rest/errors';
import type { BayeuxServer } from '../streaming/bayeux-server';
import type { ChangeEventPublisher, GapType } from '../streaming/change-events';

const clockSchema = z.object({ advanceMs: z.number().int().nonnegative() });
const retentionSchema = z.object({ retentionMs: z.number().int().positive() });
const gapSchema = z.object({
  entity: z.string(),
  changeType: z.enum(['GAP_CREATE', 'GAP_UPDATE', 'GAP_DELETE', 'GAP_UNDELETE', 'GAP_OVERFLOW']),
  recordIds: z.array(z.string()).default([]),
});
const permissionSchema = z.object({
  username: z.string().default(SEEDED_USERS.integration.username),
  permissionSet: z.string(),
  assigned: z.boolean(),
});
const settingsSchema = z
  .object({
    sandbox: z.boolean(),
    multiCurrency: z.boolean(),
    corporateCurrency: z.string().regex(/^[A-Z]{3}$/),
    currencyCodes: z.array(z.string().regex(/^[A-Z]{3}$/)).min(1),
    dailyApiRequests: z.number().int().positive(),
    tokenTtlMs: z.number().int().positive(),
    sharingModels: z.record(z.string(), z.enum(['Private', 'Read', 'ReadWrite'])),
    stateAndCountryPicklists: z.boolean(),
  })
  .partial();
const seedSchema = z.object({
  sobject: z.string(),
  records: z.array(z.record(z.string(), z.unknown())).min(1),
  /** Username to act as; the seeded seller by default. */
  as: z.string().optional(),
});
const usernameSchema = z.object({ username: z.string() });

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> | { error: string } {
  const r = schema.safeParse(body ?? {});
  return r.success
    ? r.data
    : { error: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
}
const isError = (v: unknown): v is { error: string } =>
  typeof v === 'object' &&
  v !== null &&
  'error' in v &&
  typeof (v as { error: unknown }).error === 'string' &&
  Object.keys(v).length === 1;

/** Emulator-specific control routes, mounted on the shared control plane's router. */
export function addControlRoutes(
  router: Router,
  state: EmulatorState,
  bayeux: BayeuxServer,
  publisher: ChangeEventPublisher,
): void {
  // Every custom notification the Send Custom Notification action accepted, oldest first.
  router.get('/notifications', (_req, res) => {
    res.json({ notifications: state.notifications.list() });
  });

  router.get('/clock', (_req, res) => {
    res.json({ now: new Date(state.clock.now()).toISOString() });
  });
  router.post('/clock', (req, res) => {
    const body = parse(clockSchema, req.body);
    if (isError(body)) return void res.status(400).json(body);
    state.clock.advance(body.advanceMs);
    res.json({ now: new Date(state.clock.now()).toISOString() });
  });

  router.post('/retention', (req, res) => {
    const body = parse(retentionSchema, req.body);
    if (isError(body)) return void res.status(400).json(body);
    state.events.retentionMs = body.retentionMs;
    res.json({ retentionMs: body.retentionMs });
  });

  router.get('/events', (req, res) => {
    state.events.purge(state.clock.now());
    const channel = typeof req.query.channel === 'string' ? req.query.channel : undefined;
    res.json({
      latestReplayId: state.events.latestReplayId,
      ...(channel
        ? { channel, latestReplayIdOnChannel: state.events.latestReplayIdOn(channel) }
        : {}),
      oldestRetainedReplayId: state.events.oldestRetainedReplayId,
      retentionMs: state.events.retentionMs,
      cometdClients: bayeux.clientCount,
    });
  });

  router.post('/cdc/gap', (req, res) => {
    const body = parse(gapSchema, req.body);
    if (isError(body)) return void res.status(400).json(body);
    const obj = state.org.schema.object(body.entity);
    if (!obj?.cdcEnabled) {
      return void res
        .status(400)
        .json({ error: `${body.entity} is not selected for Change Data Capture` });
    }
    publisher.publishGap(
      obj,
      body.changeType as GapType,
      body.recordIds,
      state.org.integrationUserId,
      state.clock.now(),
    );
    res.status(201).json({ replayId: state.events.latestReplayId });
  });

  router.post('/cometd/drop-clients', (_req, res) => {
    const dropped = bayeux.clientCount;
    bayeux.dropAllClients();
    res.json({ dropped });
  });

  router.post('/permission-sets', (req, res) => {
    const body = parse(permissionSchema, req.body);
    if (isError(body)) return void res.status(400).json(body);
    const userId = state.org.userByUsername(body.username);
    if (!userId) return void res.status(404).json({ error: `no user ${body.username}` });
    state.org.setPermissionSet(userId, body.permissionSet, body.assigned);
    res.json({ userId, permissionSets: [...state.org.userAccess(userId).permissionSets] });
  });

  router.post('/settings', (req, res) => {
    const body = parse(settingsSchema, req.body);
    if (isError(body)) return void res.status(400).json(body);
    const { dailyApiRequests, tokenTtlMs, ...org } = body;
    if (dailyApiRequests !== undefined) state.config.dailyApiRequests = dailyApiRequests;
    if (tokenTtlMs !== undefined) state.tokens.ttlMs = tokenTtlMs;
    if (Object.keys(org).length) state.org.configure(org);
    res.json({ ...state.org.settings, dailyApiRequests: state.config.dailyApiRequests });
  });

  router.get('/users', (_req, res) => {
    res.json(
      Object.fromEntries(
        Object.entries(SEEDED_USERS).map(([role, u]) => [
          role,
          { id: state.org.userByUsername(u.username), username: u.username },
        ]),
      ),
    );
  });

  // Records created as a person in the UI would: no API client id, so CDC changeOrigin is empty.
  router.post('/records', (req, res) => {
    const body = parse(seedSchema, req.body);
    if (isError(body)) return void res.status(400).json(body);
    const userId = state.org.userByUsername(body.as ?? SEEDED_USERS.seller.username);
    if (!userId) return void res.status(404).json({ error: `no user ${String(body.as)}` });
    try {
      const ids = state.org.transact({ userId, api: 'ui', apiVersion: '62.0' }, (ctx) =>
        body.records.map((r) => insertRecord(ctx, body.sobject, r)),
      );
      res.status(201).json({ ids });
    } catch (error) {
      if (!(error instanceof SalesforceError)) throw error;
      res.status(error.status).json(error.body());
    }
  });

  // A UI-like edit of one record (as the seller by default): CDC changeOrigin stays empty.
  router.patch('/records/:id', (req, res) => {
    const body = parse(
      z.object({ fields: z.record(z.string(), z.unknown()), as: z.string().optional() }),
      req.body,
    );
    if (isError(body)) return void res.status(400).json(body);
    const userId = state.org.userByUsername(body.as ?? SEEDED_USERS.seller.username);
    if (!userId) return void res.status(404).json({ error: `no user ${String(body.as)}` });
    try {
      state.org.transact({ userId, api: 'ui', apiVersion: '62.0' }, (ctx) =>
        updateRecord(ctx, String(req.params.id), body.fields),
      );
      res.status(204).end();
    } catch (error) {
      if (!(error instanceof SalesforceError)) throw error;
      res.status(error.status).json(error.body());
    }
  });

  // A UI-like delete (to the recycle bin), e.g. a seller removing a co-sell solution.
  router.delete('/records/:id', (req, res) => {
    const as = typeof req.query.as === 'string' ? req.query.as : SEEDED_USERS.seller.username;
    const userId = state.org.userByUsername(as);
    if (!userId) return void res.status(404).json({ error: `no user ${as}` });
    try {
      state.org.transact({ userId, api: 'ui', apiVersion: '62.0' }, (ctx) =>
        deleteRecord(ctx, String(req.params.id)),
      );
      res.status(204).end();
    } catch (error) {
      if (!(error instanceof SalesforceError)) throw error;
      res.status(error.status).json(error.body());
    }
  });

  // Stored values of one record (live or deleted), for assertions without a session.
  router.get('/records/:id', (req, res) => {
    const rec = state.org.store.get(String(req.params.id));
    if (!rec) return void res.status(404).json({ error: 'no such record' });
    res.json({ sobject: rec.object, deleted: rec.deleted, fields: rec.fields });
  });

  router.post('/refresh-tokens', (req, res) => {
    const body = parse(usernameSchema, req.body);
    if (isError(body)) return void res.status(400).json(body);
    const userId = state.org.userByUsername(body.username);
    if (!userId) return void res.status(404).json({ error: `no user ${body.username}` });
    res.status(201).json({ refresh_token: state.tokens.issueRefreshToken(userId) });
  });

  router.get('/jwt-key', (_req, res) => {
    if (state.config.jwtCertificate) {
      return void res.status(404).json({ error: 'a certificate was configured; its key is yours' });
    }
    res.json(state.generatedKeys());
  });
}
