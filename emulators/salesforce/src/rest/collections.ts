import express, { type Response, type Router } from 'express';
import { z } from 'zod';
import { deleteRecord, insertRecord, updateRecord, upsertRecord } from '../data/dml';
import { objectOrThrow, type DmlContext } from '../data/dml-context';
import { normalizeId } from '../data/ids';
import type { AccessChecker } from '../data/permissions';
import type { RecordGetter } from '../data/record-paths';
import type { SRecord } from '../data/record-store';
import type { Schema } from '../schema/types';
import { SalesforceError } from './errors';
import { recordJson } from './record-json';
import type { RecordSharing } from '../data/sharing';
import { handle, sendJson, type RestContext } from './request-context';

/** sObject Collections accept at most 200 records per call. */
export const MAX_COLLECTION_SIZE = 200;

type Read = (res: Response) => {
  ctx: RestContext;
  schema: Schema;
  access: AccessChecker;
  sharing: RecordSharing;
  get: RecordGetter;
};
export type Write = <T>(res: Response, work: (dml: DmlContext) => T) => T;

const collectionBody = z.object({
  allOrNone: z.boolean().optional(),
  records: z.array(z.record(z.string(), z.unknown())),
});

export interface SaveResult {
  id?: string;
  success: boolean;
  errors: Array<{ statusCode: string; message: string; fields: string[] }>;
  created?: boolean;
}

/** Thrown inside a transaction to discard it when allOrNone is set and a record failed. */
class RolledBack extends Error {
  constructor(readonly results: SaveResult[]) {
    super('rolled back');
  }
}

const ROLLED_BACK = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message:
    'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

function parseBody(body: unknown) {
  const parsed = collectionBody.safeParse(body);
  if (!parsed.success) {
    throw new SalesforceError(400, 'JSON_PARSER_ERROR', 'Invalid collection request body');
  }
  if (parsed.data.records.length > MAX_COLLECTION_SIZE) {
    throw new SalesforceError(
      400,
      'EXCEEDED_ID_LIMIT',
      `record limit reached. cannot submit more than ${MAX_COLLECTION_SIZE} records into this call`,
    );
  }
  return { allOrNone: parsed.data.allOrNone ?? false, records: parsed.data.records };
}

function typeOf(rec: SRecord): string {
  const attrs = rec.attributes as { type?: unknown } | undefined;
  if (typeof attrs?.type !== 'string') {
    throw new SalesforceError(400, 'INVALID_TYPE', 'No SObject Type defined in the record');
  }
  return attrs.type;
}

/**
 * Runs one operation per item in a single transaction. Without allOrNone a failed item's
 * writes are undone via a savepoint and the rest commit; with allOrNone nothing commits.
 */
/** Runs work in a transaction: its own one, or (inside a composite request) a shared one. */
export type Run = <T>(work: (dml: DmlContext) => T) => T;

function runEach<T>(
  run: Run,
  items: T[],
  allOrNone: boolean,
  op: (dml: DmlContext, item: T) => SaveResult,
): SaveResult[] {
  try {
    return run((dml) => {
      const results = items.map((item) => {
        const undo = dml.tx.savepoint();
        try {
          return op(dml, item);
        } catch (error) {
          if (!(error instanceof SalesforceError)) throw error;
          undo();
          const id = (item as { id?: unknown }).id;
          return {
            ...(typeof id === 'string' ? { id } : {}),
            success: false,
            errors: [error.collectionError()],
          };
        }
      });
      if (allOrNone && results.some((r) => !r.success)) {
        throw new RolledBack(
          results.map((r) =>
            r.success
              ? { ...(r.id ? { id: r.id } : {}), success: false, errors: [ROLLED_BACK] }
              : r,
          ),
        );
      }
      return results;
    });
  } catch (error) {
    if (error instanceof RolledBack) return error.results;
    throw error;
  }
}

/** Create: records of any types, in order; each result carries the new id. */
export function createCollection(run: Run, body: unknown): SaveResult[] {
  const { allOrNone, records } = parseBody(body);
  records.forEach(typeOf);
  const results = runEach(run, records, allOrNone, (dml, rec) => {
    if (Object.keys(rec).some((k) => k.toLowerCase() === 'id')) {
      throw new SalesforceError(400, 'INVALID_FIELD', 'cannot specify Id in an insert call', [
        'Id',
      ]);
    }
    const { attributes: _a, ...fields } = rec;
    return { id: insertRecord(dml, typeOf(rec), fields), success: true, errors: [] };
  });
  return results.map((r) =>
    allOrNone && !r.success && r.errors[0] === ROLLED_BACK
      ? { success: false, errors: r.errors }
      : r,
  );
}

