import {
  Kind,
  parse,
  type ArgumentNode,
  type FieldNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { SRecord } from '../data/record-store';
import { fieldOf, relationshipField, type ObjectDef, type Schema } from '../schema/types';
import type { QueryEnv } from '../soql/field-paths';
import { runQuery } from '../soql/query-engine';
import { SalesforceError } from './errors';

/**
 * The GraphQL API's record queries (`POST /services/data/vXX.X/graphql`, "GraphQL API Developer
 * Guide": `uiapi { query { <Object>(where, orderBy, first) { edges { node { … } } totalCount } } }`).
 * Each record query is answered through the SOQL engine as the calling user, so object and field
 * security and record sharing are exactly those of REST queries: an object or field the user may
 * not read is undefined in their schema (a validation error), and records they may not see are
 * simply absent. Mutations, cursors (`after`), aggregates and semi-joins are not emulated.
 */

type Json = Record<string, unknown>;
type Variables = Record<string, unknown>;

interface GraphqlError {
  message: string;
  locations?: Array<{ line: number; column: number }>;
  path?: string[] | null;
  extensions: { ErrorType: string; classification: string };
}

class ValidationError extends Error {
  constructor(
    message: string,
    readonly node?: { loc?: { startToken: { line: number; column: number } } },
  ) {
    super(message);
  }
}

const OPERATORS: Record<string, string> = {
  eq: '=',
  ne: '!=',
  lt: '<',
  gt: '>',
  lte: '<=',
  gte: '>=',
  like: 'LIKE',
  in: 'IN',
  nin: 'NOT IN',
};
const MAX_FIRST = 2000;
const DEFAULT_FIRST = 10;

function undefinedField(name: string, type: string, path: string, node?: FieldNode) {
  return new ValidationError(
    `Validation error (FieldUndefined@[${path}]) : Field '${name}' in type '${type}' is undefined`,
    node,
  );
}

function valueOf(node: ValueNode, variables: Variables): unknown {
  switch (node.kind) {
    case Kind.VARIABLE:
      return variables[node.name.value] ?? null;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.STRING:
    case Kind.ENUM:
      return node.value;
    case Kind.BOOLEAN:
      return node.value;
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map((v) => valueOf(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(
        node.fields.map((f) => [f.name.value, valueOf(f.value, variables)]),
      );
  }
}

/** A SOQL literal for `value` compared with field `type` (dates and numbers go unquoted). */
function soqlLiteral(value: unknown, type: string): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `(${value.map((v) => soqlLiteral(v, type)).join(', ')})`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = String(value);
  if (type === 'date' || type === 'datetime') return text;
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

class Translator {
  constructor(
    private readonly schema: Schema,
    private readonly variables: Variables,
    private readonly path: string,
  ) {}

  /** `{ Field: { eq: 1 }, and: [...], or: [...], not: {...} }` → SOQL condition. */
  where(obj: ObjectDef, filter: unknown): string {
    if (typeof filter !== 'object' || filter === null) return '';
    const parts: string[] = [];
    for (const [key, condition] of Object.entries(filter as Json)) {
      if (key === 'and' || key === 'or') {
        const inner = (Array.isArray(condition) ? condition : [condition])
          .map((c) => this.where(obj, c))
          .filter(Boolean);
        if (inner.length) parts.push(`(${inner.join(key === 'and' ? ' AND ' : ' OR ')})`);
        continue;
      }
      if (key === 'not') {
        const inner = this.where(obj, condition);
        if (inner) parts.push(`(NOT ${inner})`);
        continue;
      }
      parts.push(this.comparison(obj, key, condition));
    }
    return parts.join(' AND ');
  }

  private comparison(obj: ObjectDef, key: string, condition: unknown): string {
    const field = fieldOf(obj, key);
    if (field && typeof condition === 'object' && condition !== null) {
      const tests = Object.entries(condition as Json).map(([op, value]) => {
        const soqlOp = OPERATORS[op];
        if (!soqlOp) throw new ValidationError(`Validation error: unknown operator '${op}'`);
        return `${field.name} ${soqlOp} ${soqlLiteral(value, field.type)}`;
      });
      return tests.length === 1 ? (tests[0] ?? '') : `(${tests.join(' AND ')})`;
    }
    const rel = relationshipField(obj, key);
    const target = rel?.referenceTo?.[0] ? this.schema.object(rel.referenceTo[0]) : undefined;
    if (rel && target && typeof condition === 'object' && condition !== null) {
      // A parent filter: `Account: { Name: { eq: "x" } }` → `Account.Name = 'x'`.
      return this.where(target, condition).replace(
        /(^|\(|AND |OR |NOT )([A-Za-z_]\w*) /g,
        `$1${rel.relationshipName}.$2 `,
      );
    }
    throw new ValidationError(
      `Validation error (WrongType@[${this.path}]) : argument 'where' contains a field not in '${obj.name}_Filter': '${key}'`,
    );
  }

  /** Selections of `node { … }` → SOQL field paths. */
  columns(obj: ObjectDef, set: SelectionSetNode | undefined, prefix = ''): string[] {
    const columns: string[] = [];
    for (const sel of set?.selections ?? []) {
      if (sel.kind !== Kind.FIELD || sel.name.value === '__typename') continue;
      const name = sel.name.value;
      const field = name === 'Id' ? fieldOf(obj, 'Id') : fieldOf(obj, name);
      if (field && field.type !== 'reference') {
        columns.push(prefix + field.name);
        continue;
      }
      if (field?.type === 'reference' && !sel.selectionSet?.selections.some(isNested)) {
        columns.push(prefix + field.name);
        continue;
      }
      const rel = relationshipField(obj, name);
      const target = rel?.referenceTo?.[0] ? this.schema.object(rel.referenceTo[0]) : undefined;
      if (!rel || !target) throw undefinedField(name, obj.name, this.path, sel);
      columns.push(...this.columns(target, sel.selectionSet, `${prefix}${rel.relationshipName}.`));
    }
    return columns;
  }
}

const isNested = (sel: SelectionSetNode['selections'][number]) =>
  sel.kind === Kind.FIELD && !['value', 'displayValue', '__typename'].includes(sel.name.value);

function argument(field: FieldNode, name: string): ArgumentNode | undefined {
  return field.arguments?.find((a) => a.name.value === name);
}

function subfield(set: SelectionSetNode | undefined, name: string): FieldNode | undefined {
  return set?.selections.find(
    (s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === name,
  );
}

/** A node as the GraphQL API shapes it: `Id` plain, every other field `{ value, displayValue }`. */
function nodeOf(obj: ObjectDef, schema: Schema, row: SRecord, set: SelectionSetNode): Json {
  const node: Json = {};
  for (const sel of set.selections) {
    if (sel.kind !== Kind.FIELD) continue;
    const key = sel.alias?.value ?? sel.name.value;
    const name = sel.name.value;
    if (name === '__typename') {
      node[key] = obj.name;
      continue;
    }
    const field = fieldOf(obj, name);
    if (name === 'Id' && field) {
      node[key] = row.Id ?? null;
    } else if (field && !(sel.selectionSet?.selections.some(isNested) ?? false)) {
      const value = row[field.name] ?? null;
      const label = field.picklistValues?.find((p) => p.value === value)?.label;
      const cell: Json = {};
      for (const part of sel.selectionSet?.selections ?? []) {
        if (part.kind !== Kind.FIELD) continue;
        const partKey = part.alias?.value ?? part.name.value;
        cell[partKey] = part.name.value === 'value' ? value : (label ?? null);
      }
      node[key] = cell;
    } else {
      const rel = relationshipField(obj, name);
      const target = rel?.referenceTo?.[0] ? schema.object(rel.referenceTo[0]) : undefined;
      const parent = rel?.relationshipName ? (row[rel.relationshipName] as SRecord | null) : null;
      node[key] =
        target && parent && sel.selectionSet
          ? nodeOf(target, schema, parent, sel.selectionSet)
          : null;
    }
  }
  return node;
}

function recordQuery(env: QueryEnv, field: FieldNode, variables: Variables): Json {
  const objectName = field.name.value;
  const path = `uiapi/query/${objectName}`;
  const obj = env.schema.object(objectName);
  if (!obj || obj.platformEvent || !env.access.object(obj, 'read')) {
    throw undefinedField(objectName, 'RecordQuery', 'uiapi/query', field);
  }
  const t = new Translator(env.schema, variables, path);
  const args = (name: string) => {
    const arg = argument(field, name);
    return arg ? valueOf(arg.value, variables) : undefined;
  };
  const edges = subfield(field.selectionSet, 'edges');
  const nodeSel = subfield(edges?.selectionSet, 'node');
  const columns = ['Id', ...t.columns(obj, nodeSel?.selectionSet)];
  const where = t.where(obj, args('where'));
  const orderBy = Object.entries((args('orderBy') as Json | undefined) ?? {}).map(
    ([name, spec]) => {
      const f = fieldOf(obj, name);
      if (!f) throw undefinedField(name, `${obj.name}_OrderBy`, path, field);
      const s = (spec ?? {}) as { order?: string; nulls?: string };
      return `${f.name} ${s.order === 'DESC' ? 'DESC' : 'ASC'}${s.nulls ? ` NULLS ${s.nulls}` : ''}`;
    },
  );
  const first = Math.min(Number(args('first') ?? DEFAULT_FIRST), MAX_FIRST);
  const base = `FROM ${obj.name}${where ? ` WHERE ${where}` : ''}`;
  const soql = `SELECT ${[...new Set(columns)].join(', ')} ${base}${
    orderBy.length ? ` ORDER BY ${orderBy.join(', ')}` : ''
  } LIMIT ${first + 1}`;
  let result;
  try {
    result = runQuery(env, soql, false);
  } catch (error) {
    // A field the user may not read is not in their schema.
    if (error instanceof SalesforceError && error.errorCode === 'INVALID_FIELD') {
      throw new ValidationError(
        `Validation error (FieldUndefined@[${path}]) : ${error.message.split('\n').pop() ?? ''}`,
        field,
      );
    }
    throw error;
  }
  const rows = result.records.slice(0, first);
  const out: Json = {};
  for (const sel of field.selectionSet?.selections ?? []) {
    if (sel.kind !== Kind.FIELD) continue;
    const key = sel.alias?.value ?? sel.name.value;
    if (sel.name.value === 'edges') {
      out[key] = rows.map((row) => ({
        node: nodeSel?.selectionSet ? nodeOf(obj, env.schema, row, nodeSel.selectionSet) : {},
      }));
    } else if (sel.name.value === 'totalCount') {
      out[key] = runQuery(env, `SELECT COUNT() ${base}`, false).totalSize;
    } else if (sel.name.value === 'pageInfo') {
      out[key] = { hasNextPage: result.records.length > first, endCursor: null };
    }
  }
  return out;
}

function objectFields(node: FieldNode | undefined): FieldNode[] {
  return (node?.selectionSet?.selections ?? []).filter(
    (s): s is FieldNode => s.kind === Kind.FIELD,
  );
}

/** Answers one GraphQL request body as the user behind `env`. */
export function answerGraphql(
  env: QueryEnv,
  body: unknown,
): { data: Json | null; errors: GraphqlError[] } {
  const { query, variables = {} } = (body ?? {}) as { query?: unknown; variables?: Variables };
  if (typeof query !== 'string') {
    return { data: null, errors: [error('Invalid Syntax : query is required', 'InvalidSyntax')] };
  }
  let doc;
  try {
    doc = parse(query);
  } catch (e) {
    return {
      data: null,
      errors: [error(`Invalid Syntax : ${(e as Error).message}`, 'InvalidSyntax')],
    };
  }
  const operation = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (
    !operation ||
    operation.kind !== Kind.OPERATION_DEFINITION ||
    operation.operation !== 'query'
  ) {
    return {
      data: null,
      errors: [
        error('This emulator answers GraphQL queries only (no mutations)', 'OperationNotSupported'),
      ],
    };
  }
  try {
    const data: Json = {};
    for (const uiapi of objectFields({ selectionSet: operation.selectionSet } as FieldNode)) {
      if (uiapi.name.value !== 'uiapi') throw undefinedField(uiapi.name.value, 'Query', '', uiapi);
      const uiapiOut: Json = {};
      for (const q of objectFields(uiapi)) {
        if (q.name.value !== 'query') throw undefinedField(q.name.value, 'UIAPI', 'uiapi', q);
        const queryOut: Json = {};
        for (const recordField of objectFields(q)) {
          queryOut[recordField.alias?.value ?? recordField.name.value] = recordQuery(
            env,
            recordField,
            variables,
          );
        }
        uiapiOut[q.alias?.value ?? 'query'] = queryOut;
      }
      data[uiapi.alias?.value ?? 'uiapi'] = uiapiOut;
    }
    return { data, errors: [] };
  } catch (e) {
    if (e instanceof ValidationError) {
      const loc = e.node?.loc?.startToken;
      return {
        data: null,
        errors: [
          {
            ...error(e.message, 'ValidationError'),
            ...(loc ? { locations: [{ line: loc.line, column: loc.column }] } : {}),
          },
        ],
      };
    }
    throw e;
  }
}

function error(message: string, type: string): GraphqlError {
  return { message, path: null, extensions: { ErrorType: type, classification: type } };
}
