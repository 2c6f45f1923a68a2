// What every step of a DML call shares: the call's context (who, which schema, which
// transaction), finding its target object and live record as REST answers, and stamping a save
// (audit fields, the changed-field list of its change event). Separate so that the write paths
// (dml.ts), their checks and roll-up recalculation (rollups.ts) share one copy.
import { restDateTime } from '../clock';
import { notFound, entityIsDeleted, SalesforceError } from '../rest/errors';
import type { ObjectDef, Schema } from '../schema/types';
import type { AccessChecker } from './permissions';
import type { RecordSharing } from './sharing';
import type { SRecord, StoredRecord, Transaction } from './record-store';

/** Everything one DML call needs: who, in which schema, inside which transaction. */
export interface DmlContext {
  schema: Schema;
  access: AccessChecker;
  /** Record-level access: what this user may see and change (data/sharing.ts). */
  sharing: RecordSharing;
  userId: string;
  tx: Transaction;
}

export function objectOrThrow(ctx: Pick<DmlContext, 'schema' | 'access'>, name: string): ObjectDef {
  const obj = ctx.schema.object(name);
  if (!obj || !ctx.access.object(obj, 'read')) {
    throw new SalesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');
  }
  return obj;
}

/** The live record `id`, or NOT_FOUND / ENTITY_IS_DELETED as REST answers. */
export function liveRecord(ctx: DmlContext, id: string, objectName?: string): StoredRecord {
  const rec = ctx.tx.get(id);
  if (!rec || (objectName && rec.object.toLowerCase() !== objectName.toLowerCase())) {
    throw notFound();
  }
  // A record the user may not see is answered as one that does not exist.
  if (!ctx.sharing.canRead(rec)) throw notFound();
  if (rec.deleted) throw entityIsDeleted();
  return rec;
}

export function touch(ctx: DmlContext, fields: SRecord): void {
  const now = restDateTime(ctx.tx.now);
  fields.LastModifiedDate = now;
  fields.SystemModstamp = now;
  fields.LastModifiedById = ctx.userId;
}

export function changedFieldNames(before: SRecord, after: SRecord): string[] {
  const changed = Object.keys(after).filter(
    (k) => k !== 'SystemModstamp' && k !== 'LastModifiedDate' && before[k] !== after[k],
  );
  return [...changed, 'LastModifiedDate'];
}
