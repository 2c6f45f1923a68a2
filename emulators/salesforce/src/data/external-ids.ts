// External id lookups: the field an upsert or a GET by external id names, and the live records
// whose value matches. Separate from the write paths because REST reads use them too.
import { SalesforceError } from '../rest/errors';
import { fieldOf, type FieldDef, type ObjectDef } from '../schema/types';
import type { DmlContext } from './dml-context';
import type { StoredRecord } from './record-store';

/** Live records whose external id field equals `value` (case-insensitive unless declared). */
export function findByExternalId(
  ctx: DmlContext,
  obj: ObjectDef,
  f: FieldDef,
  value: string,
): StoredRecord[] {
  const key = f.caseSensitive ? value : value.toLowerCase();
  return [...ctx.tx.records(obj.name)].filter((r) => {
    const v = r.fields[f.name];
    if (r.deleted || v === null || v === undefined || !ctx.sharing.canRead(r)) return false;
    return (f.caseSensitive ? String(v) : String(v).toLowerCase()) === key;
  });
}

export function externalIdField(
  ctx: Pick<DmlContext, 'schema' | 'access'>,
  obj: ObjectDef,
  name: string,
): FieldDef {
  const f = fieldOf(obj, name);
  if (!f || !ctx.access.fieldReadable(obj, f) || !(f.externalId || f.name === 'Id')) {
    throw new SalesforceError(
      404,
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${name}`,
    );
  }
  return f;
}
