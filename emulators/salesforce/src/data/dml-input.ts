// Reading a DML request body: maps its keys to the object's canonical fields, enforcing field
// existence, field-level security, createable/updateable and types, and checks each reference
// it sets. Separate from the write paths because it is the input side of every insert and update.
import { fieldOf, type FieldDef, type ObjectDef } from '../schema/types';
import { SalesforceError } from '../rest/errors';
import { coerceFieldValue } from './coerce';
import type { DmlContext } from './dml-context';
import type { SRecord } from './record-store';

/** Maps request keys to canonical fields, enforcing existence, FLS and types. */
export function readInput(
  ctx: DmlContext,
  obj: ObjectDef,
  input: SRecord,
  mode: 'create' | 'update',
): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, raw] of Object.entries(input)) {
    if (key === 'attributes') continue;
    if (key.toLowerCase() === 'id' && mode === 'update') continue;
    const f = fieldOf(obj, key);
    if (!f || !ctx.access.fieldReadable(obj, f)) {
      throw new SalesforceError(
        400,
        'INVALID_FIELD',
        `No such column '${key}' on sobject of type ${obj.name}`,
      );
    }
    const allowed = mode === 'create' ? f.createable : f.updateable;
    if (!allowed || !ctx.access.fieldEditable(obj, f)) {
      throw new SalesforceError(
        400,
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${f.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        [f.name],
      );
    }
    const value = coerceFieldValue(f, raw);
    if (f.type === 'reference' && typeof value === 'string') checkReference(ctx, f, value);
    out.set(f.name, value);
  }
  return out;
}

function checkReference(ctx: DmlContext, f: FieldDef, id: string): void {
  const target = ctx.tx.get(id);
  const prefixObj = ctx.schema.objectByPrefix(id.slice(0, 3));
  const allowed = (f.referenceTo ?? []).map((n) => n.toLowerCase());
  if (prefixObj && !allowed.includes(prefixObj.name.toLowerCase())) {
    throw new SalesforceError(
      400,
      'FIELD_INTEGRITY_EXCEPTION',
      `${f.label}: id value of incorrect type: ${id}`,
      [f.name],
    );
  }
  if (!target) {
    throw new SalesforceError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [
      f.name,
    ]);
  }
  if (target.deleted)
    throw new SalesforceError(400, 'ENTITY_IS_DELETED', 'entity is deleted', [f.name]);
  const permitted = f.masterDetail
    ? ctx.sharing.canParent(id, f.writeRequiresMasterRead === true)
    : ctx.sharing.canRead(target);
  if (!permitted) {
    throw new SalesforceError(
      400,
      'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
      'insufficient access rights on cross-reference id',
      [f.name],
    );
  }
}
