#!/usr/bin/env node
// `npm run package`: converts force-app (source format) to a metadata API package, the format
// Workbench, change-set tooling and `sf project deploy start --metadata-dir` accept.
// Writes dist/salesforce-package/ (package.xml + metadata) and dist/salesforce-package.zip.
// Uses @salesforce/source-deploy-retrieve, the library inside the Salesforce CLI, so the result
// is what `sf project convert source` would produce; .forceignore is honoured (tests never ship).
'use strict';

const fs = require('node:fs/promises');
const path = require('node:path');
const { ComponentSet, MetadataConverter } = require('@salesforce/source-deploy-retrieve');

const REPO_ROOT = path.resolve(__dirname, '..');

/**
 * Converts `sourceDir` into `<outDir>/salesforce-package/` and `<outDir>/salesforce-package.zip`.
 * Throws (with the converter's error as cause) when the source cannot be converted.
 * @param {{ sourceDir?: string, outDir?: string }} [options]
 * @returns {Promise<{ directory: string, zipPath: string, componentCount: number }>}
 */
async function buildSalesforcePackage(options = {}) {
  const sourceDir = path.resolve(options.sourceDir ?? path.join(REPO_ROOT, 'force-app'));
  const outDir = path.resolve(options.outDir ?? path.join(REPO_ROOT, 'dist'));
  const directory = path.join(outDir, 'salesforce-package');
  const zipPath = path.join(outDir, 'salesforce-package.zip');

  const components = ComponentSet.fromSource(sourceDir);
  if (components.size === 0) {
    throw new Error(`No Salesforce metadata found under ${sourceDir}`);
  }
  const converter = new MetadataConverter();
  try {
    // A stale folder could hide a component that no longer converts, so start clean.
    await fs.rm(directory, { recursive: true, force: true });
    await converter.convert(components, 'metadata', {
      type: 'directory',
      outputDirectory: directory,
      genUniqueDir: false,
    });
    const zipped = await converter.convert(components, 'metadata', { type: 'zip' });
    if (!zipped.zipBuffer) throw new Error('the converter returned no zip');
    await fs.writeFile(zipPath, zipped.zipBuffer);
  } catch (cause) {
    throw new Error(`Failed to convert ${sourceDir} to a metadata API package`, { cause });
  }
  return { directory, zipPath, componentCount: components.size };
}

function parseOutDir(argv) {
  const index = argv.indexOf('--out');
  return index >= 0 ? argv[index + 1] : undefined;
}

if (require.main === module) {
  buildSalesforcePackage({ outDir: parseOutDir(process.argv.slice(2)) })
    .then(({ directory, zipPath, componentCount }) => {
      process.stdout.write(
        `Converted ${componentCount} components.\n` +
          `  folder: ${path.relative(process.cwd(), directory)}\n` +
          `  zip:    ${path.relative(process.cwd(), zipPath)} (deploy with Workbench: Migration > Deploy)\n`,
      );
    })
    .catch((error) => {
      process.stderr.write(`${error.message}${error.cause ? `: ${error.cause.message}` : ''}\n`);
      process.exitCode = 1;
    });
}

module.exports = { buildSalesforcePackage };
