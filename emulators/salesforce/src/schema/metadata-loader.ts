import type { Component } from '../metadata/components';
import { field, picklist, readOnly } from './field-builder';
import type { FieldDef, FieldType, PermissionSetDef, ValidationRule } from './types';

/** What one force-app directory declares, before it is merged with the standard objects. */
export interface ObjectMetadata {
  label?: string;
  labelPlural?: string;
  nameField?: FieldDef;
  /** Platform events only (`…__e`). */
  publishBehavior?: 'PublishAfterCommit' | 'PublishImmediately';
  /** Org-wide default: Private, Read, ReadWrite, ControlledByParent (absent: ReadWrite). */
  sharingModel?: string;
}

/** One custom metadata record (`customMetadata/<Type>.<Name>.md`): field API name → value. */
export interface CustomMetadataRecord {
  /** `Co_Sell_Field_Map__mdt`. */
  type: string;
  developerName: string;
  label: string;
  /** `xsi:nil` and empty values are null; numbers stay text until the schema types them. */
  values: Map<string, string | null>;
}

export interface ForceAppMetadata {
  objects: Map<string, ObjectMetadata>;
  customMetadata: CustomMetadataRecord[];
  fields: Map<string, FieldDef[]>;
  validationRules: Map<string, ValidationRule[]>;
  permissionSets: PermissionSetDef[];
  /** Entities selected for Change Data Capture (`OpportunityChangeEvent` → `Opportunity`). */
  cdcEntities: string[];
  /** Deployed CustomNotificationType components (the Send Custom Notification action's types). */
  notificationTypes: NotificationTypeDef[];
}

export interface NotificationTypeDef {
  developerName: string;
  label: string;
  description: string | null;
  desktop: boolean;
  mobile: boolean;
}

type Xml = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const bool = (v: unknown): boolean => v === 'true';
const num = (v: unknown, fallback: number): number => {
  const n = Number(v);
  return typeof v === 'string' && Number.isFinite(n) ? n : fallback;
};

const TYPE_MAP: Record<string, FieldType> = {
  Checkbox: 'boolean',
  Text: 'string',
  TextArea: 'textarea',
  LongTextArea: 'textarea',
  Html: 'textarea',
  Picklist: 'picklist',
  MultiselectPicklist: 'multipicklist',
  Lookup: 'reference',
  MasterDetail: 'reference',
  Number: 'double',
  Currency: 'currency',
  Percent: 'percent',
  Date: 'date',
  DateTime: 'datetime',
  Email: 'email',
  Phone: 'phone',
  Url: 'url',
  Summary: 'double',
  AutoNumber: 'string',
};

