// The DML write paths as REST answers them: insert (and platform-event publish), update,
// delete with cascades, upsert by external id, each in the order of its steps, with the standard
// derived values. The context a write runs in (dml-context.ts), input reading (dml-input.ts),
// the save checks (dml-rules.ts), roll-ups (rollups.ts) and external id lookups
// (external-ids.ts) are modules of their own.
import { randomUUID } from 'node:crypto';
import { restDateTime } from '../clock';
import { SalesforceError } from '../rest/errors';
import { OPPORTUNITY_STAGES } from '../schema/standard-objects';
import { fieldOf, type ObjectDef } from '../schema/types';
import { syncCountries } from './country-picklists';
import {
  changedFieldNames,
  liveRecord,
  objectOrThrow,
  touch,
  type DmlContext,
} from './dml-context';
import { readInput } from './dml-input';
import {
  checkRequired,
  checkUnique,
  requireAccess,
  requireRecordEdit,
  runValidationRules,
} from './dml-rules';
import { externalIdField, findByExternalId } from './external-ids';
import type { SRecord, StoredRecord } from './record-store';
import { recomputeParents } from './rollups';

/** Standard derived values: Opportunity stage semantics, Contact/User full names. */
function derive(obj: ObjectDef, fields: SRecord, explicit: Map<string, unknown>, isNew: boolean) {
  syncCountries(obj, fields, explicit);
  if (obj.name === 'Opportunity' && (isNew || explicit.has('StageName'))) {
    const stage = OPPORTUNITY_STAGES.find(([s]) => s === fields.StageName);
    if (stage) {
      const [, probability, isClosed, isWon, forecast] = stage;
      fields.IsClosed = isClosed;
      fields.IsWon = isWon;
      if (!explicit.has('Probability')) fields.Probability = probability;
      if (!explicit.has('ForecastCategoryName')) fields.ForecastCategoryName = forecast;
    }
  }
  if ((obj.name === 'Contact' || obj.name === 'User') && fieldOf(obj, 'Name')) {
    fields.Name = [fields.FirstName, fields.LastName].filter(Boolean).join(' ') || null;
  }
}

/**
 * Publishing a platform event ("Publish Event Messages with Salesforce APIs"): validated like a
 * record (lengths, required fields), never stored, queued on the transaction for delivery.
 */
function publishEvent(ctx: DmlContext, obj: ObjectDef, explicit: Map<string, unknown>): string {
  const id = ctx.tx.store.nextId(obj.keyPrefix);
  const fields: SRecord = {};
  for (const f of obj.fields.values()) if (f.custom) fields[f.name] = f.defaultValue ?? null;
  for (const [k, v] of explicit) fields[k] = v;
  checkRequired(obj, fields);
  Object.assign(fields, {
    CreatedDate: restDateTime(ctx.tx.now),
    CreatedById: ctx.userId,
    EventUuid: randomUUID(),
  });
  const event = { object: obj.name, fields };
  if (obj.platformEvent?.publishBehavior === 'PublishAfterCommit') ctx.tx.publish(event);
  else ctx.tx.immediate.push(event);
  return id;
}

