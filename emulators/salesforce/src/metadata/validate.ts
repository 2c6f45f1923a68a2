import type { Schema } from '../schema/types';
import type { Component, Xml } from './components';
import type { Failure } from './deploy';
import { formulaFailures } from './validate-formulas';

/**
 * Deploy-time checks, one per rule Salesforce applies to the types this package uses
 * (Metadata API Developer Guide; messages in Salesforce's words). `deployed` are the package's
 * components; `all` is the org after the deploy, so references may point either way.
 */
export function validateDeploy(
  deployed: Component[],
  all: Component[],
  standard: Schema,
): Failure[] {
  const org = new OrgView(all, standard);
  const failures: Failure[] = [];
  for (const c of deployed) {
    const fail = (problem: string) => failures.push({ component: c, problem });
    const name = nameProblem(c);
    if (name) {
      fail(name);
      continue;
    }
    CHECKS[c.type]?.(c, org, fail);
  }
  return failures;
}

// ------------------------------------------------------------------ names

/** The suffixes Salesforce itself puts on custom names, per kind of name. */
const OBJECT_SUFFIX = /__(c|e|mdt|x|b)$/;
const FIELD_SUFFIX = /__c$/;
const NO_SUFFIX = /$^/;
const DEVELOPER_NAME = /^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*$/;

/**
 * A developer name: letters, digits and single underscores, starting with a letter and not
 * ending with one. Two underscores in a row mark a namespace prefix (`ns__Name`), so outside
 * the suffix Salesforce assigns (`__c`, `__e`, …) they name a namespace this org does not own.
 */
function developerNameProblem(
  name: string,
  label: string,
  suffix: RegExp = NO_SUFFIX,
): string | undefined {
  const base = name.replace(suffix, '');
  const dunder = base.indexOf('__');
  if (dunder > 0) {
    return `Cannot create a new component with the namespace: ${base.slice(0, dunder)}. Only components in the same namespace as the organization can be created through the API`;
  }
  if (!DEVELOPER_NAME.test(base)) {
    return `The ${label} can only contain underscores and alphanumeric characters. It must be unique, begin with a letter, not include spaces, not end with an underscore, and not contain two consecutive underscores.`;
  }
  return undefined;
}

function nameProblem(c: Component): string | undefined {
  const [head = '', tail = ''] = c.fullName.split('.');
  switch (c.type) {
    case 'CustomObject':
      return developerNameProblem(c.fullName, 'object name', OBJECT_SUFFIX);
    case 'CustomField':
      return (
        developerNameProblem(head, 'object name', OBJECT_SUFFIX) ??
        developerNameProblem(tail, 'field name', FIELD_SUFFIX)
      );
    case 'CustomTab':
      return developerNameProblem(c.fullName, 'tab name', OBJECT_SUFFIX);
    case 'ValidationRule':
    case 'ListView':
    case 'RecordType':
    case 'CompactLayout':
    case 'WebLink':
    case 'FieldSet':
      return (
        developerNameProblem(head, 'object name', OBJECT_SUFFIX) ??
        developerNameProblem(tail, `${c.type} name`)
      );
    case 'Layout': {
      const object = c.fullName.split('-')[0] ?? '';
      return developerNameProblem(object, 'object name', OBJECT_SUFFIX);
    }
    case 'CustomMetadata':
      // `<Type without __mdt>.<Record>`: both halves are developer names.
      return (
        developerNameProblem(head, 'custom metadata type name') ??
        developerNameProblem(tail, 'record name')
      );
    case 'LightningComponentBundle':
      return /^[a-z]/.test(c.fullName)
        ? developerNameProblem(c.fullName, 'component name')
        : 'The component name must begin with a lowercase letter.';
    default:
      return developerNameProblem(c.fullName, `${c.type} name`);
  }
}

// ------------------------------------------------------------------ the org after the deploy

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const list = (v: unknown): Xml[] => (Array.isArray(v) ? (v as Xml[]) : v ? [v as Xml] : []);

export interface FieldInfo {
  object: string;
  name: string;
  type: string;
  required: boolean;
  referenceTo: string[];
  relationshipName?: string;
}

/** Objects and fields as the org will have them: standard schema plus the merged components. */
export class OrgView {
  private readonly objects = new Map<string, string>();
  private readonly fields = new Map<string, FieldInfo>();
  readonly components: Component[];

