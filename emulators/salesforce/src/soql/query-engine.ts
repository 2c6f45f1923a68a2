// The SOQL engine: parses a statement, compiles SELECT (fields, parent paths, child subqueries,
// COUNT), ORDER BY, LIMIT and OFFSET against the schema, and runs it over the visible records.
// Field paths (field-paths.ts), WHERE (where.ts) and the error bodies (query-errors.ts) live in
// their own modules so that this one holds only the statement's shape and its execution.
import {
  parseQuery,
  type FieldType as SoqlField,
  type OrderByClause,
  type Query,
  type Subquery,
} from 'soql-parser-js';
import { fieldValue } from '../data/record-paths';
import type { SRecord, StoredRecord } from '../data/record-store';
import { childRelationship, type ObjectDef } from '../schema/types';
import {
  comparable,
  PathResolver,
  recordUrl,
  valueAt,
  type FieldPath,
  type QueryEnv,
} from './field-paths';
import { badRelationship, malformed } from './query-errors';
import { compileWhere, type Pred, type SemiJoin } from './where';

export interface QueryOutput {
  totalSize: number;
  records: SRecord[];
}

type Projector = (rec: StoredRecord, out: SRecord) => void;

function setNested(
  env: QueryEnv,
  rec: StoredRecord,
  obj: ObjectDef,
  p: FieldPath,
  out: SRecord,
): void {
  let fields = rec.fields;
  let target = out;
  let current = obj;
  for (const hop of p.hops) {
    const key = hop.rel.relationshipName ?? hop.rel.name;
    const id = fields[hop.rel.name];
    const parent = typeof id === 'string' ? env.get(id) : undefined;
    if (!parent || !env.visible(parent)) {
      if (!(key in target)) target[key] = null;
      return;
    }
    let nested = target[key] as SRecord | null | undefined;
    if (!nested) {
      nested = {
        attributes: { type: parent.object, url: recordUrl(env, parent.object, parent.fields.Id) },
      };
      target[key] = nested;
    }
    target = nested;
    fields = parent.fields;
    current = hop.target;
  }
  target[p.field.name] = fieldValue(env.schema, env.get, current, fields, p.field.name);
}

interface Compiled {
  obj: ObjectDef;
  where?: Pred;
  projectors: Projector[];
  countOnly: boolean;
  aggregate?: Array<{ alias: string; path?: FieldPath }>;
  order: Array<{ path: FieldPath; desc: boolean; nullsLast: boolean }>;
  limit?: number;
  offset?: number;
}

function compile(
  env: QueryEnv,
  soql: string,
  q: Query | Subquery,
  objName: string,
  c: PathResolver,
): Compiled {
  const obj = c.object(objName);
  const alias = q.sObjectAlias;
  const projectors: Projector[] = [];
  let countOnly = false;
  const aggregate: Compiled['aggregate'] = [];
  for (const f of (q.fields ?? []) as SoqlField[]) {
    if (f.type === 'Field' || f.type === 'FieldRelationship') {
      const dotted = f.type === 'Field' ? f.field : [...f.relationships, f.field].join('.');
      const p = c.path(obj, dotted, alias);
      projectors.push((rec, out) => setNested(env, rec, obj, p, out));
    } else if (f.type === 'FieldSubquery') {
      projectors.push(compileSubquery(env, soql, obj, f.subquery, c));
    } else if (f.type === 'FieldFunctionExpression' && f.functionName.toUpperCase() === 'COUNT') {
      const param = f.parameters[0];
      if (param === undefined) countOnly = true;
      else
        aggregate.push({
          alias: f.alias ?? `expr${aggregate.length}`,
          path: c.path(obj, String(param), alias),
        });
    } else {
      throw malformed(soql, `unexpected token: ${'rawValue' in f ? String(f.rawValue) : f.type}`);
    }
  }
  const orderBy = q.orderBy ? (Array.isArray(q.orderBy) ? q.orderBy : [q.orderBy]) : [];
  const order = orderBy.map((o: OrderByClause) => {
    if (!('field' in o)) throw malformed(soql, 'unexpected token: ORDER BY function');
    const desc = o.order === 'DESC';
    return {
      path: c.path(obj, o.field, alias),
      desc,
      nullsLast: o.nulls ? o.nulls === 'LAST' : desc,
    };
  });
  // A semi-join's inner query runs as its own statement, leaving deleted rows out.
  const semiJoin: SemiJoin = (inner) => runParsed(env, soql, inner, false).records;
  return {
    obj,
    ...(q.where ? { where: compileWhere(c, env, soql, obj, q.where, alias, semiJoin) } : {}),
    projectors,
    countOnly,
    ...(aggregate.length ? { aggregate } : {}),
    order,
    ...(q.limit !== undefined ? { limit: q.limit } : {}),
    ...(q.offset !== undefined ? { offset: q.offset } : {}),
  };
}