export function parseField(xml: Xml, fullName: string): FieldDef {
  const name = str(xml.fullName) ?? fullName.split('.').pop() ?? fullName;
  const metaType = str(xml.type) ?? 'Text';
  const formula = str(xml.formula);
  const type: FieldType = formula
    ? (TYPE_MAP[metaType] ?? (metaType === 'Checkbox' ? 'boolean' : 'string'))
    : (TYPE_MAP[metaType] ?? 'string');
  const label = str(xml.label) ?? name;
  const base: Partial<FieldDef> = {
    label,
    length: num(xml.length, metaType === 'TextArea' ? 255 : type === 'string' ? 255 : 0),
    precision: num(xml.precision, 18),
    scale: num(xml.scale, type === 'currency' ? 2 : 0),
    required: bool(xml.required),
    externalId: bool(xml.externalId),
    unique: bool(xml.unique),
    caseSensitive: bool(xml.caseSensitive),
    // Required fields cannot appear in permission sets: every user with object access sees them.
    permissionControlled: !bool(xml.required),
  };
  if (formula) {
    return field(name, type, { ...base, ...readOnly, calculated: true, formula, required: false });
  }
  const dv = str(xml.defaultValue);
  if (type === 'boolean') base.defaultValue = dv === 'true';
  if (type === 'picklist' || type === 'multipicklist') {
    const valueSet = (xml.valueSet ?? {}) as Xml;
    const def = (valueSet.valueSetDefinition ?? {}) as Xml;
    const values = ((def.value ?? []) as Xml[]).map((v) => ({
      value: str(v.fullName) ?? '',
      label: str(v.label) ?? str(v.fullName) ?? '',
      active: v.isActive === undefined ? true : bool(v.isActive),
      defaultValue: bool(v.default),
    }));
    base.picklistValues = values.length ? values : picklist([]);
    base.restrictedPicklist = bool(valueSet.restricted) && values.length > 0;
    const dflt = values.find((v) => v.defaultValue);
    if (dflt) base.defaultValue = dflt.value;
  }
  if (type === 'reference') {
    const to = (xml.referenceTo ?? []) as unknown[];
    base.referenceTo = to.map(String);
    const rel = str(xml.relationshipName);
    base.relationshipName = name.replace(/__c$/, '__r');
    if (rel) base.childRelationshipName = `${rel}__r`;
    if (metaType === 'MasterDetail') {
      Object.assign(base, {
        masterDetail: true,
        required: true,
        nillable: false,
        cascadeDelete: true,
        updateable: bool(xml.reparentableMasterDetail),
        writeRequiresMasterRead: bool(xml.writeRequiresMasterRead),
        permissionControlled: false,
      });
    } else {
      base.cascadeDelete = str(xml.deleteConstraint) === 'Cascade';
    }
  }
  if (metaType === 'Summary') {
    const [childObject, foreignKey] = (str(xml.summaryForeignKey) ?? '.').split('.');
    const summarized = str(xml.summarizedField)?.split('.')[1];
    Object.assign(base, readOnly, {
      calculated: true,
      required: false,
      rollup: {
        childObject: childObject ?? '',
        foreignKey: foreignKey ?? '',
        operation: (str(xml.summaryOperation) ?? 'count') as 'count',
        ...(summarized ? { summarizedField: summarized } : {}),
      },
    });
  }
  if (metaType === 'AutoNumber') {
    Object.assign(base, readOnly, { autoNumberFormat: str(xml.displayFormat) ?? '{0}' });
  }
  return field(name, type, base);
}

function parseObject(xml: Xml, name: string): ObjectMetadata {
  // Custom metadata types have no Name field: records are named by DeveloperName/MasterLabel.
  if (name.endsWith('__mdt')) return { label: str(xml.label), labelPlural: str(xml.pluralLabel) };
  if (name.endsWith('__e')) {
    // Salesforce's default publish behaviour for new events is Publish Immediately.
    const behavior = str(xml.publishBehavior);
    return {
      label: str(xml.label),
      labelPlural: str(xml.pluralLabel),
      publishBehavior: behavior === 'PublishAfterCommit' ? behavior : 'PublishImmediately',
    };
  }
  const nameXml = (xml.nameField ?? {}) as Xml;
  const auto = str(nameXml.type) === 'AutoNumber';
  const nameField = field('Name', 'string', {
    label: str(nameXml.label) ?? 'Name',
    length: 80,
    ...(auto
      ? { ...readOnly, autoNumberFormat: str(nameXml.displayFormat) ?? '{0}', nillable: false }
      : { required: true }),
  });
  const sharingModel = str(xml.sharingModel);
  return {
    label: str(xml.label),
    labelPlural: str(xml.pluralLabel),
    nameField,
    ...(sharingModel ? { sharingModel } : {}),
  };
}

function parseValidationRule(xml: Xml, fullName: string): ValidationRule {
  return {
    name: str(xml.fullName) ?? fullName.split('.').pop() ?? fullName,
    active: bool(xml.active),
    formula: str(xml.errorConditionFormula) ?? 'false',
    errorMessage: str(xml.errorMessage) ?? 'Validation error',
    ...(str(xml.errorDisplayField) ? { errorDisplayField: str(xml.errorDisplayField) } : {}),
  };
}

