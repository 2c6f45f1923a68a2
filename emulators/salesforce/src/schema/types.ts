import type { SharingModel } from '../data/sharing';

/** Field types as `describe` reports them. */
export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'boolean'
  | 'picklist'
  | 'multipicklist'
  | 'reference'
  | 'currency'
  | 'double'
  | 'percent'
  | 'int'
  | 'date'
  | 'datetime'
  | 'email'
  | 'phone'
  | 'url';

export interface PicklistValue {
  value: string;
  label: string;
  active: boolean;
  defaultValue: boolean;
}

export interface RollupSummary {
  /** Child object, e.g. `Co_Sell_Solution__c`. */
  childObject: string;
  /** Master-detail field on the child that points to this object. */
  foreignKey: string;
  operation: 'count' | 'sum' | 'min' | 'max';
  summarizedField?: string;
}

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  length: number;
  precision: number;
  scale: number;
  custom: boolean;
  /** Required on create (REQUIRED_FIELD_MISSING when absent and no default). */
  required: boolean;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  /** Computed by the platform (formula, roll-up, derived standard fields). */
  calculated: boolean;
  externalId: boolean;
  unique: boolean;
  caseSensitive: boolean;
  defaultValue?: unknown;
  picklistValues?: PicklistValue[];
  restrictedPicklist: boolean;
  referenceTo?: string[];
  /** Child-to-parent name used in SOQL paths (`Account`, `Opportunity__r`). */
  relationshipName?: string;
  /** Parent-to-children name (`Co_Sell_Solutions__r`), from the metadata's relationshipName. */
  childRelationshipName?: string;
  masterDetail: boolean;
  /** Master-detail: Read on the master suffices to create or edit the child (else Read/Write). */
  writeRequiresMasterRead?: boolean;
  cascadeDelete: boolean;
  rollup?: RollupSummary;
  autoNumberFormat?: string;
  /** Formula fields are computed when read. */
  formula?: string;
  /** True when an integration user needs a permission set to see the field (custom fields). */
  permissionControlled: boolean;
}

export interface ValidationRule {
  name: string;
  active: boolean;
  formula: string;
  errorMessage: string;
  errorDisplayField?: string;
}

export interface ChildRelationship {
  relationshipName: string;
  childSObject: string;
  field: string;
  cascadeDelete: boolean;
}

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  custom: boolean;
  /** Whether records carry OwnerId (false for detail objects of a master-detail). */
  hasOwner: boolean;
  /** Organization-wide default (data/sharing.ts); absent = Public Read/Write. */
  sharingModel?: SharingModel;
  fields: Map<string, FieldDef>;
  validationRules: ValidationRule[];
  childRelationships: ChildRelationship[];
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  /** Selected for Change Data Capture. */
  cdcEnabled: boolean;
  permissionControlled: boolean;
  /** Setup objects: only administrators may create, edit or delete their records. */
  adminWrite?: boolean;
  /**
   * Platform events (`…__e`): inserting one publishes it on `/event/<Name>` instead of storing a
   * record; no SOQL, no update or delete ("Considerations for Defining and Publishing Platform
   * Events"). PublishAfterCommit delivers only when the publishing transaction commits.
   */
  platformEvent?: { publishBehavior: 'PublishAfterCommit' | 'PublishImmediately' };
  /**
   * Custom metadata types (`…__mdt`): SOQL reads their records (with "Custom Metadata Types"
   * access in a permission set); only a metadata deploy creates or changes them.
   */
  customMetadata?: boolean;
}

export interface PermissionSetDef {
  name: string;
  fields: Map<string, { readable: boolean; editable: boolean }>;
  objects: Map<
    string,
    {
      read: boolean;
      create: boolean;
      edit: boolean;
      delete: boolean;
      viewAll: boolean;
      modifyAll: boolean;
    }
  >;
  /** Enabled custom permissions (lower-case names), for `$Permission.<Name>` in formulas. */
  customPermissions: Set<string>;
  /** Enabled user permissions (lower-case names), e.g. `sendcustomnotifications`. */
  userPermissions: Set<string>;
}

/** Case-insensitive lookups, as Salesforce treats API names. */
export class Schema {
  readonly objects = new Map<string, ObjectDef>();
  readonly permissionSets = new Map<string, PermissionSetDef>();

  add(obj: ObjectDef): void {
    this.objects.set(obj.name.toLowerCase(), obj);
  }

  object(name: string): ObjectDef | undefined {
    return this.objects.get(name.toLowerCase());
  }

  objectByPrefix(prefix: string): ObjectDef | undefined {
    for (const obj of this.objects.values()) if (obj.keyPrefix === prefix) return obj;
    return undefined;
  }

  list(): ObjectDef[] {
    return [...this.objects.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
}

export function fieldOf(obj: ObjectDef, name: string): FieldDef | undefined {
  return obj.fields.get(name.toLowerCase());
}

/** The field whose relationship name is `rel` (e.g. `Account` → AccountId). */
export function relationshipField(obj: ObjectDef, rel: string): FieldDef | undefined {
  const lower = rel.toLowerCase();
  for (const f of obj.fields.values()) {
    if (f.type === 'reference' && f.relationshipName?.toLowerCase() === lower) return f;
  }
  return undefined;
}

export function childRelationship(obj: ObjectDef, rel: string): ChildRelationship | undefined {
  const lower = rel.toLowerCase();
  return obj.childRelationships.find((c) => c.relationshipName.toLowerCase() === lower);
}
