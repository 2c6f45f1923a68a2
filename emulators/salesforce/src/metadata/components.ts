import { XMLParser } from 'fast-xml-parser';
import type { PackageFiles } from './package-files';

export type Xml = Record<string, unknown>;

/**
 * One metadata component as the Metadata API names it in a deploy result: type, full name
 * (`Opportunity.Foo__c` for a field) and the package file it came from.
 */
export interface Component {
  type: string;
  fullName: string;
  fileName: string;
  xml: Xml;
  /** LightningComponentBundle: the bundle's file names (`x.js`, `x.html`, …). */
  files?: string[];
}

/** Elements that repeat; parsed as arrays even when a file has only one. */
const ARRAYS = new Set([
  'value',
  'fieldPermissions',
  'objectPermissions',
  'referenceTo',
  'fields',
  'validationRules',
  'listViews',
  'recordTypes',
  'compactLayouts',
  'webLinks',
  'fieldSets',
  'businessProcesses',
  'labels',
  'layoutSections',
  'layoutColumns',
  'layoutItems',
  'relatedLists',
  'flexiPageRegions',
  'itemInstances',
  'componentInstanceProperties',
  'tabs',
  'customPermissions',
  'filterItems',
  'columns',
  'filters',
  'targets',
  'targetConfig',
  'objects',
  'tabSettings',
  'applicationVisibilities',
  'values',
  'customMetadataTypeAccesses',
]);

export const metadataXml = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => ARRAYS.has(name),
});

/** Metadata folders and the type of the files in them (Metadata API "Metadata Types"). */
const FOLDER_TYPES: Record<string, { type: string; suffix: string }> = {
  objects: { type: 'CustomObject', suffix: '.object' },
  permissionsets: { type: 'PermissionSet', suffix: '.permissionset' },
  platformEventChannelMembers: {
    type: 'PlatformEventChannelMember',
    suffix: '.platformEventChannelMember',
  },
  layouts: { type: 'Layout', suffix: '.layout' },
  flexipages: { type: 'FlexiPage', suffix: '.flexipage' },
  tabs: { type: 'CustomTab', suffix: '.tab' },
  applications: { type: 'CustomApplication', suffix: '.app' },
  labels: { type: 'CustomLabels', suffix: '.labels' },
  customPermissions: { type: 'CustomPermission', suffix: '.customPermission' },
  notificationtypes: { type: 'CustomNotificationType', suffix: '.notiftype' },
  flows: { type: 'Flow', suffix: '.flow' },
  quickActions: { type: 'QuickAction', suffix: '.quickAction' },
  // Custom metadata records: `customMetadata/<Type without __mdt>.<Record>.md`.
  customMetadata: { type: 'CustomMetadata', suffix: '.md' },
};

/** Children of a CustomObject file that are components of their own (`Object.Child`). */
const OBJECT_CHILDREN: Record<string, string> = {
  fields: 'CustomField',
  validationRules: 'ValidationRule',
  listViews: 'ListView',
  recordTypes: 'RecordType',
  compactLayouts: 'CompactLayout',
  webLinks: 'WebLink',
  fieldSets: 'FieldSet',
  businessProcesses: 'BusinessProcess',
};

export class PackageError extends Error {
  constructor(
    readonly fileName: string,
    message: string,
  ) {
    super(message);
  }
}

function parse(fileName: string, text: string): Xml {
  try {
    const doc = metadataXml.parse(text, true) as Xml;
    const root = Object.keys(doc).find((k) => k !== '?xml');
    return (root ? doc[root] : {}) as Xml;
  } catch (error) {
    throw new PackageError(
      fileName,
      `Error parsing file: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** Readers of parsed XML values: a text element, and an element that may repeat (0, 1 or n). */
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const list = (v: unknown): Xml[] => (Array.isArray(v) ? (v as Xml[]) : v ? [v as Xml] : []);

/** The components of a metadata-format package, objects split into their child components. */
export function packageComponents(files: PackageFiles): Component[] {
  const out: Component[] = [];
  const bundles = new Map<string, string[]>();
  for (const [fileName, text] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    const [folder, ...rest] = fileName.split('/');
    if (folder === 'lwc' && rest.length === 2) {
      const bundle = rest[0] ?? '';
      bundles.set(bundle, [...(bundles.get(bundle) ?? []), rest[1] ?? '']);
      if (rest[1] === `${bundle}.js-meta.xml`) {
        out.push({
          type: 'LightningComponentBundle',
          fullName: bundle,
          fileName: `lwc/${bundle}`,
          xml: parse(fileName, text),
        });
      }
      continue;
    }
    const kind = folder ? FOLDER_TYPES[folder] : undefined;
    const file = rest.join('/');
    if (!kind || !file.endsWith(kind.suffix)) continue;
    const fullName = file.slice(0, -kind.suffix.length);
    const xml = parse(fileName, text);
    if (kind.type === 'CustomObject') {
      const own: Xml = {};
      for (const [key, value] of Object.entries(xml)) {
        const childType = OBJECT_CHILDREN[key];
        if (!childType) {
          own[key] = value;
          continue;
        }
        for (const child of value as Xml[]) {
          const name = str(child.fullName) ?? '';
          out.push({ type: childType, fullName: `${fullName}.${name}`, fileName, xml: child });
        }
      }
      // A standard object's file carries only children; it creates no object of its own.
      if (fullName.includes('__') || Object.keys(own).length > 0) {
        out.push({ type: 'CustomObject', fullName, fileName, xml: own });
      }
    } else if (kind.type === 'CustomLabels') {
      for (const label of (xml.labels ?? []) as Xml[]) {
        out.push({
          type: 'CustomLabel',
          fullName: str(label.fullName) ?? '',
          fileName,
          xml: label,
        });
      }
    } else {
      out.push({ type: kind.type, fullName, fileName, xml });
    }
  }
  for (const c of out) {
    if (c.type === 'LightningComponentBundle') c.files = bundles.get(c.fullName) ?? [];
  }
  return out;
}

export const componentKey = (c: { type: string; fullName: string }): string =>
  `${c.type}:${c.fullName}`.toLowerCase();
