import { randomUUID } from 'node:crypto';
import { restDateTime } from '../clock';
import { notFound, entityIsDeleted, SalesforceError } from '../rest/errors';
import { OPPORTUNITY_STAGES } from '../schema/standard-objects';
import { fieldOf, type FieldDef, type ObjectDef, type Schema } from '../schema/types';
import { coerceFieldValue } from './coerce';
import type { AccessChecker } from './permissions';
import type { RecordSharing } from './sharing';
import { syncCountries } from './country-picklists';
import { evaluateOn } from './record-paths';
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

const SYSTEM_FIELDS = new Set([
  'Id',
  'IsDeleted',
  'CreatedDate',
  'CreatedById',
  'LastModifiedDate',
  'LastModifiedById',
  'SystemModstamp',
]);

export function objectOrThrow(ctx: Pick<DmlContext, 'schema' | 'access'>, name: string): ObjectDef {
  const obj = ctx.schema.object(name);
  if (!obj || !ctx.access.object(obj, 'read')) {
    throw new SalesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');
  }
  return obj;
}

function requireAccess(ctx: DmlContext, obj: ObjectDef, op: 'create' | 'edit' | 'delete'): void {
  // Custom metadata records change only through a metadata deploy, for administrators too.
  if (obj.customMetadata) {
    const verb = op === 'create' ? 'inserted' : op === 'edit' ? 'updated' : 'deleted';
    throw new SalesforceError(
      400,
      'INVALID_TYPE_FOR_OPERATION',
      `entity type cannot be ${verb}: ${obj.name}`,
    );
  }
  if (!ctx.access.object(obj, op)) {
    throw new SalesforceError(
      400,
      'INSUFFICIENT_ACCESS_OR_READONLY',
      `insufficient access rights on object id`,
    );
  }
}

/** Maps request keys to canonical fields, enforcing existence, FLS and types. */
function readInput(
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

function checkRequired(obj: ObjectDef, fields: SRecord): void {
  const missing = [...obj.fields.values()]
    .filter((f) => f.required && (fields[f.name] === null || fields[f.name] === undefined))
    .map((f) => f.name);
  if (missing.length) {
    throw new SalesforceError(
      400,
      'REQUIRED_FIELD_MISSING',
      `Required fields are missing: [${missing.join(', ')}]`,
      missing,
    );
  }
}

function checkUnique(ctx: DmlContext, obj: ObjectDef, fields: SRecord): void {
  for (const f of obj.fields.values()) {
    if (!f.unique) continue;
    const v = fields[f.name];
    if (v === null || v === undefined) continue;
    const key = f.caseSensitive ? String(v) : String(v).toLowerCase();
    for (const other of ctx.tx.records(obj.name)) {
      if (other.deleted || other.fields.Id === fields.Id) continue;
      const ov = other.fields[f.name];
      if (ov === null || ov === undefined) continue;
      if ((f.caseSensitive ? String(ov) : String(ov).toLowerCase()) === key) {
        throw new SalesforceError(
          400,
          'DUPLICATE_VALUE',
          `duplicate value found: ${f.name} duplicates value on record with id: ${String(other.fields.Id)}`,
          [],
        );
      }
    }
  }
}

function runValidationRules(ctx: DmlContext, obj: ObjectDef, fields: SRecord): void {
  for (const rule of obj.validationRules) {
    if (!rule.active) continue;
    const get = (id: string) => ctx.tx.get(id);
    const result = evaluateOn(ctx.schema, get, obj, fields, rule.formula, ctx.access);
    if (result === true) {
      throw new SalesforceError(
        400,
        'FIELD_CUSTOM_VALIDATION_EXCEPTION',
        rule.errorMessage,
        rule.errorDisplayField ? [rule.errorDisplayField] : [],
      );
    }
  }
}

function touch(ctx: DmlContext, fields: SRecord): void {
  const now = restDateTime(ctx.tx.now);
  fields.LastModifiedDate = now;
  fields.SystemModstamp = now;
  fields.LastModifiedById = ctx.userId;
}

function changedFieldNames(before: SRecord, after: SRecord): string[] {
  const changed = Object.keys(after).filter(
    (k) => k !== 'SystemModstamp' && k !== 'LastModifiedDate' && before[k] !== after[k],
  );
  return [...changed, 'LastModifiedDate'];
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

/** Read/Write on this record (owner, OWD, Modify All, master), else Salesforce's refusal. */
function requireRecordEdit(ctx: DmlContext, rec: StoredRecord): void {
  if (!ctx.sharing.canEdit(rec)) {
    throw new SalesforceError(
      400,
      'INSUFFICIENT_ACCESS_OR_READONLY',
      'insufficient access rights on object id',
    );
  }
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

/**
 * Roll-up summaries: a child write recalculates each master's summary fields; the master is
 * then saved like any update (validation rules, a change event), as Salesforce does.
 */
function recomputeParents(ctx: DmlContext, child: ObjectDef, before: SRecord, after: SRecord) {
  for (const f of child.fields.values()) {
    if (!f.masterDetail) continue;
    const ids = new Set([before[f.name], after[f.name]].filter((v) => typeof v === 'string'));
    for (const parentId of ids as Set<string>) recomputeRollups(ctx, parentId);
  }
}

function recomputeRollups(ctx: DmlContext, parentId: string): void {
  const parent = ctx.tx.get(parentId);
  if (!parent || parent.deleted) return;
  const obj = ctx.schema.object(parent.object);
  if (!obj) return;
  const fields: SRecord = { ...parent.fields };
  let changed = false;
  for (const f of obj.fields.values()) {
    if (!f.rollup) continue;
    const { childObject, foreignKey, operation, summarizedField } = f.rollup;
    const children = [...ctx.tx.records(childObject)].filter(
      (c) => !c.deleted && c.fields[foreignKey] === parentId,
    );
    const values = children
      .map((c) => (summarizedField ? c.fields[summarizedField] : 1))
      .filter((v): v is number => typeof v === 'number');
    const value =
      operation === 'count'
        ? children.length
        : operation === 'sum'
          ? values.reduce((a, b) => a + b, 0)
          : values.length
            ? (operation === 'min' ? Math.min : Math.max)(...values)
            : null;
    if (fields[f.name] !== value) {
      fields[f.name] = value;
      changed = true;
    }
  }
  if (!changed) return;
  touch(ctx, fields);
  runValidationRules(ctx, obj, fields);
  ctx.tx.stage(
    { object: obj.name, fields, deleted: false },
    'UPDATE',
    changedFieldNames(parent.fields, fields),
  );
}

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

export { SYSTEM_FIELDS };