  constructor(all: Component[], standard: Schema) {
    this.components = all;
    for (const o of standard.list()) {
      this.objects.set(o.name.toLowerCase(), o.name);
      for (const f of o.fields.values()) {
        this.fields.set(`${o.name}.${f.name}`.toLowerCase(), {
          object: o.name,
          name: f.name,
          type: f.type,
          required: f.required || f.masterDetail,
          referenceTo: f.referenceTo ?? [],
          ...(f.relationshipName ? { relationshipName: f.relationshipName } : {}),
        });
      }
    }
    const system = (object: string, name: string, type: string) =>
      this.fields.set(`${object}.${name}`.toLowerCase(), {
        object,
        name,
        type,
        required: false,
        referenceTo: type === 'Lookup' ? ['User'] : [],
      });
    for (const c of all) {
      if (c.type === 'CustomObject') {
        this.objects.set(c.fullName.toLowerCase(), c.fullName);
        // Every custom object has these (OwnerId only without a master: checked loosely).
        for (const f of ['Id', 'IsDeleted', 'CreatedDate', 'LastModifiedDate', 'SystemModstamp'])
          system(c.fullName, f, 'Text');
        for (const f of ['OwnerId', 'CreatedById', 'LastModifiedById'])
          system(c.fullName, f, 'Lookup');
        this.fields.set(`${c.fullName}.Name`.toLowerCase(), {
          object: c.fullName,
          name: 'Name',
          type: 'Text',
          required: str(list(c.xml.nameField)[0]?.type) !== 'AutoNumber',
          referenceTo: [],
        });
      }
    }
    for (const c of all) {
      if (c.type !== 'CustomField') continue;
      const [object = '', name = ''] = c.fullName.split('.');
      const type = str(c.xml.type) ?? 'Text';
      this.fields.set(c.fullName.toLowerCase(), {
        object,
        name,
        type,
        required: type === 'MasterDetail' || str(c.xml.required) === 'true',
        referenceTo: list(c.xml.referenceTo).map(String),
        ...(type === 'Lookup' || type === 'MasterDetail'
          ? { relationshipName: name.replace(/__c$/, '__r') }
          : {}),
      });
    }
  }

  object(name: string): string | undefined {
    return this.objects.get(name.toLowerCase());
  }

  field(object: string, name: string): FieldInfo | undefined {
    const found = this.fields.get(`${object}.${name}`.toLowerCase());
    if (found) return found;
    // Compound address fields (`BillingAddress`) stand for their parts (`BillingStreet`, …).
    const m = /^(\w*)Address$/.exec(name);
    const street = m ? this.fields.get(`${object}.${m[1]}Street`.toLowerCase()) : undefined;
    return street ? { ...street, name, type: 'Address' } : undefined;
  }

  /** `Account` on Opportunity → the AccountId lookup; `Opportunity__r` → `Opportunity__c`. */
  relationship(object: string, rel: string): FieldInfo | undefined {
    const lower = rel.toLowerCase();
    for (const f of this.fields.values()) {
      if (
        f.object.toLowerCase() === object.toLowerCase() &&
        f.relationshipName?.toLowerCase() === lower
      )
        return f;
    }
    return undefined;
  }

  /** The values of a restricted picklist field among the deployed components, else undefined. */
  picklistValues(object: string, name: string): string[] | undefined {
    const lower = `${object}.${name}`.toLowerCase();
    const c = this.components.find(
      (x) => x.type === 'CustomField' && x.fullName.toLowerCase() === lower,
    );
    const valueSet = list(c?.xml.valueSet)[0];
    if (!valueSet || str(valueSet.restricted) !== 'true') return undefined;
    const definition = list(valueSet.valueSetDefinition)[0];
    return list(definition?.value).map((v) => str(v.fullName) ?? '');
  }

  has(type: string, fullName: string): boolean {
    const lower = fullName.toLowerCase();
    return this.components.some((c) => c.type === type && c.fullName.toLowerCase() === lower);
  }
}

// ------------------------------------------------------------------ per type

type Check = (c: Component, org: OrgView, fail: (problem: string) => void) => void;

const noField = (name: string) => `In field: field - no CustomField named ${name} found`;

const TEXT_LIMITS: Record<string, [number, number]> = {
  Text: [1, 255],
  LongTextArea: [256, 131072],
  Html: [256, 131072],
};

