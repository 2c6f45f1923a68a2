import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { field, picklist, readOnly } from './field-builder';
import type { FieldDef, FieldType, PermissionSetDef, ValidationRule } from './types';

/** What one force-app directory declares, before it is merged with the standard objects. */
export interface ForceAppMetadata {
  objects: Map<string, { label?: string; labelPlural?: string; nameField?: FieldDef }>;
  fields: Map<string, FieldDef[]>;
  validationRules: Map<string, ValidationRule[]>;
  permissionSets: PermissionSetDef[];
  /** Entities selected for Change Data Capture (`OpportunityChangeEvent` → `Opportunity`). */
  cdcEntities: string[];
}

const ARRAYS = new Set(['value', 'fieldPermissions', 'objectPermissions', 'referenceTo']);
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => ARRAYS.has(name),
});

type Xml = Record<string, unknown>;

function read(path: string, root: string): Xml {
  try {
    const doc = parser.parse(readFileSync(path, 'utf8')) as Xml;
    return (doc[root] ?? {}) as Xml;
  } catch (cause) {
    throw new Error(`Failed to read metadata file ${path}`, { cause });
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const bool = (v: unknown): boolean => v === 'true';
const num = (v: unknown, fallback: number): number => {
  const n = Number(v);
  return typeof v === 'string' && Number.isFinite(n) ? n : fallback;
};

function walk(dir: string, out: string[] = []): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === 'node_modules' || name === '__tests__' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('-meta.xml')) out.push(path);
  }
  return out;
}

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

export function parseField(xml: Xml, file: string): FieldDef {
  const name = str(xml.fullName) ?? basename(file).replace('.field-meta.xml', '');
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

function parseObject(xml: Xml) {
  const nameXml = (xml.nameField ?? {}) as Xml;
  const auto = str(nameXml.type) === 'AutoNumber';
  const nameField = field('Name', 'string', {
    label: str(nameXml.label) ?? 'Name',
    length: 80,
    ...(auto
      ? { ...readOnly, autoNumberFormat: str(nameXml.displayFormat) ?? '{0}', nillable: false }
      : { required: true }),
  });
  return {
    label: str(xml.label),
    labelPlural: str(xml.pluralLabel),
    nameField,
  };
}

function parseValidationRule(xml: Xml, file: string): ValidationRule {
  return {
    name: str(xml.fullName) ?? basename(file).replace('.validationRule-meta.xml', ''),
    active: bool(xml.active),
    formula: str(xml.errorConditionFormula) ?? 'false',
    errorMessage: str(xml.errorMessage) ?? 'Validation error',
    ...(str(xml.errorDisplayField) ? { errorDisplayField: str(xml.errorDisplayField) } : {}),
  };
}

function parsePermissionSet(xml: Xml, file: string): PermissionSetDef {
  const ps: PermissionSetDef = {
    name: basename(file).replace('.permissionset-meta.xml', ''),
    fields: new Map(),
    objects: new Map(),
  };
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
    });
  }
  return ps;
}

/** Reads the source-format metadata under `dir` (any depth, e.g. `force-app/main/default`). */
export function loadForceApp(dir: string): ForceAppMetadata {
  const meta: ForceAppMetadata = {
    objects: new Map(),
    fields: new Map(),
    validationRules: new Map(),
    permissionSets: [],
    cdcEntities: [],
  };
  const push = <T>(map: Map<string, T[]>, key: string, value: T) => {
    map.set(key, [...(map.get(key) ?? []), value]);
  };
  for (const file of walk(dir).sort()) {
    const name = basename(file);
    if (name.endsWith('.object-meta.xml')) {
      meta.objects.set(
        name.replace('.object-meta.xml', ''),
        parseObject(read(file, 'CustomObject')),
      );
    } else if (name.endsWith('.field-meta.xml')) {
      const objectName = basename(dirname(dirname(file)));
      push(meta.fields, objectName, parseField(read(file, 'CustomField'), file));
    } else if (name.endsWith('.validationRule-meta.xml')) {
      const objectName = basename(dirname(dirname(file)));
      push(
        meta.validationRules,
        objectName,
        parseValidationRule(read(file, 'ValidationRule'), file),
      );
    } else if (name.endsWith('.permissionset-meta.xml')) {
      meta.permissionSets.push(parsePermissionSet(read(file, 'PermissionSet'), file));
    } else if (name.endsWith('.platformEventChannelMember-meta.xml')) {
      const entity = str(read(file, 'PlatformEventChannelMember').selectedEntity);
      if (entity) meta.cdcEntities.push(changeEventToEntity(entity));
    }
  }
  return meta;
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
