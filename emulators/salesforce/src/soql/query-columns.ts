import { parseQuery, type FieldType as SoqlField, type Query, type Subquery } from 'soql-parser-js';
import {
  childRelationship,
  fieldOf,
  relationshipField,
  type FieldDef,
  type ObjectDef,
  type Schema,
} from '../schema/types';

/**
 * `GET /query?q=…&columns=true`: the column metadata of a query instead of its rows, which the
 * Salesforce CLI's `sf data query` reads to lay out its table. Call it only for a query that
 * `runQuery` accepted (the names are known to resolve).
 */
export interface QueryColumn {
  aggregate: boolean;
  apexType: string | null;
  booleanType: boolean;
  columnName: string;
  custom: boolean;
  displayName: string;
  foreignKeyName: string | null;
  insertable: boolean;
  joinColumns: QueryColumn[];
  numberType: boolean;
  textType: boolean;
  updatable: boolean;
}

const APEX_TYPES: Record<string, string> = {
  id: 'Id',
  reference: 'Id',
  boolean: 'Boolean',
  currency: 'Decimal',
  double: 'Double',
  percent: 'Decimal',
  int: 'Integer',
  date: 'Date',
  datetime: 'Datetime',
};

function fieldColumn(f: FieldDef): QueryColumn {
  const apexType = APEX_TYPES[f.type] ?? 'String';
  return {
    aggregate: false,
    apexType,
    booleanType: apexType === 'Boolean',
    columnName: f.name,
    custom: f.custom,
    displayName: f.name,
    foreignKeyName: null,
    insertable: f.createable,
    joinColumns: [],
    numberType: ['Decimal', 'Double', 'Integer'].includes(apexType),
    textType: apexType === 'String',
    updatable: f.updateable,
  };
}

function joinColumn(name: string, inner: QueryColumn[], aggregate = false): QueryColumn {
  return {
    ...fieldColumn({ name, type: 'string', custom: false, createable: false } as FieldDef),
    aggregate,
    apexType: null,
    textType: false,
    displayName: name,
    joinColumns: inner,
  };
}

/** `Account.Owner.Name` from `Opportunity` → nested join columns ending in the field. */
function pathColumn(schema: Schema, obj: ObjectDef, parts: string[]): QueryColumn {
  const [head, ...rest] = parts;
  if (rest.length === 0) {
    const f = fieldOf(obj, head ?? '');
    return f ? fieldColumn(f) : joinColumn(head ?? '', []);
  }
  const rel = relationshipField(obj, head ?? '');
  const target = rel?.referenceTo?.[0] ? schema.object(rel.referenceTo[0]) : undefined;
  const name = rel?.relationshipName ?? head ?? '';
  return joinColumn(name, target ? [pathColumn(schema, target, rest)] : []);
}

function columnsOf(schema: Schema, obj: ObjectDef, q: Query | Subquery): QueryColumn[] {
  const alias = q.sObjectAlias?.toLowerCase();
  let expr = 0;
  return ((q.fields ?? []) as SoqlField[]).map((f) => {
    if (f.type === 'Field' || f.type === 'FieldRelationship') {
      let parts = f.type === 'Field' ? f.field.split('.') : [...f.relationships, f.field];
      if (alias && parts.length > 1 && parts[0]?.toLowerCase() === alias) parts = parts.slice(1);
      return pathColumn(schema, obj, parts);
    }
    if (f.type === 'FieldSubquery') {
      const rel = childRelationship(obj, f.subquery.relationshipName);
      const child = rel ? schema.object(rel.childSObject) : undefined;
      const inner = child ? columnsOf(schema, child, f.subquery) : [];
      return joinColumn(rel?.relationshipName ?? f.subquery.relationshipName, inner, true);
    }
    const display =
      f.type === 'FieldFunctionExpression'
        ? `${f.functionName}(${f.parameters.map(String).join(', ')})`
        : 'expr';
    const named = f.type === 'FieldFunctionExpression' ? f.alias : undefined;
    const column = { ...joinColumn(named ?? `expr${expr}`, []), aggregate: true };
    expr += 1;
    return { ...column, apexType: 'Integer', numberType: true, displayName: display };
  });
}

export function queryColumns(schema: Schema, soql: string) {
  const q = parseQuery(soql);
  const obj = schema.object(q.sObject ?? '');
  if (!obj) return { columnMetadata: [], entityName: q.sObject ?? '', groupBy: false };
  const columns = columnsOf(schema, obj, q);
  return {
    columnMetadata: columns,
    entityName: obj.name,
    groupBy: false,
    idSelected: columns.some((c) => c.columnName === 'Id'),
    keyPrefix: obj.keyPrefix,
  };
}
