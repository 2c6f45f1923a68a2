// The per-type deploy checks, one per rule Salesforce applies to the metadata types this package
// uses (fields, validation rules, permission sets, layouts, pages, tabs, apps, channel members,
// custom metadata records). Separate from the driver (validate.ts) so it holds only the rules.
import { list, str, type Component } from './components';
import type { OrgView } from './org-view';
import { formulaFailures } from './validate-formulas';

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

export const CHECKS: Record<string, Check> = {
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
