// WHERE: compiles a SOQL condition tree into a predicate over stored records (comparisons,
// IN / NOT IN with semi-joins, INCLUDES / EXCLUDES, LIKE, date literals; NOT > AND > OR).
// Separate from the engine because it is the largest single clause; a semi-join's inner query
// comes back through the `semiJoin` callback, so this module does not import the engine.
import type { Query, WhereClause } from 'soql-parser-js';
import type { SRecord, StoredRecord } from '../data/record-store';
import type { ObjectDef } from '../schema/types';
import { dateLiteralRange } from './date-literals';
import { comparable, valueAt, type PathResolver, type QueryEnv } from './field-paths';
import { malformed } from './query-errors';

export type Pred = (rec: StoredRecord) => boolean;

/** Runs the inner query of `Field IN (SELECT …)` and answers its rows. */
export type SemiJoin = (inner: Query) => SRecord[];

function literal(raw: string, type: string | undefined): unknown {
  if (type === 'STRING') return raw.slice(1, -1).replace(/\\(.)/g, '$1');
  if (type === 'NULL') return null;
  if (type === 'BOOLEAN') return raw.toUpperCase() === 'TRUE';
  if (type === 'INTEGER' || type === 'DECIMAL') return Number(raw);
  if (type?.endsWith('WITH_CURRENCY_PREFIX')) return Number(raw.replace(/^[A-Z]{3}/, ''));
  return raw;
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
  c: PathResolver,
  env: QueryEnv,
  soql: string,
  obj: ObjectDef,
  cond: Condition,
  alias: string | undefined,
  semiJoin: SemiJoin,
): Pred {
  if (!cond.field) throw malformed(soql, 'unexpected token: function in WHERE');
  const p = c.path(obj, cond.field, alias);
  const f = p.field;
  const op = cond.operator.toUpperCase();
  const get = (rec: StoredRecord) => comparable(f, valueAt(env, rec, obj, p));

  if (cond.valueQuery) {
    const values = new Set(
      semiJoin(cond.valueQuery).map((r) => {
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
export function compileWhere(
  c: PathResolver,
  env: QueryEnv,
  soql: string,
  obj: ObjectDef,
  where: WhereClause,
  alias: string | undefined,
  semiJoin: SemiJoin,
): Pred {
  const toks: Tok[] = [];
  let node: WhereClause | undefined = where;
  while (node) {
    const left = node.left as (Condition & { openParen?: number; closeParen?: number }) | null;
    const op = (node as { operator?: string }).operator;
    if (left) {
      for (let i = 0; i < (left.openParen ?? 0); i++) toks.push({ kind: '(' });
      if (left.operator !== undefined) {
        toks.push({
          kind: 'pred',
          pred: compileCondition(c, env, soql, obj, left, alias, semiJoin),
        });
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