/** Update: each record names its id. */
export function updateCollection(run: Run, body: unknown): SaveResult[] {
  const { allOrNone, records } = parseBody(body);
  records.forEach(typeOf);
  return runEach(run, records, allOrNone, (dml, rec) => {
    const raw = rec.id ?? rec.Id;
    const id = typeof raw === 'string' ? normalizeId(raw) : undefined;
    if (!id) {
      throw new SalesforceError(400, 'MISSING_ARGUMENT', 'Id not specified in an update call', []);
    }
    const { attributes: _a, id: _i, Id: _I, ...fields } = rec;
    updateRecord(dml, id, fields, typeOf(rec));
    return { id, success: true, errors: [] };
  });
}

/** `/composite/sobjects` ("sObject Collections"): create, update, delete, retrieve, upsert. */
export function collectionsRouter(read: Read, write: Write): Router {
  const router = express.Router({ mergeParams: true });

  router.post(
    '/',
    handle((req, res) => {
      sendJson(
        res,
        200,
        createCollection((work) => write(res, work), req.body),
      );
    }),
  );

  router.patch(
    '/',
    handle((req, res) => {
      sendJson(
        res,
        200,
        updateCollection((work) => write(res, work), req.body),
      );
    }),
  );

  router.delete(
    '/',
    handle((req, res) => {
      const ids = typeof req.query.ids === 'string' ? req.query.ids.split(',').filter(Boolean) : [];
      if (!ids.length)
        throw new SalesforceError(400, 'MISSING_ARGUMENT', 'ids parameter is required');
      if (ids.length > MAX_COLLECTION_SIZE) {
        throw new SalesforceError(
          400,
          'EXCEEDED_ID_LIMIT',
          `record limit reached. cannot submit more than ${MAX_COLLECTION_SIZE} records into this call`,
        );
      }
      const allOrNone = req.query.allOrNone === 'true';
      const items = ids.map((id) => ({ id }));
      const results = runEach(
        (work) => write(res, work),
        items,
        allOrNone,
        (dml, item) => {
          const id = normalizeId(item.id);
          if (!id) throw new SalesforceError(400, 'MALFORMED_ID', `malformed id ${item.id}`, []);
          deleteRecord(dml, id);
          return { id, success: true, errors: [] };
        },
      );
      sendJson(res, 200, results);
    }),
  );

  const retrieveBody = z.object({ ids: z.array(z.string()), fields: z.array(z.string()) });
  router.post(
    '/:type',
    handle((req, res) => {
      const { schema, access, sharing, get, ctx } = read(res);
      const obj = objectOrThrow({ schema, access }, String(req.params.type));
      const parsed = retrieveBody.safeParse(req.body);
      if (!parsed.success) {
        throw new SalesforceError(400, 'JSON_PARSER_ERROR', 'Expected {"ids":[…],"fields":[…]}');
      }
      if (parsed.data.ids.length > 2000) {
        throw new SalesforceError(400, 'EXCEEDED_ID_LIMIT', 'record limit reached');
      }
      sendJson(
        res,
        200,
        parsed.data.ids.map((raw) => {
          const id = normalizeId(raw);
          const rec = id ? get(id) : undefined;
          if (!rec || rec.deleted || rec.object !== obj.name || !sharing.canRead(rec)) return null;
          return recordJson(schema, get, access, ctx.base, obj, rec, parsed.data.fields);
        }),
      );
    }),
  );

  router.patch(
    '/:type/:field',
    handle((req, res) => {
      const { allOrNone, records } = parseBody(req.body);
      const type = String(req.params.type);
      const field = String(req.params.field);
      const results = runEach(
        (work) => write(res, work),
        records,
        allOrNone,
        (dml, rec) => {
          const key = Object.keys(rec).find((k) => k.toLowerCase() === field.toLowerCase());
          const value = key ? rec[key] : undefined;
          if (typeof value !== 'string' && typeof value !== 'number') {
            throw new SalesforceError(400, 'MISSING_ARGUMENT', `${field} not specified`, [field]);
          }
          const { attributes: _a, ...fields } = rec;
          const r = upsertRecord(dml, type, field, String(value), fields);
          return { id: r.id, success: true, errors: [], created: r.created };
        },
      );
      sendJson(res, 200, results);
    }),
  );

  return router;
}
