import type { AccessChecker } from '../data/permissions';
import { fieldValue, type RecordGetter } from '../data/record-paths';
import type { SRecord, StoredRecord } from '../data/record-store';
import { fieldOf, type ObjectDef, type Schema } from '../schema/types';
import { SalesforceError } from './errors';

/** A record as `GET /sobjects/{type}/{id}` returns it: attributes, then readable fields. */
export function recordJson(
  schema: Schema,
  get: RecordGetter,
  access: AccessChecker,
  base: string,
  obj: ObjectDef,
  rec: StoredRecord,
  only?: string[],
): SRecord {
  const out: SRecord = {
    attributes: { type: obj.name, url: `${base}/sobjects/${obj.name}/${String(rec.fields.Id)}` },
  };
  const fields = only
    ? only.map((name) => {
        const f = fieldOf(obj, name);
        if (!f || !access.fieldReadable(obj, f)) {
          throw new SalesforceError(
            400,
            'INVALID_FIELD',
            `No such column '${name}' on entity '${obj.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
          );
        }
        return f;
      })
    : [...obj.fields.values()].filter((f) => access.fieldReadable(obj, f));
  for (const f of fields) out[f.name] = fieldValue(schema, get, obj, rec.fields, f.name);
  return out;
}