export function insertRecord(ctx: DmlContext, objectName: string, input: SRecord): string {
  const obj = objectOrThrow(ctx, objectName);
  requireAccess(ctx, obj, 'create');
  const explicit = readInput(ctx, obj, input, 'create');
  if (obj.platformEvent) return publishEvent(ctx, obj, explicit);
  const id = ctx.tx.store.nextId(obj.keyPrefix);
  const fields: SRecord = {};
  for (const f of obj.fields.values()) {
    if (f.formula) continue;
    const dflt = f.defaultValue === '$User' ? ctx.userId : f.defaultValue;
    fields[f.name] = dflt ?? (f.type === 'boolean' ? false : null);
  }
  for (const f of obj.fields.values()) {
    if (f.rollup) fields[f.name] = f.rollup.operation === 'count' ? 0 : null;
  }
  for (const [k, v] of explicit) fields[k] = v;
  const now = restDateTime(ctx.tx.now);
  Object.assign(fields, {
    Id: id,
    IsDeleted: false,
    CreatedDate: now,
    CreatedById: ctx.userId,
  });
  touch(ctx, fields);
  derive(obj, fields, explicit, true);
  const nameField = fieldOf(obj, 'Name');
  if (nameField?.autoNumberFormat) {
    const n = ctx.tx.store.nextAutoNumber(obj.name);
    fields.Name = nameField.autoNumberFormat.replace(/\{(0+)\}/, (_, zeros: string) =>
      String(n).padStart(zeros.length, '0'),
    );
  }
  checkRequired(obj, fields);
  checkUnique(ctx, obj, fields);
  runValidationRules(ctx, obj, fields);
  ctx.tx.stage({ object: obj.name, fields, deleted: false }, 'CREATE');
  recomputeParents(ctx, obj, {}, fields);
  return id;
}

export function updateRecord(
  ctx: DmlContext,
  id: string,
  input: SRecord,
  objectName?: string,
): void {
  const existing = liveRecord(ctx, id, objectName);
  const obj = objectOrThrow(ctx, existing.object);
  requireAccess(ctx, obj, 'edit');
  requireRecordEdit(ctx, existing);
  const explicit = readInput(ctx, obj, input, 'update');
  const fields: SRecord = { ...existing.fields };
  for (const [k, v] of explicit) fields[k] = v;
  touch(ctx, fields);
  derive(obj, fields, explicit, false);
  checkRequired(obj, fields);
  checkUnique(ctx, obj, fields);
  runValidationRules(ctx, obj, fields);
  ctx.tx.stage(
    { object: obj.name, fields, deleted: false },
    'UPDATE',
    changedFieldNames(existing.fields, fields),
  );
  recomputeParents(ctx, obj, existing.fields, fields);
}

export function deleteRecord(ctx: DmlContext, id: string, objectName?: string): void {
  const existing = liveRecord(ctx, id, objectName);
  const obj = objectOrThrow(ctx, existing.object);
  requireAccess(ctx, obj, 'delete');
  requireRecordEdit(ctx, existing);
  deleteCascade(ctx, obj, existing);
  recomputeParents(ctx, obj, existing.fields, {});
}

function deleteCascade(ctx: DmlContext, obj: ObjectDef, rec: StoredRecord): void {
  const id = rec.fields.Id as string;
  for (const rel of obj.childRelationships) {
    if (!rel.cascadeDelete) continue;
    for (const child of [...ctx.tx.records(rel.childSObject)]) {
      if (!child.deleted && child.fields[rel.field] === id) {
        const childObj = ctx.schema.object(child.object);
        if (childObj) deleteCascade(ctx, childObj, child);
      }
    }
  }
  const fields = { ...rec.fields, IsDeleted: true };
  touch(ctx, fields);
  ctx.tx.stage({ object: obj.name, fields, deleted: true }, 'DELETE');
}

/** Upsert by external id: create when no match, update one match, 300 for several. */
export function upsertRecord(
  ctx: DmlContext,
  objectName: string,
  fieldName: string,
  value: string,
  input: SRecord,
): { id: string; created: boolean } {
  const obj = objectOrThrow(ctx, objectName);
  const f = externalIdField(ctx, obj, fieldName);
  const matches = findByExternalId(ctx, obj, f, value);
  if (matches.length > 1) {
    throw new SalesforceError(
      300,
      'MULTIPLE_CHOICES',
      `Multiple records found with ${f.name} = ${value}`,
    );
  }
  const body = { ...input };
  for (const k of Object.keys(body)) if (k.toLowerCase() === f.name.toLowerCase()) delete body[k];
  const match = matches[0];
  if (match) {
    updateRecord(ctx, match.fields.Id as string, body);
    return { id: match.fields.Id as string, created: false };
  }
  return { id: insertRecord(ctx, obj.name, { ...body, [f.name]: value }), created: true };
}