const customField: Check = (c, org, fail) => {
  const [object = ''] = c.fullName.split('.');
  const type = str(c.xml.type);
  if (!org.object(object)) fail(`Cannot find the object ${object} for field ${c.fullName}`);
  const label = str(c.xml.label) ?? '';
  if (label.length === 0 || label.length > 40) {
    fail(`Field label: data value too large: ${label} (max length=40)`);
  }
  const limits = type ? TEXT_LIMITS[type] : undefined;
  const length = Number(c.xml.length);
  if (limits && str(c.xml.formula) === undefined) {
    if (!Number.isInteger(length) || length < limits[0] || length > limits[1]) {
      fail(`Length must be between ${limits[0]} and ${limits[1]}`);
    }
  }
  for (const to of list(c.xml.referenceTo).map(String)) {
    if (!org.object(to))
      fail(`referenceTo value of '${to}' does not resolve to a valid sObject type`);
  }
  if (type === 'MasterDetail' && str(c.xml.required) === 'false') {
    fail('Master-Detail Relationship Fields Cannot be Optional or Required');
  }
  if (type === 'Picklist' || type === 'MultiselectPicklist') picklist(c, fail);
  if (type === 'Summary') rollup(c, org, object, fail);
  const filter = list(c.xml.lookupFilter)[0];
  for (const item of list(filter?.filterItems)) {
    for (const ref of [str(item.field), str(item.valueField)]) {
      if (ref) lookupFilterField(ref, org, c, fail);
    }
  }
  for (const problem of formulaFailures(str(c.xml.formula), object, org)) fail(problem);
};

function picklist(c: Component, fail: (problem: string) => void): void {
  const valueSet = list(list(c.xml.valueSet)[0]?.valueSetDefinition)[0];
  const values = list(valueSet?.value);
  const seen = new Set<string>();
  let defaults = 0;
  for (const v of values) {
    const name = str(v.fullName) ?? '';
    if (seen.has(name.toLowerCase())) fail(`Duplicate picklist value: ${name}`);
    seen.add(name.toLowerCase());
    if (name.length > 255) fail(`Picklist value: data value too large: ${name} (max length=255)`);
    if (str(v.default) === 'true') defaults += 1;
  }
  if (defaults > 1) fail('Only one default value is allowed for a picklist');
  if (list(c.xml.valueSet)[0] && !valueSet?.value && !list(c.xml.valueSet)[0]?.valueSetName) {
    fail('A picklist field needs at least one value');
  }
}

function rollup(c: Component, org: OrgView, object: string, fail: (p: string) => void): void {
  const key = str(c.xml.summaryForeignKey) ?? '';
  const [child = '', fk = ''] = key.split('.');
  const foreign = org.field(child, fk);
  if (!foreign) {
    fail(`Field ${key} does not exist. Check spelling.`);
    return;
  }
  if (
    foreign.type !== 'MasterDetail' ||
    !foreign.referenceTo.some((t) => t.toLowerCase() === object.toLowerCase())
  ) {
    fail(`${key} is not a master-detail relationship to ${object}`);
  }
  const summarized = str(c.xml.summarizedField);
  if (summarized) {
    const [o = '', f = ''] = summarized.split('.');
    if (!org.field(o, f)) fail(`Field ${summarized} does not exist. Check spelling.`);
  }
}

function lookupFilterField(ref: string, org: OrgView, c: Component, fail: (p: string) => void) {
  const [head = '', ...rest] = ref
    .replace(/^\$Source\./, `${c.fullName.split('.')[0]}.`)
    .split('.');
  if (rest.length === 0 || head.startsWith('$')) return;
  let object = org.object(head);
  for (const [i, part] of rest.entries()) {
    if (!object) break;
    if (i === rest.length - 1) {
      if (!org.field(object, part)) fail(`Field ${ref} does not exist. Check spelling.`);
      return;
    }
    object = org.relationship(object, part)?.referenceTo[0];
  }
  if (!object) fail(`Field ${ref} does not exist. Check spelling.`);
}

const validationRule: Check = (c, org, fail) => {
  const [object = ''] = c.fullName.split('.');
  for (const problem of formulaFailures(str(c.xml.errorConditionFormula), object, org))
    fail(problem);
  const display = str(c.xml.errorDisplayField);
  if (display && !org.field(object, display)) fail(noField(`${object}.${display}`));
};

const permissionSet: Check = (c, org, fail) => {
  for (const fp of list(c.xml.fieldPermissions)) {
    const name = str(fp.field) ?? '';
    const [object = '', field = ''] = name.split('.');
    const f = org.field(object, field);
    if (!f) fail(noField(name));
    else if (f.required) fail(`You cannot deploy to a required field: ${name}`);
  }
  for (const op of list(c.xml.objectPermissions)) {
    const name = str(op.object) ?? '';
    if (!org.object(name)) fail(`In field: object - no CustomObject named ${name} found`);
  }
  for (const access of list(c.xml.customMetadataTypeAccesses)) {
    const name = str(access.name) ?? '';
    if (!name.endsWith('__mdt') || !org.object(name)) {
      fail(`In field: name - no CustomObject named ${name} found`);
    }
  }
  for (const cp of list(c.xml.customPermissions)) {
    const name = str(cp.name) ?? '';
    if (!org.has('CustomPermission', name)) {
      fail(`In field: name - no CustomPermission named ${name} found`);
    }
  }
};

