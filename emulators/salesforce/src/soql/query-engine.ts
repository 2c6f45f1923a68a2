import {
  parseQuery,
  type FieldType as SoqlField,
  type OrderByClause,
  type Query,
  type Subquery,
  type WhereClause,
} from 'soql-parser-js';
import { parseDateTime } from '../clock';
import { normalizeId } from '../data/ids';
import type { AccessChecker } from '../data/permissions';
import { fieldValue, type RecordGetter } from '../data/record-paths';
import type { SRecord, StoredRecord } from '../data/record-store';
import { SalesforceError } from '../rest/errors';
import {
  childRelationship,
  fieldOf,
  relationshipField,
  type FieldDef,
  type ObjectDef,
  type Schema,
} from '../schema/types';
import { dateLiteralRange } from './date-literals';

export interface QueryEnv {
  schema: Schema;
  access: AccessChecker;
  /** Record-level access: rows and parents the user may not see are left out. */
  visible(rec: StoredRecord): boolean;
  get: RecordGetter;
  records(object: string): Iterable<StoredRecord>;
  now: number;
  apiVersion: string;
}

export interface QueryOutput {
  totalSize: number;
  records: SRecord[];
}

/** A resolved field path from an object: relationship fields, then the final field. */
interface FieldPath {
  hops: Array<{ rel: FieldDef; target: ObjectDef }>;
  field: FieldDef;
  owner: ObjectDef;
}

const malformed = (soql: string, message: string) =>
  new SalesforceError(400, 'MALFORMED_QUERY', `\n${soql}\n^\nERROR at Row:1:Column:1\n${message}`);

const invalidField = (soql: string, name: string, obj: string) =>
  new SalesforceError(
    400,
    'INVALID_FIELD',
    `\n${soql}\n^\nERROR at Row:1:Column:1\nNo such column '${name}' on entity '${obj}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
  );

const badRelationship = (soql: string, rel: string) =>
  new SalesforceError(
    400,
    'INVALID_FIELD',
    `\n${soql}\n^\nERROR at Row:1:Column:1\nDidn't understand relationship '${rel}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
  );

