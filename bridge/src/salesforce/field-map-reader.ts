/**
 * Reads the admin's field mapping (Co_Sell_Field_Map__mdt) and what Salesforce describes about
 * the fields it names. Custom metadata has no change events and no trigger, so the bridge
 * notices an edit by reading the records again (one query of a few rows): `cosell doctor` and
 * the running bridge call readFieldMapRecords.
 */
import type { DescribeSObjectResult } from 'jsforce';
import {
  type DescribedField,
  FIELD_MAP_RECORD_FIELDS,
  FIELD_MAP_TYPE,
  type FieldMapRecord,
  type FieldMapRule,
  customRules,
} from '../mapping';
import type { SalesforceConnection } from './connection';

export const FIELD_MAP_QUERY = `SELECT ${FIELD_MAP_RECORD_FIELDS.join(', ')} FROM ${FIELD_MAP_TYPE}`;

export async function readFieldMapRecords(
  salesforce: SalesforceConnection,
): Promise<FieldMapRecord[]> {
  const result = await salesforce.run('read the field mapping', async (conn) =>
    conn.query<FieldMapRecord>(FIELD_MAP_QUERY),
  );
  return result.records;
}

function described(result: DescribeSObjectResult): Map<string, DescribedField> {
  return new Map(
    result.fields.map((f) => [
      f.name.toLowerCase(),
      {
        name: f.name,
        type: f.type,
        updateable: f.updateable,
        picklistValues: (f.picklistValues ?? []).filter((p) => p.active).map((p) => p.value),
        relationshipName: f.relationshipName ?? null,
        referenceTo: (f.referenceTo ?? []) as string[],
      },
    ]),
  );
}

/**
 * Describes Opportunity and every object a custom rule's path passes through, as the bridge's
 * user sees them; an object it cannot describe is left out (validation names it).
 */
export async function describeForFieldMap(
  salesforce: SalesforceConnection,
  rules: readonly FieldMapRule[],
): Promise<(object: string) => ReadonlyMap<string, DescribedField> | undefined> {
  const cache = new Map<string, Map<string, DescribedField> | undefined>();
  const load = async (object: string) => {
    if (!cache.has(object)) {
      try {
        cache.set(
          object,
          described(await salesforce.run(`describe ${object}`, (conn) => conn.describe(object))),
        );
      } catch {
        cache.set(object, undefined);
      }
    }
    return cache.get(object);
  };
  // The shipped rows need no describe (the schema check covers their fields): no calls then.
  if (customRules(rules).length > 0) await load('Opportunity');
  for (const rule of customRules(rules)) {
    const [root, ...rest] = (rule.salesforce[0] ?? '').split('.');
    if (root !== 'Opportunity') continue;
    let object = root;
    for (const segment of rest.slice(0, -1)) {
      const fields = await load(object);
      const lookup = [...(fields?.values() ?? [])].find(
        (f) => f.relationshipName?.toLowerCase() === segment.toLowerCase(),
      );
      const to = lookup?.referenceTo?.[0];
      if (!to) break;
      object = to;
      await load(object);
    }
  }
  return (object) => cache.get(object);
}