const layout: Check = (c, org, fail) => {
  const object = c.fullName.split('-')[0] ?? '';
  if (!org.object(object)) {
    fail(`In field: object - no CustomObject named ${object} found`);
    return;
  }
  for (const section of list(c.xml.layoutSections)) {
    for (const column of list(section.layoutColumns)) {
      for (const item of list(column.layoutItems)) {
        const field = str(item.field);
        if (field && !org.field(object, field)) fail(noField(`${object}.${field}`));
      }
    }
  }
  for (const related of list(c.xml.relatedLists)) {
    // Standard related lists name columns in a legacy form (`TASK.SUBJECT`); custom ones
    // name `Object__c.Field__c`, which must exist.
    for (const f of list(related.fields).map(String)) {
      const [o = '', name = ''] = f.split('.');
      if (/__c$/.test(o) && /__c$/.test(name) && !org.field(o, name)) {
        fail(`Invalid field:${f} in related list:${str(related.relatedList) ?? ''}`);
      }
    }
  }
};

const flexiPage: Check = (c, org, fail) => {
  const object = str(c.xml.sobjectType);
  if (object && !org.object(object)) fail(`Invalid sobjectType: ${object}`);
  for (const region of list(c.xml.flexiPageRegions)) {
    for (const item of list(region.itemInstances)) {
      const component = list(item.componentInstance)[0];
      const name = str(component?.componentName);
      if (name?.startsWith('c:') && !org.has('LightningComponentBundle', name.slice(2))) {
        fail(`Component [${name}] not found`);
      }
      const field = str(list(item.fieldInstance)[0]?.fieldItem);
      const m = field ? /^Record\.(\w+)$/.exec(field) : null;
      if (m?.[1] && object && !org.field(object, m[1])) fail(noField(`${object}.${m[1]}`));
    }
  }
};

const customTab: Check = (c, org, fail) => {
  if (str(c.xml.customObject) === 'true' && !org.object(c.fullName)) {
    fail(`In field: sobject - no CustomObject named ${c.fullName} found`);
  }
};

const customApplication: Check = (c, org, fail) => {
  for (const tab of list(c.xml.tabs).map(String)) {
    if (!tab.startsWith('standard-') && !org.has('CustomTab', tab)) {
      fail(`In field: tab - no CustomTab named ${tab} found`);
    }
  }
};

const channelMember: Check = (c, org, fail) => {
  const entity = str(c.xml.selectedEntity) ?? '';
  const object = entity.endsWith('__ChangeEvent')
    ? entity.replace(/__ChangeEvent$/, '__c')
    : entity.replace(/ChangeEvent$/, '');
  if (!entity.endsWith('ChangeEvent') || !org.object(object)) {
    fail(`In field: selectedEntity - no entity named ${entity} found`);
  }
};

/**
 * A custom metadata record: its type must exist and every value must name one of the type's
 * fields (picklist values are checked against the field's value set).
 */
const customMetadata: Check = (c, org, fail) => {
  const type = `${c.fullName.split('.')[0] ?? ''}__mdt`;
  if (!org.object(type)) {
    fail(`Cannot find the custom metadata type ${type} for record ${c.fullName}`);
    return;
  }
  for (const v of list(c.xml.values)) {
    const name = str(v.field) ?? '';
    const field = org.field(type, name);
    if (!field) {
      fail(`In field: field - no CustomField named ${type}.${name} found`);
      continue;
    }
    const value = [v.value].flat()[0];
    const allowed = org.picklistValues(type, name);
    if (typeof value === 'string' && value !== '' && allowed && !allowed.includes(value)) {
      fail(`bad value for restricted picklist field: ${value}`);
    }
  }
};

const CHECKS: Record<string, Check> = {
  CustomMetadata: customMetadata,
  CustomField: customField,
  ValidationRule: validationRule,
  PermissionSet: permissionSet,
  Layout: layout,
  FlexiPage: flexiPage,
  CustomTab: customTab,
  CustomApplication: customApplication,
  PlatformEventChannelMember: channelMember,
};
