/**
 * Builds the component preview site into `outDir`: one IIFE bundle (so a file:// page loads
 * it) of the package's LWCs with the real lightning-base-components and LWC 9 (synthetic
 * shadow), an index.html and SLDS's styles. Only the platform modules are
 * stand-ins (stand-ins/): uiRecordApi, uiObjectInfoApi, graphql, empApi, toast, refresh, the
 * record picker, and the @salesforce/label, schema imports answered below.
 */
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { rollup } from 'rollup';
import lwc from '@lwc/rollup-plugin';

const require = createRequire(import.meta.url);
const { customLabels } = require('../../force-app/test/custom-labels.js');

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const slds = path.dirname(require.resolve('@salesforce-ux/design-system/package.json'));

// Virtual modules for the platform's scoped imports that the package's own code uses.
const SCOPED = '\0preview-scoped:';
function scopedImports() {
  const labels = customLabels();
  return {
    name: 'preview-scoped-imports',
    resolveId(source) {
      if (source.startsWith('@salesforce/label/c.') || source.startsWith('@salesforce/schema/')) {
        return SCOPED + source;
      }
      // Under synthetic shadow the base combobox must not use ElementInternals (it needs
      // native shadow roots), so its feature gate is closed here.
      // The seller's locale settings: the values lightning-base-components ships for its own use.
      if (source.startsWith('@salesforce/i18n/')) {
        return require.resolve(
          `lightning-base-components/scopedImports/@salesforce-i18n-${source.slice(17)}.js`,
        );
      }
      // The viewing user: the fixtures' opportunity owner (sfdx-lwc-jest's default user id), so
      // the owner's controls show.
      if (source === '@salesforce/user/Id') return `${SCOPED}user-id`;
      if (source === '@salesforce/gate/bc.260.enableComboboxElementInternals') {
        return `${SCOPED}gate-closed`;
      }
      return null;
    },
    // The base components ask import.meta.env.SSR; this is the browser.
    resolveImportMeta(property) {
      return property === 'env' ? '({ SSR: false })' : null;
    },
    load(id) {
      if (!id.startsWith(SCOPED)) return null;
      const source = id.slice(SCOPED.length);
      if (source === 'gate-closed') return 'export default { isOpen: () => false };';
      if (source === 'user-id') return 'export default "005000000000000000";';
      if (source.startsWith('@salesforce/label/c.')) {
        const name = source.slice('@salesforce/label/c.'.length);
        if (!(name in labels)) this.error(`Custom label ${name} is not in CustomLabels`);
        return `export default ${JSON.stringify(labels[name])};`;
      }
      const [objectApiName, ...field] = source.slice('@salesforce/schema/'.length).split('.');
      const value = field.length
        ? { objectApiName, fieldApiName: field.join('.') }
        : { objectApiName };
      return `export default ${JSON.stringify(value)};`;
    },
  };
}

// The jest fixtures are JSON files; the scenarios import them as they are. A \0 id keeps the
// LWC compiler from trying to transform them.
const JSON_PREFIX = '\0preview-json:';
function json() {
  return {
    name: 'preview-json',
    resolveId(source, importer) {
      if (!source.endsWith('.json') || !importer) return null;
      return JSON_PREFIX + path.resolve(path.dirname(importer), source);
    },
    async load(id) {
      if (!id.startsWith(JSON_PREFIX)) return null;
      return `export default ${await readFile(id.slice(JSON_PREFIX.length), 'utf8')};`;
    },
  };
}

// force-app keeps its bundles without a namespace folder, so each is named c/<bundle>.
async function packageModules() {
  const lwcDir = path.join(root, 'force-app/main/default/lwc');
  const bundles = await readdir(lwcDir, { withFileTypes: true });
  return bundles
    .filter((entry) => entry.isDirectory())
    .map(({ name }) => ({ name: `c/${name}`, path: path.join(lwcDir, name, `${name}.js`) }));
}

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Co-Sell Sync component preview</title>
    <link rel="stylesheet" href="slds/styles/salesforce-lightning-design-system.min.css" />
    <style>
      body { margin: 0; background: #f3f3f3; }
      main { width: 440px; padding: 12px; }
    </style>
  </head>
  <body>
    <main id="stage" class="slds-scope"></main>
    <script src="preview.js"></script>
  </body>
</html>
`;

/** Builds the site; resolves to the path of its index.html. */
export async function buildPreview(outDir) {
  await mkdir(outDir, { recursive: true });
  const bundle = await rollup({
    input: path.join(here, 'app/main.js'),
    plugins: [
      scopedImports(),
      json(),
      lwc({
        rootDir: root,
        modules: [
          { dir: path.join(here, 'stand-ins') },
          ...(await packageModules()),
          { npm: 'lightning-base-components' },
        ],
      }),
    ],
    onwarn(warning, warn) {
      // lightning-base-components has circular imports and `this` at module level; harmless.
      if (['CIRCULAR_DEPENDENCY', 'THIS_IS_UNDEFINED'].includes(warning.code)) return;
      warn(warning);
    },
  });
  try {
    await bundle.write({
      file: path.join(outDir, 'preview.js'),
      format: 'iife',
      inlineDynamicImports: true,
      // The LWC engine and the base components read process.env.NODE_ENV: production mode.
      intro: "const process = { env: { NODE_ENV: 'production' } };",
    });
  } finally {
    await bundle.close();
  }
  await cp(path.join(slds, 'assets/styles'), path.join(outDir, 'slds/styles'), { recursive: true });
  const index = path.join(outDir, 'index.html');
  await writeFile(index, PAGE);
  return index;
}

// `node scripts/preview/build.mjs --site <dir>`: only build the site (the browser test does).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { site: { type: 'string' } } });
  if (!values.site) {
    console.error('usage: node scripts/preview/build.mjs --site <dir>');
    process.exit(2);
  }
  console.log(await buildPreview(path.resolve(values.site)));
}
