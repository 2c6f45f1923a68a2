import { SalesforceError } from '../rest/errors';
import { field } from '../schema/field-builder';
import type { FieldDef, ObjectDef, PicklistValue } from '../schema/types';
import type { SRecord } from './record-store';

/**
 * State and Country/Territory Picklists ("Implement State and Country/Territory Picklists",
 * "Integration Values for State and Country/Territory Picklists"): each address gains a
 * `…CountryCode` picklist of ISO 3166-1 alpha-2 codes, and `…Country` then holds the country's
 * integration value (its name, e.g. "Sweden"). A write may set either; the other follows, and a
 * value outside the list is refused. State codes are not emulated (`…State` stays free text).
 */

const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'QO', 'XA', 'XB', 'ZZ']);

/** ISO code → English name, from the ICU region names Node ships (Salesforce's default labels). */
function countries(): PicklistValue[] {
  const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
  const values: PicklistValue[] = [];
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      const name = names.of(code);
      if (!name || name === code || NOT_COUNTRIES.has(code)) continue;
      values.push({ value: code, label: name, active: true, defaultValue: false });
    }
  }
  return values;
}

let cached: PicklistValue[] | undefined;
const countryValues = () => (cached ??= countries());

/** The `…CountryCode` picklist fields an address with these prefixes gains. */
export function countryCodeFields(prefixes: readonly string[]): FieldDef[] {
  return prefixes.map((prefix) =>
    field(`${prefix}CountryCode`, 'picklist', {
      label: `${prefix} Country Code`,
      length: 10,
      restrictedPicklist: true,
      picklistValues: countryValues(),
    }),
  );
}

const problem = (name: string) =>
  new SalesforceError(
    400,
    'FIELD_INTEGRITY_EXCEPTION',
    "There's a problem with this country, even though it may appear correct. Please select a country/territory from the list of valid countries.",
    [name],
  );

/**
 * Keeps each `…Country`/`…CountryCode` pair in step after a write: the code names the country,
 * the name is its label. A name that is no country, or a code and name that disagree, is refused.
 */
export function syncCountries(obj: ObjectDef, fields: SRecord, explicit: Map<string, unknown>) {
  for (const codeField of obj.fields.values()) {
    if (!codeField.name.endsWith('CountryCode') || codeField.type !== 'picklist') continue;
    const nameField = codeField.name.slice(0, -'Code'.length);
    const codeSet = explicit.has(codeField.name);
    const nameSet = explicit.has(nameField);
    if (!codeSet && !nameSet) continue;
    const code = fields[codeField.name];
    const name = fields[nameField];
    const byCode = countryValues().find((c) => c.value === code);
    const byName = countryValues().find(
      (c) => typeof name === 'string' && c.label.toLowerCase() === name.trim().toLowerCase(),
    );
    if (codeSet && code !== null && code !== '') {
      if (!byCode) throw problem(codeField.name);
      if (nameSet && name && byName?.value !== byCode.value) throw problem(nameField);
      fields[nameField] = byCode.label;
    } else if (nameSet && name !== null && name !== '') {
      if (!byName) throw problem(nameField);
      fields[codeField.name] = byName.value;
      fields[nameField] = byName.label;
    } else {
      fields[codeField.name] = null;
      fields[nameField] = null;
    }
  }
}
