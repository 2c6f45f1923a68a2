import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { deleteRecord, insertRecord, updateRecord, upsertRecord } from '../data/dml';
import { liveRecord, objectOrThrow, type DmlContext } from '../data/dml-context';
import { externalIdField, findByExternalId } from '../data/external-ids';
import { parseDateTime, restDateTime } from '../clock';
import { normalizeId } from '../data/ids';
import { ORG_ID } from '../data/org';
import type { SRecord } from '../data/record-store';
import type { EmulatorState } from '../emulator-state';
import { queryColumns } from '../soql/query-columns';
import type { QueryEnv } from '../soql/field-paths';
import { runQuery } from '../soql/query-engine';
import { basicInfo, describeGlobal, describeObject } from './describe';
import { notFound, SalesforceError } from './errors';
import { recordJson } from './record-json';
import {
  API_VERSIONS,
  authenticate,
  handle,
  origin,
  restContext,
  sendJson,
} from './request-context';
import { collectionsRouter } from './collections';
import { metadataRestRouter } from '../metadata/deploy-routes';
import { compositeRouter } from './composite';
import { customNotificationRouter } from './custom-notifications';
import { answerGraphql } from './graphql';

const recordBody = z.record(z.string(), z.unknown());

function bodyRecord(req: Request): SRecord {
  const parsed = recordBody.safeParse(req.body);
  if (!parsed.success) {
    throw new SalesforceError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
  }
  return parsed.data;
}

function param(req: Request, name: string): string {
  return String(req.params[name] ?? '');
}

