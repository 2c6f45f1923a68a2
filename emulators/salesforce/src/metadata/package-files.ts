import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import JSZip from 'jszip';

/**
 * A metadata-format package as the Metadata API receives it: paths relative to the package root
 * (`objects/Opportunity.object`, `lwc/x/x.js`, `package.xml`) → file text.
 */
export type PackageFiles = Map<string, string>;

/**
 * The files of a deploy zip. The CLI zips the package at the root; Workbench users often zip a
 * folder, so a single top folder holding `package.xml` is stripped as Salesforce does.
 */
export async function readPackageZip(zip: Buffer): Promise<PackageFiles> {
  const archive = await JSZip.loadAsync(zip);
  const entries = Object.values(archive.files).filter((f) => !f.dir);
  const manifest = entries.find((f) => basename(f.name) === 'package.xml');
  const prefix = manifest ? manifest.name.slice(0, -'package.xml'.length) : '';
  const files: PackageFiles = new Map();
  for (const entry of entries) {
    if (!entry.name.startsWith(prefix)) continue;
    files.set(entry.name.slice(prefix.length), await entry.async('string'));
  }
  return files;
}

/** Children of a decomposed CustomObject folder and the element each becomes in `.object`. */
const OBJECT_CHILDREN: Record<string, string> = {
  fields: 'fields',
  validationRules: 'validationRules',
  listViews: 'listViews',
  recordTypes: 'recordTypes',
  compactLayouts: 'compactLayouts',
  webLinks: 'webLinks',
  fieldSets: 'fieldSets',
  businessProcesses: 'businessProcesses',
};

/** What `.forceignore` keeps out of every deploy in this repository (tests, tooling files). */
function ignored(rel: string): boolean {
  const parts = rel.split(sep);
  return (
    parts.includes('__tests__') ||
    parts.includes('test') ||
    parts.some((p) => p.startsWith('.') || p === 'node_modules') ||
    rel.endsWith('.test.js') ||
    ['jsconfig.json', '.eslintrc.json', 'package.xml'].includes(basename(rel))
  );
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

const xmlBody = (xml: string, root: string): string => {
  const open = new RegExp(`<${root}(\\s[^>]*)?>`).exec(xml);
  const close = xml.lastIndexOf(`</${root}>`);
  if (!open || close < 0) return '';
  return xml.slice(open.index + open[0].length, close);
};

const NS = 'http://soap.sforce.com/2006/04/metadata';

/**
 * Converts a source-format directory (`force-app`) to the metadata-format files the Salesforce
 * CLI zips for a deploy: decomposed objects merged into one `objects/<Name>.object`, `-meta.xml`
 * dropped from single-file types, LWC bundles as they are. The emulator's default start deploys
 * this through the same code as `sf project deploy start`.
 */
export function sourceToPackage(dir: string): PackageFiles {
  const files: PackageFiles = new Map();
  const objects = new Map<string, { root?: string; children: string[] }>();
  const object = (name: string) => {
    let o = objects.get(name);
    if (!o) objects.set(name, (o = { children: [] }));
    return o;
  };
  for (const path of walk(dir)) {
    const rel = relative(dir, path);
    if (ignored(rel)) continue;
    const parts = rel.split(sep);
    const text = readFileSync(path, 'utf8');
    const lwc = parts.indexOf('lwc');
    if (lwc >= 0 && lwc < parts.length - 1) {
      files.set(parts.slice(lwc).join('/'), text);
      continue;
    }
    const objectsAt = parts.indexOf('objects');
    if (objectsAt >= 0 && parts.length - objectsAt >= 3) {
      const objectName = parts[objectsAt + 1] ?? '';
      const folder = parts[objectsAt + 2] ?? '';
      if (parts.length - objectsAt === 3 && folder.endsWith('.object-meta.xml')) {
        object(objectName).root = xmlBody(text, 'CustomObject');
      } else if (OBJECT_CHILDREN[folder] && parts.length - objectsAt === 4) {
        const tag = OBJECT_CHILDREN[folder];
        const root = /<([A-Za-z]+)[\s>]/.exec(text.replace(/<\?xml[^>]*\?>/, ''))?.[1] ?? '';
        let body = xmlBody(text, root);
        if (!/<fullName>/.test(body)) {
          const fullName = basename(path).replace(/\.[A-Za-z]+-meta\.xml$/, '');
          body = `\n    <fullName>${fullName}</fullName>${body}`;
        }
        object(objectName).children.push(`    <${tag}>${body}</${tag}>`);
      }
      continue;
    }
    const m = /^(.+)-meta\.xml$/.exec(parts[parts.length - 1] ?? '');
    const folderAt = parts.length - 2;
    if (!m || folderAt < 0) continue;
    files.set(`${parts[folderAt]}/${m[1]}`, text);
  }
  for (const [name, o] of objects) {
    files.set(
      `objects/${name}.object`,
      `<?xml version="1.0" encoding="UTF-8"?>\n<CustomObject xmlns="${NS}">${o.root ?? '\n'}${o.children.join('\n')}\n</CustomObject>\n`,
    );
  }
  return files;
}
