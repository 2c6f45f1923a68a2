import type { AccessChecker } from '../data/permissions';
import type { FieldDef, ObjectDef } from '../schema/types';

const SOAP_TYPES: Record<string, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  boolean: 'xsd:boolean',
  currency: 'xsd:double',
  double: 'xsd:double',
  percent: 'xsd:double',
  int: 'xsd:int',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
};

function describeField(obj: ObjectDef, f: FieldDef, access: AccessChecker) {
  const editable = access.fieldEditable(obj, f);
  return {
    aggregatable: f.type !== 'textarea',
    autoNumber: f.autoNumberFormat !== undefined,
    byteLength: f.length * 3,
    calculated: f.calculated,
    calculatedFormula: f.formula ?? null,
    cascadeDelete: f.cascadeDelete,
    caseSensitive: f.caseSensitive,
    createable: f.createable && editable,
    custom: f.custom,
    defaultValue: f.defaultValue === '$User' ? null : (f.defaultValue ?? null),
    defaultedOnCreate: f.defaultValue !== undefined || f.type === 'boolean' || f.name === 'Id',
    dependentPicklist: false,
    deprecatedAndHidden: false,
    externalId: f.externalId,
    filterable: f.type !== 'textarea',
    groupable: !['textarea', 'double', 'currency', 'percent', 'datetime'].includes(f.type),
    htmlFormatted: false,
    idLookup: f.name === 'Id' || f.externalId,
    label: f.label,
    length: f.length,
    name: f.name,
    nameField: f.name === 'Name',
    nillable: f.nillable && !f.required,
    picklistValues: f.picklistValues ?? [],
    precision: f.precision,
    referenceTo: f.referenceTo ?? [],
    relationshipName: f.relationshipName ?? null,
    relationshipOrder: null,
    restrictedPicklist: f.restrictedPicklist,
    scale: f.scale,
    soapType: SOAP_TYPES[f.type] ?? 'xsd:string',
    sortable: f.type !== 'textarea',
    type: f.type,
    unique: f.unique,
    updateable: f.updateable && editable,
  };
}

function urls(base: string, obj: ObjectDef) {
  const u = `${base}/sobjects/${obj.name}`;
  return { sobject: u, describe: `${u}/describe`, rowTemplate: `${u}/{ID}` };
}

function summary(base: string, obj: ObjectDef, access: AccessChecker) {
  // A platform event can be published (created) and subscribed to, nothing else.
  const stored = !obj.platformEvent;
  return {
    activateable: false,
    createable: obj.createable && access.object(obj, 'create'),
    custom: obj.custom,
    customSetting: false,
    deletable: obj.deletable && access.object(obj, 'delete'),
    deprecatedAndHidden: false,
    feedEnabled: false,
    keyPrefix: obj.keyPrefix,
    label: obj.label,
    labelPlural: obj.labelPlural,
    layoutable: stored,
    mergeable: false,
    name: obj.name,
    queryable: stored,
    replicateable: stored,
    retrieveable: stored,
    searchable: stored,
    triggerable: true,
    undeletable: stored,
    updateable: obj.updateable && access.object(obj, 'edit'),
    urls: urls(base, obj),
  };
}

/** `GET /sobjects/{type}/describe` ("sObject Describe"), limited to what the user may see. */
export function describeObject(base: string, obj: ObjectDef, access: AccessChecker) {
  return {
    ...summary(base, obj, access),
    actionOverrides: [],
    childRelationships: obj.childRelationships.map((c) => ({
      cascadeDelete: c.cascadeDelete,
      childSObject: c.childSObject,
      deprecatedAndHidden: false,
      field: c.field,
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: c.relationshipName,
      restrictedDelete: false,
    })),
    compactLayoutable: true,
    fields: [...obj.fields.values()]
      .filter((f) => access.fieldReadable(obj, f))
      .map((f) => describeField(obj, f, access)),
    recordTypeInfos: [],
    supportedScopes: [{ label: 'All', name: 'everything' }],
  };
}

/** `GET /sobjects` ("Describe Global"). */
export function describeGlobal(base: string, objects: ObjectDef[], access: AccessChecker) {
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: objects.filter((o) => access.object(o, 'read')).map((o) => summary(base, o, access)),
  };
}

export function basicInfo(base: string, obj: ObjectDef, access: AccessChecker) {
  return { objectDescribe: summary(base, obj, access), recentItems: [] };
}