/** `/services/data` and `/services/data/vXX.X/*` ("REST API Developer Guide"). */
export function restRouter(state: EmulatorState): Router {
  const router = express.Router();

  // Versions: the only resource that needs no session.
  router.get(['/services/data', '/services/data/'], (_req, res) => {
    sendJson(
      res,
      200,
      API_VERSIONS.map((v) => ({
        label: `v${v}`,
        url: `/services/data/v${v}`,
        version: v,
      })),
    );
  });

  const api = express.Router({ mergeParams: true });
  router.use('/services/data/:version', authenticate(state), api);
  api.use(express.json({ limit: '50mb' }));

  const read = (res: Response) => {
    const ctx = restContext(res);
    const access = state.org.accessChecker(ctx.userId);
    const sharing = state.org.sharing(ctx.userId, access);
    return {
      ctx,
      schema: state.org.schema,
      access,
      sharing,
      get: (id: string) => state.org.store.get(id),
    };
  };
  /** The SOQL engine as the calling user: their object/field security and record sharing. */
  const queryEnv = (res: Response): QueryEnv => {
    const { schema, access, sharing, get, ctx } = read(res);
    return {
      schema,
      access,
      visible: (rec) => sharing.canRead(rec),
      get,
      records: (object) => recordsOf(state, object),
      now: state.clock.now(),
      apiVersion: ctx.apiVersion,
    };
  };
  const write = <T>(res: Response, work: (dml: DmlContext) => T): T =>
    state.org.transact(origin(res), work);

  api.get('/', (req, res) => {
    const { base } = restContext(res);
    sendJson(res, 200, {
      sobjects: `${base}/sobjects`,
      query: `${base}/query`,
      queryAll: `${base}/queryAll`,
      limits: `${base}/limits`,
      composite: `${base}/composite`,
      identity: `${req.protocol}://${req.get('host')}/id/${ORG_ID}/${restContext(res).userId}`,
    });
  });

  api.get('/limits', (_req, res) => {
    const max = state.config.dailyApiRequests;
    const remaining = Math.max(0, max - state.apiRequestsUsed);
    sendJson(res, 200, {
      DailyApiRequests: { Max: max, Remaining: remaining },
      DailyBulkApiBatches: { Max: 15000, Remaining: 15000 },
      DailyAsyncApexExecutions: { Max: 250000, Remaining: 250000 },
      DailyDurableStreamingApiEvents: { Max: 10000, Remaining: 10000 },
      DailyStreamingApiEvents: { Max: 10000, Remaining: 10000 },
      MonthlyPlatformEventsUsageEntitlement: { Max: 0, Remaining: 0 },
      DataStorageMB: { Max: 5, Remaining: 5 },
      FileStorageMB: { Max: 20, Remaining: 20 },
    });
  });

  api.get('/sobjects', (_req, res) => {
    const { schema, access, ctx } = read(res);
    sendJson(res, 200, describeGlobal(ctx.base, schema.list(), access));
  });

  api.get(
    '/sobjects/:type',
    handle((req, res) => {
      const { schema, access, ctx } = read(res);
      const obj = objectOrThrow({ schema, access }, param(req, 'type'));
      sendJson(res, 200, basicInfo(ctx.base, obj, access));
    }),
  );

  api.get(
    '/sobjects/:type/describe',
    handle((req, res) => {
      const { schema, access, ctx } = read(res);
      const obj = objectOrThrow({ schema, access }, param(req, 'type'));
      sendJson(res, 200, describeObject(ctx.base, obj, access));
    }),
  );

  // "Get Updated / Deleted Records": replication by SystemModstamp in a time window.
  const replication = (kind: 'updated' | 'deleted') =>
    handle((req, res) => {
      const { schema, access, sharing } = read(res);
      const obj = objectOrThrow({ schema, access }, param(req, 'type'));
      const start = parseDateTime(String(req.query.start ?? ''));
      const end = parseDateTime(String(req.query.end ?? ''));
      if (Number.isNaN(start) || Number.isNaN(end) || end < start) {
        throw new SalesforceError(
          400,
          'INVALID_REPLICATION_DATE',
          'start and end must be valid dateTimes with start before end',
        );
      }
      const now = state.clock.now();
      const covered = Math.floor(Math.min(end, now) / 60_000) * 60_000;
      const inWindow = [...recordsOf(state, obj.name)].filter((r) => {
        const stamp = parseDateTime(String(r.fields.SystemModstamp));
        return (
          (kind === 'deleted') === r.deleted && stamp >= start && stamp < end && sharing.canRead(r)
        );
      });
      if (kind === 'updated') {
        sendJson(res, 200, {
          ids: inWindow.map((r) => r.fields.Id),
          latestDateCovered: restDateTime(covered),
        });
        return;
      }
      sendJson(res, 200, {
        deletedRecords: inWindow.map((r) => ({
          id: r.fields.Id,
          deletedDate: r.fields.SystemModstamp,
        })),
        earliestDateAvailable: restDateTime(now - 15 * 86_400_000),
        latestDateCovered: restDateTime(covered),
      });
    });
  api.get('/sobjects/:type/updated', replication('updated'));
  api.get('/sobjects/:type/deleted', replication('deleted'));

  api.post(
    '/sobjects/:type',
    handle((req, res) => {
      const body = bodyRecord(req);
      const id = write(res, (dml) => insertRecord(dml, param(req, 'type'), body));
      sendJson(res, 201, { id, success: true, errors: [] });
    }),
  );

  const recordId = (req: Request, res: Response, type: string) => {
    const { schema, access } = read(res);
    const obj = objectOrThrow({ schema, access }, type);
    const id = normalizeId(param(req, 'id'));
    if (!id) throw notFound();
    return { obj, id };
  };

  api.get(
    '/sobjects/:type/:id',
    handle((req, res) => {
      const { schema, access, get, ctx } = read(res);
      const { obj, id } = recordId(req, res, param(req, 'type'));
      const rec = state.org.transact(origin(res), (dml) => liveRecord(dml, id, obj.name));
      const only = typeof req.query.fields === 'string' ? req.query.fields.split(',') : undefined;
      sendJson(res, 200, recordJson(schema, get, access, ctx.base, obj, rec, only));
    }),
  );

  api.patch(
    '/sobjects/:type/:id',
    handle((req, res) => {
      const { obj, id } = recordId(req, res, param(req, 'type'));
      const body = bodyRecord(req);
      write(res, (dml) => updateRecord(dml, id, body, obj.name));
      res.status(204).end();
    }),
  );

  api.delete(
    '/sobjects/:type/:id',
    handle((req, res) => {
      const { obj, id } = recordId(req, res, param(req, 'type'));
      write(res, (dml) => deleteRecord(dml, id, obj.name));
      res.status(204).end();
    }),
  );

  // External ids: GET retrieves, PATCH upserts, DELETE deletes ("Insert or Update (Upsert) a
  // Record Using an External ID").
  api.get(
    '/sobjects/:type/:field/:value',
    handle((req, res) => {
      const { schema, access, get, ctx } = read(res);
      const obj = objectOrThrow({ schema, access }, param(req, 'type'));
      const f = externalIdField({ schema, access }, obj, param(req, 'field'));
      const matches = state.org.transact(origin(res), (dml) =>
        findByExternalId(dml, obj, f, param(req, 'value')),
      );
      if (matches.length > 1) {
        sendJson(
          res,
          300,
          matches.map((m) => `${ctx.base}/sobjects/${obj.name}/${String(m.fields.Id)}`),
        );
        return;
      }
      const rec = matches[0];
      if (!rec) throw notFound();
      sendJson(res, 200, recordJson(schema, get, access, ctx.base, obj, rec));
    }),
  );

  api.patch(
    '/sobjects/:type/:field/:value',
    handle((req, res) => {
      const body = bodyRecord(req);
      const { ctx } = read(res);
      const result = write(res, (dml) =>
        upsertRecord(dml, param(req, 'type'), param(req, 'field'), param(req, 'value'), body),
      );
      if (result.created) {
        sendJson(res, 201, { id: result.id, success: true, errors: [], created: true });
      } else if (Number(ctx.apiVersion) >= 46) {
        sendJson(res, 200, { id: result.id, success: true, errors: [], created: false });
      } else {
        res.status(204).end();
      }
    }),
  );

  api.delete(
    '/sobjects/:type/:field/:value',
    handle((req, res) => {
      const { schema, access } = read(res);
      const obj = objectOrThrow({ schema, access }, param(req, 'type'));
      const f = externalIdField({ schema, access }, obj, param(req, 'field'));
      write(res, (dml) => {
        const matches = findByExternalId(dml, obj, f, param(req, 'value'));
        if (matches.length !== 1) throw notFound();
        deleteRecord(dml, matches[0]?.fields.Id as string, obj.name);
      });
      res.status(204).end();
    }),
  );

  // GraphQL API record queries, answered through the same SOQL engine (rest/graphql.ts).
  api.post(
    '/graphql',
    handle((req, res) => {
      sendJson(res, 200, answerGraphql(queryEnv(res), req.body));
    }),
  );

  const query = (includeDeleted: boolean) =>
    handle((req, res) => {
      const soql = typeof req.query.q === 'string' ? req.query.q : '';
      if (!soql) {
        throw new SalesforceError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
      }
      const env = queryEnv(res);
      const { schema } = env;
      const result = runQuery(env, soql, includeDeleted);
      if (req.query.columns === 'true') {
        sendJson(res, 200, queryColumns(schema, soql));
        return;
      }
      const batchSize = batchSizeOf(req.get('sforce-query-options'));
      const resource = includeDeleted ? 'queryAll' : 'query';
      if (result.records.length <= batchSize) {
        sendJson(res, 200, { totalSize: result.totalSize, done: true, records: result.records });
        return;
      }
      const cursor = state.cursors.open(result.records, batchSize);
      const first = state.cursors.page(`${cursor}-0`);
      sendJson(res, 200, {
        totalSize: result.totalSize,
        done: false,
        nextRecordsUrl: `${restContext(res).base}/${resource}/${first?.next ?? ''}`,
        records: first?.rows ?? [],
      });
    });
  api.get('/query', query(false));
  api.get('/queryAll', query(true));

  const more = (resource: string) =>
    handle((req, res) => {
      const { ctx } = read(res);
      const page = state.cursors.page(param(req, 'locator'));
      if (!page) {
        throw new SalesforceError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
      }
      sendJson(res, 200, {
        totalSize: page.total,
        done: page.next === undefined,
        ...(page.next ? { nextRecordsUrl: `${ctx.base}/${resource}/${page.next}` } : {}),
        records: page.rows,
      });
    });
  api.get('/query/:locator', more('query'));
  api.get('/queryAll/:locator', more('queryAll'));

  api.use('/composite/sobjects', collectionsRouter(read, write));
  api.use('/metadata', metadataRestRouter(state));
  api.use('/composite', compositeRouter(write));
  api.use(customNotificationRouter(state, state.notifications));

  api.use((_req, res) => {
    res.status(404).type('application/json;charset=UTF-8').send(JSON.stringify(notFound().body()));
  });

  // Malformed JSON bodies answer as Salesforce does, not with express's HTML page.
  api.use((error: unknown, _req: Request, res: Response, next: (e?: unknown) => void) => {
    if (
      error &&
      typeof error === 'object' &&
      'type' in error &&
      error.type === 'entity.parse.failed'
    ) {
      sendJson(res, 400, [
        {
          message: 'Unexpected character in the JSON request body',
          errorCode: 'JSON_PARSER_ERROR',
        },
      ]);
      return;
    }
    next(error);
  });

  return router;
}

function recordsOf(state: EmulatorState, object: string) {
  return state.org.store.ofObject(object);
}

/** `Sforce-Query-Options: batchSize=500` (200–2000; default 2000). */
function batchSizeOf(header: string | undefined): number {
  const m = header ? /batchSize\s*=\s*(\d+)/i.exec(header) : null;
  const n = m?.[1] ? Number(m[1]) : 2000;
  return Math.min(2000, Math.max(200, n));
}
