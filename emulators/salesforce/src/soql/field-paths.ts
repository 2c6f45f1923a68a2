// What a query runs against (QueryEnv) and the field paths it names: resolving `Account.Owner.Name`
// hop by hop against the schema and the user's access, then reading a resolved path from a stored
// record. Separate from the engine because SELECT, WHERE and ORDER BY all resolve and read paths.
import { parseDateTime } from '../clock';
import { normalizeId } from '../data/ids';
import type { AccessChecker } from '../data/permissions';
import { fieldValue, type RecordGetter } from '../data/record-paths';
import type { StoredRecord } from '../data/record-store';
import {
  fieldOf,
  relationshipField,
  type FieldDef,
  type ObjectDef,
  type Schema,
} from '../schema/types';
import { badRelationship, invalidField, invalidType } from './query-errors';

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

/** A resolved field path from an object: relationship fields, then the final field. */
export interface FieldPath {
  hops: Array<{ rel: FieldDef; target: ObjectDef }>;
  field: FieldDef;
  owner: ObjectDef;
}

/** Resolves the objects and field paths of one statement, raising its errors on `soql`. */
export class PathResolver {
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

export function valueAt(env: QueryEnv, rec: StoredRecord, obj: ObjectDef, p: FieldPath): unknown {
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

export function recordUrl(env: QueryEnv, type: string, id: unknown): string {
  return `/services/data/v${env.apiVersion}/sobjects/${type}/${String(id)}`;
}

/** Comparable form of a stored value of field `f` (case-insensitive text, epoch ms dates). */
export function comparable(f: FieldDef, v: unknown): string | number | boolean | null {
  if (v === null || v === undefined || v === '') return null;
  if (f.type === 'date' || f.type === 'datetime') {
    const s = String(v);
    return f.type === 'date' ? Date.parse(s.slice(0, 10)) : parseDateTime(s);
  }
  if (f.type === 'id' || f.type === 'reference') return normalizeId(String(v)) ?? String(v);
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  return String(v).toLowerCase();
}
