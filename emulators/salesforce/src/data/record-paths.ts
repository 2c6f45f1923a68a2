import { compileFormula, FormulaError, type FormulaValue } from './formula';
import type { SRecord, StoredRecord } from './record-store';
import { fieldOf, relationshipField, type ObjectDef, type Schema } from '../schema/types';

export type RecordGetter = (id: string) => StoredRecord | undefined;

/** The user a formula runs as, for `$Permission.<Name>`. */
export interface RunningUser {
  customPermission(name: string): boolean;
}

const compiled = new Map<string, ReturnType<typeof compileFormula>>();
const warned = new Set<string>();

/** Compiles once per formula text; an unsupported formula is reported once and yields null. */
export function formulaFor(src: string): ReturnType<typeof compileFormula> | undefined {
  let fn = compiled.get(src);
  if (fn) return fn;
  try {
    fn = compileFormula(src);
  } catch (error) {
    if (!warned.has(src) && error instanceof FormulaError) {
      warned.add(src);
      console.warn(`salesforce emulator: unsupported formula ignored (${error.message}): ${src}`);
    }
    return undefined;
  }
  compiled.set(src, fn);
  return fn;
}

/**
 * Evaluates a formula against one record, following lookups (`Account.BillingCountry`,
 * `Co_Sell_Customer_Contact__r.Email`) through `get`.
 */
export function evaluateOn(
  schema: Schema,
  get: RecordGetter,
  obj: ObjectDef,
  fields: SRecord,
  src: string,
  user?: RunningUser,
): FormulaValue {
  const fn = formulaFor(src);
  if (!fn) return null;
  try {
    return fn((path) =>
      path[0]?.toLowerCase() === '$permission'
        ? (user?.customPermission(path[1] ?? '') ?? false)
        : resolvePath(schema, get, obj, fields, path),
    );
  } catch (error) {
    if (error instanceof FormulaError) return null;
    throw error;
  }
}

export function resolvePath(
  schema: Schema,
  get: RecordGetter,
  obj: ObjectDef,
  fields: SRecord,
  path: string[],
  depth = 0,
): FormulaValue {
  const [head, ...rest] = path;
  if (head === undefined || depth > 5) return null;
  if (rest.length === 0) return fieldValue(schema, get, obj, fields, head, depth);
  const rel = relationshipField(obj, head);
  const parentId = rel ? fields[rel.name] : undefined;
  if (!rel || typeof parentId !== 'string') return null;
  const parent = get(parentId);
  const parentObj = parent && schema.object(parent.object);
  if (!parent || !parentObj) return null;
  return resolvePath(schema, get, parentObj, parent.fields, rest, depth + 1);
}

/** A field's value as formulas see it; formula fields are computed on read. */
export function fieldValue(
  schema: Schema,
  get: RecordGetter,
  obj: ObjectDef,
  fields: SRecord,
  name: string,
  depth = 0,
): FormulaValue {
  const f = fieldOf(obj, name);
  if (!f) return null;
  if (f.formula) {
    return depth > 5 ? null : evaluateOn(schema, get, obj, fields, f.formula);
  }
  const v = fields[f.name];
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return null;
}