const invalidType = (soql: string, name: string) =>
  new SalesforceError(
    400,
    'INVALID_TYPE',
    `\n${soql}\n^\nERROR at Row:1:Column:1\nsObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
  );

class Compiler {
  constructor(
    private readonly env: QueryEnv,
    private readonly soql: string,
  ) {}

  object(name: string): ObjectDef {
    const obj = this.env.schema.object(name);
    // Platform events cannot be queried ("No SOQL Support").
    if (!obj || obj.platformEvent || !this.env.access.object(obj, 'read')) {
      throw invalidType(this.soql, name);
    }
    return obj;
  }

  path(obj: ObjectDef, dotted: string, alias?: string): FieldPath {
    let parts = dotted.split('.');
    // `SELECT o.Name FROM Opportunity o`: drop the alias.
    if (alias && parts.length > 1 && parts[0]?.toLowerCase() === alias.toLowerCase()) {
      parts = parts.slice(1);
    }
    const hops: FieldPath['hops'] = [];
    let current = obj;
    for (const rel of parts.slice(0, -1)) {
      const f = relationshipField(current, rel);
      const targetName = f?.referenceTo?.[0];
      const target = targetName ? this.env.schema.object(targetName) : undefined;
      if (!f || !target || !this.env.access.fieldReadable(current, f)) {
        throw badRelationship(this.soql, rel);
      }
      if (!this.env.access.object(target, 'read')) throw badRelationship(this.soql, rel);
      hops.push({ rel: f, target });
      current = target;
    }
    const last = parts[parts.length - 1] ?? '';
    const field = fieldOf(current, last);
    if (!field || !this.env.access.fieldReadable(current, field)) {
      throw invalidField(this.soql, last, current.name);
    }
    return { hops, field, owner: current };
  }
}

function valueAt(env: QueryEnv, rec: StoredRecord, obj: ObjectDef, p: FieldPath): unknown {
  let fields = rec.fields;
  let current = obj;
  for (const hop of p.hops) {
    const id = fields[hop.rel.name];
    const parent = typeof id === 'string' ? env.get(id) : undefined;
    if (!parent || !env.visible(parent)) return null;
    fields = parent.fields;
    current = hop.target;
  }
  return fieldValue(env.schema, env.get, current, fields, p.field.name);
}

function recordUrl(env: QueryEnv, type: string, id: unknown): string {
  return `/services/data/v${env.apiVersion}/sobjects/${type}/${String(id)}`;
}

// ---------------------------------------------------------------- WHERE

type Pred = (rec: StoredRecord) => boolean;

function literal(raw: string, type: string | undefined): unknown {
  if (type === 'STRING') return raw.slice(1, -1).replace(/\\(.)/g, '$1');
  if (type === 'NULL') return null;
  if (type === 'BOOLEAN') return raw.toUpperCase() === 'TRUE';
  if (type === 'INTEGER' || type === 'DECIMAL') return Number(raw);
  if (type?.endsWith('WITH_CURRENCY_PREFIX')) return Number(raw.replace(/^[A-Z]{3}/, ''));
  return raw;
}

/** Comparable form of a stored value of field `f` (case-insensitive text, epoch ms dates). */
function comparable(f: FieldDef, v: unknown): string | number | boolean | null {
  if (v === null || v === undefined || v === '') return null;
  if (f.type === 'date' || f.type === 'datetime') {
    const s = String(v);
    return f.type === 'date' ? Date.parse(s.slice(0, 10)) : parseDateTime(s);
  }
  if (f.type === 'id' || f.type === 'reference') return normalizeId(String(v)) ?? String(v);
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  return String(v).toLowerCase();
}

function likeRegex(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(`^${escaped}$`, 'is');
}

type Condition = {
  field?: string;
  operator: string;
  value?: string | string[];
  literalType?: string | string[];
  valueQuery?: Query;
  fn?: unknown;
};

function compileCondition(
  c: Compiler,
  env: QueryEnv,
  soql: string,
  obj: ObjectDef,
  cond: Condition,
  alias?: string,
): Pred {
  if (!cond.field) throw malformed(soql, 'unexpected token: function in WHERE');
  const p = c.path(obj, cond.field, alias);
  const f = p.field;
  const op = cond.operator.toUpperCase();
  const get = (rec: StoredRecord) => comparable(f, valueAt(env, rec, obj, p));

  if (cond.valueQuery) {
    const inner = runParsed(env, soql, cond.valueQuery, false);
    const values = new Set(
      inner.records.map((r) => {
        const key = Object.keys(r).find((k) => k !== 'attributes');
        return comparable(f, key ? r[key] : null);
      }),
    );
    return op === 'NOT IN' ? (rec) => !values.has(get(rec)) : (rec) => values.has(get(rec));
  }

  const types = Array.isArray(cond.literalType) ? cond.literalType : [cond.literalType];
  const raws = Array.isArray(cond.value) ? cond.value : [cond.value ?? ''];
  const dateRanges = raws.map((raw, i) => {
    const t = types[i] ?? types[0];
    return t === 'DATE_LITERAL' || t === 'DATE_N_LITERAL'
      ? dateLiteralRange(raw, env.now)
      : undefined;
  });
  if (dateRanges.some((r, i) => !r && (types[i] ?? types[0])?.startsWith('DATE_'))) {
    throw malformed(soql, `unexpected token: '${raws.join(',')}'`);
  }
  const values = raws.map((raw, i) => {
    const t = types[i] ?? types[0];
    if (t === 'DATE' || t === 'DATETIME') return comparable(f, raw);
    return comparable(f, literal(raw, t));
  });

  if (op === 'IN' || op === 'NOT IN') {
    const set = new Set(values);
    return op === 'IN' ? (rec) => set.has(get(rec)) : (rec) => !set.has(get(rec));
  }
  if (op === 'INCLUDES' || op === 'EXCLUDES') {
    const wanted = values.map((v) => String(v).split(';'));
    const test = (rec: StoredRecord) => {
      const have = String(get(rec) ?? '').split(';');
      return wanted.some((set) => set.every((w) => have.includes(w)));
    };
    return op === 'INCLUDES' ? test : (rec) => !test(rec);
  }
  if (op === 'LIKE') {
    const re = likeRegex(String(literal(raws[0] ?? "''", 'STRING')));
    return (rec) => {
      const v = get(rec);
      return v !== null && re.test(String(v));
    };
  }
  const range = dateRanges[0];
  if (range) {
    return (rec) => {
      const v = get(rec);
      if (typeof v !== 'number') return op === '!=';
      switch (op) {
        case '=':
          return v >= range.start && v < range.end;
        case '!=':
          return v < range.start || v >= range.end;
        case '<':
          return v < range.start;
        case '<=':
          return v < range.end;
        case '>':
          return v >= range.end;
        default:
          return v >= range.start;
      }
    };
  }
  const target = values[0] ?? null;
  return (rec) => {
    const v = get(rec);
    if (op === '=') return v === target;
    if (op === '!=') return v !== target;
    if (v === null || target === null) return false;
    switch (op) {
      case '<':
        return v < target;
      case '<=':
        return v <= target;
      case '>':
        return v > target;
      default:
        return v >= target;
    }
  };
}

type Tok = { kind: '(' | ')' | 'AND' | 'OR' | 'NOT' } | { kind: 'pred'; pred: Pred };

/**
 * soql-parser-js gives WHERE as a right-leaning chain with paren counts on conditions;
 * flatten it to tokens and parse again with SOQL precedence (NOT > AND > OR).
 */
function compileWhere(
  c: Compiler,
  env: QueryEnv,
  soql: string,
  obj: ObjectDef,
  where: WhereClause,
  alias?: string,
): Pred {
  const toks: Tok[] = [];
  let node: WhereClause | undefined = where;
  while (node) {
    const left = node.left as (Condition & { openParen?: number; closeParen?: number }) | null;
    const op = (node as { operator?: string }).operator;
    if (left) {
      for (let i = 0; i < (left.openParen ?? 0); i++) toks.push({ kind: '(' });
      if (left.operator !== undefined) {
        toks.push({ kind: 'pred', pred: compileCondition(c, env, soql, obj, left, alias) });
      }
      for (let i = 0; i < (left.closeParen ?? 0); i++) toks.push({ kind: ')' });
    }
    if (op === 'AND' || op === 'OR' || op === 'NOT') toks.push({ kind: op });
    node = (node as { right?: WhereClause }).right;
  }
  let pos = 0;
  const peek = () => toks[pos]?.kind;
  const orExpr = (): Pred => {
    let left = andExpr();
    while (peek() === 'OR') {
      pos++;
      const l = left;
      const r = andExpr();
      left = (rec) => l(rec) || r(rec);
    }
    return left;
  };
  const andExpr = (): Pred => {
    let left = notExpr();
    while (peek() === 'AND') {
      pos++;
      const l = left;
      const r = notExpr();
      left = (rec) => l(rec) && r(rec);
    }
    return left;
  };
  const notExpr = (): Pred => {
    if (peek() === 'NOT') {
      pos++;
      const inner = notExpr();
      return (rec) => !inner(rec);
    }
    const tok = toks[pos++];
    if (tok?.kind === '(') {
      const inner = orExpr();
      if (toks[pos++]?.kind !== ')') throw malformed(soql, 'unexpected token: missing )');
      return inner;
    }
    if (tok?.kind === 'pred') return tok.pred;
    throw malformed(soql, 'unexpected token in WHERE');
  };
  const pred = orExpr();
  if (pos !== toks.length) throw malformed(soql, 'unexpected token in WHERE');
  return pred;
}

// ---------------------------------------------------------------- SELECT

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
  c: Compiler,
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
  return {
    obj,
    ...(q.where ? { where: compileWhere(c, env, soql, obj, q.where, alias) } : {}),
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
  c: Compiler,
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
  const c = new Compiler(env, soql);
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
