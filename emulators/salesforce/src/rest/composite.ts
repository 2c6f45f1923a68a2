import express, { type Response, type Router } from 'express';
import { z } from 'zod';
import { deleteRecord, insertRecord, updateRecord } from '../data/dml';
import type { DmlContext } from '../data/dml-context';
import { normalizeId } from '../data/ids';
import { createCollection, updateCollection, type Run, type Write } from './collections';
import { SalesforceError } from './errors';
import { handle, restContext, sendJson } from './request-context';

/** "Composite": at most 25 subrequests, at most 5 of them sObject Collections or queries. */
export const MAX_SUBREQUESTS = 25;
const MAX_COLLECTION_SUBREQUESTS = 5;

const compositeBody = z.object({
  allOrNone: z.boolean().optional(),
  collateSubrequests: z.boolean().optional(),
  compositeRequest: z
    .array(
      z.object({
        method: z.enum(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']),
        url: z.string(),
        referenceId: z.string().regex(/^[A-Za-z0-9_]+$/),
        body: z.unknown().optional(),
        httpHeaders: z.record(z.string(), z.string()).optional(),
      }),
    )
    .min(1),
});
type Subrequest = z.infer<typeof compositeBody>['compositeRequest'][number];

interface SubResponse {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

const ROLLED_BACK_MESSAGE =
  'The transaction was rolled back since another operation in the same transaction failed.';

/** `@{ref.id}`, `@{ref[0].id}`: a value from an earlier subrequest's response body. */
function resolveReferences(value: unknown, results: Map<string, unknown>): unknown {
  if (typeof value === 'string') {
    return value.replace(/@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g, (_, ref, path) => {
      let cur: unknown = results.get(String(ref));
      for (const step of String(path).match(/[A-Za-z0-9_]+|\d+/g) ?? []) {
        cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[step] : undefined;
      }
      if (cur === undefined || cur === null) {
        throw new SalesforceError(
          400,
          'PROCESSING_HALTED',
          `Invalid reference specified. No value for ${String(ref)}${String(path)} found in ${String(ref)}.`,
        );
      }
      return String(cur);
    });
  }
  if (Array.isArray(value)) return value.map((v) => resolveReferences(v, results));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, resolveReferences(v, results)]),
    );
  }
  return value;
}

const recordBody = (body: unknown): Record<string, unknown> => {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new SalesforceError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
  }
  return body as Record<string, unknown>;
};

/**
 * One subrequest against the resources the emulator composes: sObject create/update/delete and
 * sObject Collections create/update. Anything else is answered as a bad URL.
 */
function dispatch(run: Run, sub: Subrequest, path: string): { status: number; body: unknown } {
  const [first, second, third] = path.split('/');
  if (first === 'composite' && second === 'sobjects' && third === undefined) {
    if (sub.method === 'POST') return { status: 200, body: createCollection(run, sub.body) };
    if (sub.method === 'PATCH') return { status: 200, body: updateCollection(run, sub.body) };
  }
  if (first === 'sobjects' && second && third === undefined && sub.method === 'POST') {
    const id = run((dml: DmlContext) => insertRecord(dml, second, recordBody(sub.body)));
    return { status: 201, body: { id, success: true, errors: [] } };
  }
  if (
    first === 'sobjects' &&
    second &&
    third &&
    (sub.method === 'PATCH' || sub.method === 'DELETE')
  ) {
    const id = normalizeId(third);
    if (!id) throw new SalesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');
    if (sub.method === 'PATCH') {
      run((dml) => updateRecord(dml, id, recordBody(sub.body), second));
    } else run((dml) => deleteRecord(dml, id, second));
    return { status: 204, body: null };
  }
  throw new SalesforceError(
    400,
    'INVALID_URL',
    `The emulator does not compose ${sub.method} ${sub.url}`,
  );
}

/**
 * `POST /composite` ("Composite"): subrequests in order in one API call, later ones able to
 * reference earlier results. allOrNone: one transaction, a failure rolls every subrequest back;
 * otherwise each subrequest commits on its own.
 */
export function compositeRouter(write: Write): Router {
  const router = express.Router({ mergeParams: true });
  router.post(
    '/',
    handle((req, res: Response) => {
      const parsed = compositeBody.safeParse(req.body);
      if (!parsed.success) {
        throw new SalesforceError(400, 'JSON_PARSER_ERROR', 'Invalid composite request body');
      }
      const { compositeRequest: subs, allOrNone = false } = parsed.data;
      const collections = subs.filter((s) => s.url.includes('/composite/sobjects')).length;
      if (subs.length > MAX_SUBREQUESTS || collections > MAX_COLLECTION_SUBREQUESTS) {
        throw new SalesforceError(
          400,
          'LIMIT_EXCEEDED',
          `Composite requests can contain at most ${MAX_SUBREQUESTS} subrequests, ${MAX_COLLECTION_SUBREQUESTS} of them sObject Collections or queries`,
        );
      }
      const base = restContext(res).base;
      const results = new Map<string, unknown>();
      const execute = (run: Run, sub: Subrequest): SubResponse => {
        try {
          const url = String(resolveReferences(sub.url, results));
          const prefix = `${base}/`;
          if (!url.startsWith(prefix)) {
            throw new SalesforceError(400, 'INVALID_URL', `The URL must start with ${prefix}`);
          }
          const body = resolveReferences(sub.body, results);
          const out = dispatch(
            run,
            { ...sub, body, url },
            url.slice(prefix.length).split('?')[0] ?? '',
          );
          results.set(sub.referenceId, out.body);
          return {
            body: out.body,
            httpHeaders: {},
            httpStatusCode: out.status,
            referenceId: sub.referenceId,
          };
        } catch (error) {
          if (!(error instanceof SalesforceError)) throw error;
          return {
            body: error.body(),
            httpHeaders: {},
            httpStatusCode: error.status,
            referenceId: sub.referenceId,
          };
        }
      };

      if (!allOrNone) {
        const own: Run = (work) => write(res, work);
        sendJson(res, 200, { compositeResponse: subs.map((sub) => execute(own, sub)) });
        return;
      }
      let responses: SubResponse[] = [];
      try {
        write(res, (dml) => {
          const shared: Run = (work) => {
            const undo = dml.tx.savepoint();
            try {
              return work(dml);
            } catch (error) {
              undo();
              throw error;
            }
          };
          for (const sub of subs) {
            const r = execute(shared, sub);
            responses.push(r);
            if (r.httpStatusCode >= 400) throw new RollBack();
          }
        });
      } catch (error) {
        if (!(error instanceof RollBack)) throw error;
        const failed = responses.length - 1;
        responses = subs.map((sub, i) =>
          i === failed
            ? (responses[i] as SubResponse)
            : {
                body: [{ errorCode: 'PROCESSING_HALTED', message: ROLLED_BACK_MESSAGE }],
                httpHeaders: {},
                httpStatusCode: 400,
                referenceId: sub.referenceId,
              },
        );
      }
      sendJson(res, 200, { compositeResponse: responses });
    }),
  );
  return router;
}

class RollBack extends Error {}