function parsePermissionSet(xml: Xml, name: string): PermissionSetDef {
  const ps: PermissionSetDef = {
    name,
    fields: new Map(),
    objects: new Map(),
    customPermissions: new Set(),
    userPermissions: new Set(),
  };
  for (const up of [xml.userPermissions ?? []].flat() as Xml[]) {
    const upName = str(up.name);
    if (upName && bool(up.enabled)) ps.userPermissions.add(upName.toLowerCase());
  }
  for (const cp of [xml.customPermissions ?? []].flat() as Xml[]) {
    const cpName = str(cp.name);
    if (cpName && bool(cp.enabled)) ps.customPermissions.add(cpName.toLowerCase());
  }
  // "Custom Metadata Types" access in a permission set: read the type's records, nothing else
  // (custom metadata records are never written through the data APIs).
  for (const access of (xml.customMetadataTypeAccesses ?? []) as Xml[]) {
    const type = str(access.name);
    if (type && bool(access.enabled)) {
      ps.objects.set(type.toLowerCase(), {
        read: true,
        create: false,
        edit: false,
        delete: false,
        viewAll: false,
        modifyAll: false,
      });
    }
  }
  for (const fp of (xml.fieldPermissions ?? []) as Xml[]) {
    const name = str(fp.field);
    if (name)
      ps.fields.set(name.toLowerCase(), {
        readable: bool(fp.readable),
        editable: bool(fp.editable),
      });
  }
  for (const op of (xml.objectPermissions ?? []) as Xml[]) {
    const name = str(op.object);
    if (!name) continue;
    ps.objects.set(name.toLowerCase(), {
      read: bool(op.allowRead),
      create: bool(op.allowCreate),
      edit: bool(op.allowEdit),
      delete: bool(op.allowDelete),
      viewAll: bool(op.viewAllRecords),
      modifyAll: bool(op.modifyAllRecords),
    });
  }
  return ps;
}

/**
 * The org's schema-relevant metadata from its deployed components (see metadata/components.ts):
 * what `buildSchema` merges with the standard objects.
 */
export function metadataFromComponents(components: readonly Component[]): ForceAppMetadata {
  const meta: ForceAppMetadata = {
    objects: new Map(),
    customMetadata: [],
    fields: new Map(),
    validationRules: new Map(),
    permissionSets: [],
    cdcEntities: [],
    notificationTypes: [],
  };
  const push = <T>(map: Map<string, T[]>, key: string, value: T) => {
    map.set(key, [...(map.get(key) ?? []), value]);
  };
  const objectOf = (c: Component) => c.fullName.split('.')[0] ?? '';
  for (const c of components) {
    if (c.type === 'CustomObject') {
      meta.objects.set(c.fullName, parseObject(c.xml, c.fullName));
    } else if (c.type === 'CustomField') {
      push(meta.fields, objectOf(c), parseField(c.xml, c.fullName));
    } else if (c.type === 'ValidationRule') {
      push(meta.validationRules, objectOf(c), parseValidationRule(c.xml, c.fullName));
    } else if (c.type === 'PermissionSet') {
      meta.permissionSets.push(parsePermissionSet(c.xml, c.fullName));
    } else if (c.type === 'CustomMetadata') {
      meta.customMetadata.push(parseCustomMetadata(c));
    } else if (c.type === 'PlatformEventChannelMember') {
      const entity = str(c.xml.selectedEntity);
      if (entity) meta.cdcEntities.push(changeEventToEntity(entity));
    } else if (c.type === 'CustomNotificationType') {
      meta.notificationTypes.push({
        developerName: c.fullName,
        label: str(c.xml.masterLabel) ?? str(c.xml.customNotifTypeName) ?? c.fullName,
        description: str(c.xml.description) ?? null,
        desktop: bool(c.xml.desktop),
        mobile: bool(c.xml.mobile),
      });
    }
  }
  return meta;
}

function parseCustomMetadata(c: Component): CustomMetadataRecord {
  const [type = '', developerName = ''] = c.fullName.split('.');
  const values = new Map<string, string | null>();
  for (const v of (c.xml.values ?? []) as Xml[]) {
    const name = str(v.field);
    // `value` is parsed as a list (it repeats in picklist value sets); a record has one.
    const value = [v.value].flat()[0];
    if (name) values.set(name, typeof value === 'string' && value !== '' ? value : null);
  }
  return { type: `${type}__mdt`, developerName, label: str(c.xml.label) ?? developerName, values };
}

/** `OpportunityChangeEvent` → `Opportunity`; `Foo__ChangeEvent` → `Foo__c`. */
export function changeEventToEntity(eventName: string): string {
  if (eventName.endsWith('__ChangeEvent')) return eventName.replace(/__ChangeEvent$/, '__c');
  return eventName.replace(/ChangeEvent$/, '');
}

/** `Opportunity` → `OpportunityChangeEvent`; `Foo__c` → `Foo__ChangeEvent`. */
export function entityToChangeEvent(entity: string): string {
  return entity.endsWith('__c') ? entity.replace(/__c$/, '__ChangeEvent') : `${entity}ChangeEvent`;
}