function compileSubquery(
  env: QueryEnv,
  soql: string,
  parent: ObjectDef,
  sub: Subquery,
  c: PathResolver,
): Projector {
  const rel = childRelationship(parent, sub.relationshipName);
  if (!rel) throw badRelationship(soql, sub.relationshipName);
  const compiled = compile(env, soql, sub, rel.childSObject, c);
  return (rec, out) => {
    const id = rec.fields.Id;
    const rows = select(env, compiled, false, (r) => r.fields[rel.field] === id);
    out[rel.relationshipName] = rows.length
      ? { totalSize: rows.length, done: true, records: rows }
      : null;
  };
}

function matching(
  env: QueryEnv,
  q: Compiled,
  includeDeleted: boolean,
  scope?: (r: StoredRecord) => boolean,
): StoredRecord[] {
  let rows = [...env.records(q.obj.name)].filter(
    (r) =>
      (includeDeleted || !r.deleted) &&
      (!scope || scope(r)) &&
      env.visible(r) &&
      (!q.where || q.where(r)),
  );
  if (q.order.length) {
    const keyed = rows.map((r) => ({
      r,
      keys: q.order.map((o) => comparable(o.path.field, valueAt(env, r, q.obj, o.path))),
    }));
    keyed.sort((a, b) => {
      for (let i = 0; i < q.order.length; i++) {
        const o = q.order[i];
        const x = a.keys[i] ?? null;
        const y = b.keys[i] ?? null;
        if (!o || x === y) continue;
        if (x === null) return o.nullsLast ? 1 : -1;
        if (y === null) return o.nullsLast ? -1 : 1;
        const cmp = x < y ? -1 : 1;
        return o.desc ? -cmp : cmp;
      }
      return 0;
    });
    rows = keyed.map((k) => k.r);
  }
  if (q.offset) rows = rows.slice(q.offset);
  if (q.limit !== undefined) rows = rows.slice(0, q.limit);
  return rows;
}

function select(
  env: QueryEnv,
  q: Compiled,
  includeDeleted: boolean,
  scope?: (r: StoredRecord) => boolean,
): SRecord[] {
  return matching(env, q, includeDeleted, scope).map((rec) => {
    const out: SRecord = {
      attributes: { type: rec.object, url: recordUrl(env, rec.object, rec.fields.Id) },
    };
    for (const p of q.projectors) p(rec, out);
    return out;
  });
}

function runParsed(env: QueryEnv, soql: string, q: Query, includeDeleted: boolean): QueryOutput {
  if (!q.sObject) throw malformed(soql, 'unexpected token: FROM');
  const c = new PathResolver(env, soql);
  const compiled = compile(env, soql, q, q.sObject, c);
  if (compiled.countOnly) {
    return { totalSize: matching(env, compiled, includeDeleted).length, records: [] };
  }
  if (compiled.aggregate) {
    const rows = matching(env, compiled, includeDeleted);
    const out: SRecord = { attributes: { type: 'AggregateResult' } };
    for (const a of compiled.aggregate) {
      const path = a.path;
      // COUNT(field) counts the rows where the field is not null.
      out[a.alias] = path
        ? rows.filter((r) => valueAt(env, r, compiled.obj, path) !== null).length
        : rows.length;
    }
    return { totalSize: 1, records: [out] };
  }
  const records = select(env, compiled, includeDeleted);
  return { totalSize: records.length, records };
}

/** Parses and runs one SOQL statement; errors are Salesforce's REST query errors. */
export function runQuery(env: QueryEnv, soql: string, includeDeleted: boolean): QueryOutput {
  let parsed: Query;
  try {
    parsed = parseQuery(soql);
  } catch (error) {
    throw malformed(
      soql,
      error instanceof Error ? (error.message.split('\n')[0] ?? '') : 'bad query',
    );
  }
  return runParsed(env, soql, parsed, includeDeleted);
}
