import type { FieldDef, FieldType, ObjectDef, PicklistValue } from './types';

/** A field with Salesforce's defaults for its type; `overrides` sets the rest. */
export function field(name: string, type: FieldType, overrides: Partial<FieldDef> = {}): FieldDef {
  const lengths: Partial<Record<FieldType, number>> = {
    id: 18,
    reference: 18,
    string: 255,
    textarea: 32000,
    picklist: 255,
    multipicklist: 4099,
    email: 80,
    phone: 40,
    url: 255,
  };
  return {
    name,
    label: name.replace(/__c$/, '').replace(/_/g, ' '),
    type,
    length: lengths[type] ?? 0,
    precision: type === 'currency' ? 18 : type === 'double' || type === 'percent' ? 18 : 0,
    scale: type === 'currency' || type === 'double' ? 2 : 0,
    custom: name.endsWith('__c'),
    required: false,
    nillable: type !== 'boolean',
    createable: true,
    updateable: true,
    calculated: false,
    externalId: false,
    unique: false,
    caseSensitive: false,
    restrictedPicklist: false,
    masterDetail: false,
    cascadeDelete: false,
    permissionControlled: false,
    ...overrides,
  };
}

export const readOnly: Partial<FieldDef> = { createable: false, updateable: false };

export function picklist(values: string[], defaultValue?: string): PicklistValue[] {
  return values.map((v) => ({
    value: v,
    label: v,
    active: true,
    defaultValue: v === defaultValue,
  }));
}

export function reference(
  name: string,
  to: string,
  relationshipName: string,
  overrides: Partial<FieldDef> = {},
): FieldDef {
  return field(name, 'reference', { referenceTo: [to], relationshipName, ...overrides });
}

/** Id, audit fields and IsDeleted, which every object has. */
export function systemFields(opts: { hasOwner: boolean }): FieldDef[] {
  const fields = [
    field('Id', 'id', { ...readOnly, nillable: false }),
    field('IsDeleted', 'boolean', readOnly),
    field('CreatedDate', 'datetime', readOnly),
    reference('CreatedById', 'User', 'CreatedBy', readOnly),
    field('LastModifiedDate', 'datetime', readOnly),
    reference('LastModifiedById', 'User', 'LastModifiedBy', readOnly),
    field('SystemModstamp', 'datetime', readOnly),
  ];
  if (opts.hasOwner) fields.push(reference('OwnerId', 'User', 'Owner', { defaultValue: '$User' }));
  return fields;
}

export function objectDef(
  init: Pick<ObjectDef, 'name' | 'label' | 'labelPlural' | 'keyPrefix'> & Partial<ObjectDef>,
  fields: FieldDef[],
): ObjectDef {
  const map = new Map<string, FieldDef>();
  for (const f of fields) map.set(f.name.toLowerCase(), f);
  return {
    custom: init.name.endsWith('__c'),
    hasOwner: true,
    validationRules: [],
    childRelationships: [],
    createable: true,
    updateable: true,
    deletable: true,
    cdcEnabled: false,
    permissionControlled: false,
    ...init,
    fields: map,
  };
}
