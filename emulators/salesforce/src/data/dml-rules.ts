// The checks a save must pass before it is staged, in Salesforce's words: object and record
// access, required fields, unique fields, active validation rules. Separate from the write paths
// (dml.ts) that run them in order; a roll-up's save of its master (rollups.ts) runs only the
// validation rules.
import { SalesforceError } from '../rest/errors';
import type { ObjectDef } from '../schema/types';
import type { DmlContext } from './dml-context';
import { evaluateOn } from './record-paths';
import type { SRecord, StoredRecord } from './record-store';

export function requireAccess(
  ctx: DmlContext,
  obj: ObjectDef,
  op: 'create' | 'edit' | 'delete',
): void {
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

/** Read/Write on this record (owner, OWD, Modify All, master), else Salesforce's refusal. */
export function requireRecordEdit(ctx: DmlContext, rec: StoredRecord): void {
  if (!ctx.sharing.canEdit(rec)) {
    throw new SalesforceError(
      400,
      'INSUFFICIENT_ACCESS_OR_READONLY',
      'insufficient access rights on object id',
    );
  }
}

export function checkRequired(obj: ObjectDef, fields: SRecord): void {
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

export function checkUnique(ctx: DmlContext, obj: ObjectDef, fields: SRecord): void {
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

export function runValidationRules(ctx: DmlContext, obj: ObjectDef, fields: SRecord): void {
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
