// Reads the parts of force-app (source format) that the metadata consistency tests reason about:
// custom objects and fields, permission sets, validation rules and what the LWCs reference.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const FORCE_APP_DEFAULT = path.join(REPO_ROOT, 'force-app', 'main', 'default');

const LIST_ELEMENTS = new Set(['fieldPermissions', 'objectPermissions', 'userPermissions']);
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  isArray: (name) => LIST_ELEMENTS.has(name),
});

function readXml(file: string): Record<string, unknown> {
  return parser.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export interface CustomField {
  object: string;
  name: string;
  type: string;
  required: boolean;
  referenceTo?: string;
  relationshipName?: string;
}

/** Custom objects (those with an .object-meta.xml) and every custom field, keyed 'Object.Field'. */
export function loadSchema(): { objects: Set<string>; fields: Map<string, CustomField> } {
  const objectsDir = path.join(FORCE_APP_DEFAULT, 'objects');
  const objects = new Set<string>();
  const fields = new Map<string, CustomField>();
  for (const object of readdirSync(objectsDir)) {
    if (existsSync(path.join(objectsDir, object, `${object}.object-meta.xml`))) objects.add(object);
    const fieldsDir = path.join(objectsDir, object, 'fields');
    if (!existsSync(fieldsDir)) continue;
    for (const file of readdirSync(fieldsDir)) {
      const xml = readXml(path.join(fieldsDir, file)).CustomField as Record<string, unknown>;
      const name = file.replace('.field-meta.xml', '');
      fields.set(`${object}.${name}`, {
        object,
        name,
        type: text(xml.type) ?? '',
        required: xml.required === 'true',
        referenceTo: text(xml.referenceTo),
        relationshipName: text(xml.relationshipName),
      });
    }
  }
  return { objects, fields };
}

export interface ObjectAccess {
  allowCreate: boolean;
  allowRead: boolean;
  allowEdit: boolean;
  allowDelete: boolean;
  viewAllRecords: boolean;
  modifyAllRecords: boolean;
}

export interface PermissionSet {
  fields: Map<string, { readable: boolean; editable: boolean }>;
  objects: Map<string, ObjectAccess>;
  userPermissions: Set<string>;
  /** Enabled custom permissions. */
  customPermissions: Set<string>;
  /** Custom metadata types whose records the set may read ("Custom Metadata Types" access). */
  customMetadataTypes: Set<string>;
}

export function loadPermissionSet(name: string): PermissionSet {
  const file = path.join(FORCE_APP_DEFAULT, 'permissionsets', `${name}.permissionset-meta.xml`);
  const xml = readXml(file).PermissionSet as Record<string, Array<Record<string, string>>>;
  const fields = new Map<string, { readable: boolean; editable: boolean }>();
  for (const fp of xml.fieldPermissions ?? []) {
    fields.set(fp.field ?? '', {
      readable: fp.readable === 'true',
      editable: fp.editable === 'true',
    });
  }
  const objects = new Map<string, ObjectAccess>();
  for (const op of xml.objectPermissions ?? []) {
    objects.set(op.object ?? '', {
      allowCreate: op.allowCreate === 'true',
      allowRead: op.allowRead === 'true',
      allowEdit: op.allowEdit === 'true',
      allowDelete: op.allowDelete === 'true',
      viewAllRecords: op.viewAllRecords === 'true',
      modifyAllRecords: op.modifyAllRecords === 'true',
    });
  }
  const userPermissions = new Set(
    (xml.userPermissions ?? []).filter((p) => p.enabled === 'true').map((p) => p.name ?? ''),
  );
  const customPermissions = new Set(
    [xml.customPermissions ?? []]
      .flat()
      .filter((p) => p.enabled === 'true')
      .map((p) => p.name ?? ''),
  );
  const customMetadataTypes = new Set(
    [xml.customMetadataTypeAccesses ?? []]
      .flat()
      .filter((p) => p.enabled === 'true')
      .map((p) => p.name ?? ''),
  );
  return { fields, objects, userPermissions, customPermissions, customMetadataTypes };
}

export interface ValidationRule {
  name: string;
  formula: string;
  errorMessage: string;
  errorDisplayField?: string;
}

export function loadValidationRules(object: string): ValidationRule[] {
  const dir = path.join(FORCE_APP_DEFAULT, 'objects', object, 'validationRules');
  return readdirSync(dir).map((file) => {
    const xml = readXml(path.join(dir, file)).ValidationRule as Record<string, unknown>;
    return {
      name: file.replace('.validationRule-meta.xml', ''),
      formula: text(xml.errorConditionFormula) ?? '',
      errorMessage: text(xml.errorMessage) ?? '',
      errorDisplayField: text(xml.errorDisplayField),
    };
  });
}

/** The JavaScript of every LWC bundle (tests excluded), keyed by bundle name. */
export function loadLwcSources(): Map<string, string> {
  const lwcDir = path.join(FORCE_APP_DEFAULT, 'lwc');
  const sources = new Map<string, string>();
  for (const bundle of readdirSync(lwcDir)) {
    const file = path.join(lwcDir, bundle, `${bundle}.js`);
    if (existsSync(file)) sources.set(bundle, readFileSync(file, 'utf8'));
  }
  return sources;
}

/** Every `@salesforce/schema/<path>` import: 'Opportunity', 'Opportunity.Amount', 'Opportunity.Account.BillingCountry'. */
export function schemaImports(source: string): string[] {
  return [...source.matchAll(/from\s+'@salesforce\/schema\/([\w.]+)'/g)].map((m) => m[1] ?? '');
}

/** Field paths named as string literals, e.g. optionalFields: ['Opportunity.CurrencyIsoCode']. */
export function quotedFieldPaths(source: string): string[] {
  return [
    ...source.matchAll(/'((?:Opportunity|Account|Contact)\.[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)'/g),
  ].map((m) => m[1] ?? '');
}

// ---- GraphQL (UI API) -------------------------------------------------------------------

interface Selection {
  name: string;
  args: string;
  children: Selection[];
}

function tokenize(query: string): string[] {
  return query.match(/\$?[A-Za-z_]\w*|[{}():,!]|"[^"]*"|-?\d+(?:\.\d+)?/g) ?? [];
}

function parseSelectionSet(
  tokens: string[],
  start: number,
): { selections: Selection[]; next: number } {
  // tokens[start] is '{'
  const selections: Selection[] = [];
  let i = start + 1;
  while (i < tokens.length && tokens[i] !== '}') {
    const name = tokens[i] ?? '';
    i += 1;
    let args = '';
    if (tokens[i] === '(') {
      let depth = 0;
      const argTokens: string[] = [];
      do {
        const token = tokens[i] ?? '';
        if (token === '(') depth += 1;
        if (token === ')') depth -= 1;
        argTokens.push(token);
        i += 1;
      } while (depth > 0 && i < tokens.length);
      args = argTokens.join(' ');
    }
    let children: Selection[] = [];
    if (tokens[i] === '{') {
      const parsed = parseSelectionSet(tokens, i);
      children = parsed.selections;
      i = parsed.next;
    }
    selections.push({ name, args, children });
  }
  return { selections, next: i + 1 };
}

const GRAPHQL_ARGUMENT_WORDS = new Set([
  'where',
  'orderBy',
  'first',
  'after',
  'eq',
  'ne',
  'lt',
  'gt',
  'lte',
  'gte',
  'in',
  'nin',
  'like',
  'and',
  'or',
  'not',
  'order',
  'nulls',
  'ASC',
  'DESC',
  'FIRST',
  'LAST',
  'true',
  'false',
  'null',
  'value',
  'displayValue',
  'format',
  'upperBound',
  'scope',
  'includes',
  'excludes',
]);

export interface GraphqlFieldReference {
  object: string;
  /** A field path from the queried object: 'Name', 'Account.Name' (relationship then field). */
  path: string;
}

function fieldsOfNode(
  object: string,
  selections: Selection[],
  prefix: string,
): GraphqlFieldReference[] {
  const refs: GraphqlFieldReference[] = [];
  for (const selection of selections) {
    if (selection.name === 'Id' || selection.name === '__typename') continue;
    const isLeafField =
      selection.children.length === 0 ||
      selection.children.some((c) => c.name === 'value' || c.name === 'displayValue');
    if (isLeafField) {
      refs.push({ object, path: `${prefix}${selection.name}` });
    } else {
      refs.push(...fieldsOfNode(object, selection.children, `${prefix}${selection.name}.`));
    }
  }
  return refs;
}

/** Every object and field a `gql` query in the source names, in selections and in where/orderBy. */
export function graphqlReferences(source: string): {
  objects: string[];
  fields: GraphqlFieldReference[];
} {
  const objects: string[] = [];
  const fields: GraphqlFieldReference[] = [];
  for (const match of source.matchAll(/gql`([\s\S]*?)`/g)) {
    const tokens = tokenize(match[1] ?? '');
    const uiapiIndex = tokens.indexOf('uiapi');
    if (uiapiIndex < 0 || tokens[uiapiIndex + 1] !== '{') continue;
    const uiapi = parseSelectionSet(tokens, uiapiIndex + 1).selections;
    for (const query of uiapi.filter((s) => s.name === 'query')) {
      for (const objectSelection of query.children) {
        const object = objectSelection.name;
        objects.push(object);
        for (const key of objectSelection.args.matchAll(/([A-Za-z_]\w*)\s*:/g)) {
          const word = key[1] ?? '';
          if (!GRAPHQL_ARGUMENT_WORDS.has(word)) fields.push({ object, path: word });
        }
        const edges = objectSelection.children.find((c) => c.name === 'edges');
        const node = edges?.children.find((c) => c.name === 'node');
        if (node) fields.push(...fieldsOfNode(object, node.children, ''));
      }
    }
  }
  return { objects, fields };
}

// ---- formulas -----------------------------------------------------------------------------

/** Function names and field references in a validation-rule formula. */
export function formulaParts(formula: string): {
  functions: string[];
  fieldReferences: string[];
  customPermissions: string[];
} {
  const withStrings = formula.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const customPermissions = [...withStrings.matchAll(/\$Permission\.(\w+)/g)].map(
    (m) => m[1] ?? '',
  );
  const withoutStrings = withStrings.replace(/\$Permission\.\w+/g, 'true');
  const functions = [...withoutStrings.matchAll(/([A-Za-z_]\w*)\s*\(/g)].map((m) => m[1] ?? '');
  const fieldReferences = [...withoutStrings.matchAll(/([A-Za-z_][\w.]*)(?!\s*\(|\w)/g)]
    .map((m) => m[1] ?? '')
    .filter((word) => !/^(true|false|null)$/i.test(word));
  return { functions, fieldReferences, customPermissions };
}

/** Custom permissions defined in force-app (`customPermissions/<Name>.customPermission-meta.xml`). */
export function customPermissionNames(): string[] {
  return filesIn('customPermissions', '.customPermission-meta.xml').map((f) =>
    path.basename(f).replace('.customPermission-meta.xml', ''),
  );
}

// ---- pages, layouts, list views, apps ------------------------------------------------------

function filesIn(dir: string, suffix: string): string[] {
  const full = path.join(FORCE_APP_DEFAULT, dir);
  return existsSync(full)
    ? readdirSync(full)
        .filter((f) => f.endsWith(suffix))
        .map((f) => path.join(full, f))
    : [];
}

/** Custom (namespace-less) component names a flexipage places, with the page's object. */
export function flexipageComponents(): Array<{
  page: string;
  sobjectType: string;
  component: string;
}> {
  return filesIn('flexipages', '.flexipage-meta.xml').flatMap((file) => {
    const source = readFileSync(file, 'utf8');
    const sobjectType = /<sobjectType>([^<]+)<\/sobjectType>/.exec(source)?.[1] ?? '';
    const page = path.basename(file, '.flexipage-meta.xml');
    return [...source.matchAll(/<componentName>([^<:]+)<\/componentName>/g)].map((m) => ({
      page,
      sobjectType,
      component: m[1] ?? '',
    }));
  });
}

/** The targets and objects an LWC bundle declares in its .js-meta.xml. */
export function lwcExposure(
  bundle: string,
): { exposed: boolean; targets: string[]; objects: string[] } | undefined {
  const file = path.join(FORCE_APP_DEFAULT, 'lwc', bundle, `${bundle}.js-meta.xml`);
  if (!existsSync(file)) return undefined;
  const source = readFileSync(file, 'utf8');
  return {
    exposed: /<isExposed>true<\/isExposed>/.test(source),
    targets: [...source.matchAll(/<target>([^<]+)<\/target>/g)].map((m) => m[1] ?? ''),
    objects: [...source.matchAll(/<object>([^<]+)<\/object>/g)].map((m) => m[1] ?? ''),
  };
}

/** Fields placed on each layout (layout items and related-list columns of custom children). */
export function layoutFields(): Array<{ layout: string; object: string; field: string }> {
  return filesIn('layouts', '.layout-meta.xml').flatMap((file) => {
    const layout = path.basename(file, '.layout-meta.xml');
    const object = layout.split('-')[0] ?? '';
    const source = readFileSync(file, 'utf8');
    const items = [
      ...source.matchAll(/<layoutItems>[\s\S]*?<field>([^<]+)<\/field>[\s\S]*?<\/layoutItems>/g),
    ].map((m) => ({ layout, object, field: m[1] ?? '' }));
    const related = [...source.matchAll(/<relatedLists>([\s\S]*?)<\/relatedLists>/g)].flatMap(
      (m) => {
        const body = m[1] ?? '';
        const list = /<relatedList>([^<]+)<\/relatedList>/.exec(body)?.[1] ?? '';
        const [child, lookup] = list.split('.');
        if (!child?.endsWith('__c') || !lookup) return [];
        const columns = [...body.matchAll(/<fields>([^<]+)<\/fields>/g)]
          .map((c) => c[1] ?? '')
          .filter((c) => c !== 'NAME');
        return [lookup, ...columns].map((field) => ({
          layout: `${layout} (related ${child})`,
          object: child,
          field,
        }));
      },
    );
    return [...items, ...related];
  });
}

/** Custom-field columns and filters of every list view (standard column tokens like ACCOUNT.NAME are skipped). */
export function listViewFields(): Array<{ listView: string; object: string; field: string }> {
  const objectsDir = path.join(FORCE_APP_DEFAULT, 'objects');
  return readdirSync(objectsDir).flatMap((object) => {
    const dir = path.join(objectsDir, object, 'listViews');
    if (!existsSync(dir)) return [];
    return readdirSync(dir).flatMap((file) => {
      const source = readFileSync(path.join(dir, file), 'utf8');
      const listView = `${object}.${file.replace('.listView-meta.xml', '')}`;
      return [
        ...[...source.matchAll(/<columns>([^<]+)<\/columns>/g)].map((m) => m[1] ?? ''),
        ...[...source.matchAll(/<field>([^<]+)<\/field>/g)].map((m) => m[1] ?? ''),
      ]
        .filter((field) => field.endsWith('__c'))
        .map((field) => ({ listView, object, field }));
    });
  });
}

/** Tabs each Lightning app lists. */
export function appTabs(): Array<{ app: string; tab: string }> {
  return filesIn('applications', '.app-meta.xml').flatMap((file) => {
    const app = path.basename(file, '.app-meta.xml');
    return [...readFileSync(file, 'utf8').matchAll(/<tabs>([^<]+)<\/tabs>/g)].map((m) => ({
      app,
      tab: m[1] ?? '',
    }));
  });
}

/** Custom tabs defined in force-app. */
export function customTabs(): string[] {
  return filesIn('tabs', '.tab-meta.xml').map((f) => path.basename(f, '.tab-meta.xml'));
}
