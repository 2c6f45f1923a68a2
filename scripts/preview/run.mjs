/**
 * npm run preview -- --out <dir>: renders every exposed component in every state a seller
 * meets (scenarios in app/scenarios.js) in headless Chromium and writes <component>--<state>.png
 * into <dir>.
 */
/* global window */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import chromium from './chromium.cjs';
import { buildPreview } from './build.mjs';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
if (!values.out) {
  console.error('usage: npm run preview -- --out <dir>');
  process.exit(2);
}
const outDir = path.resolve(values.out);
await mkdir(outDir, { recursive: true });

const site = await mkdtemp(path.join(os.tmpdir(), 'cosell-preview-site-'));
const context = await chromium.launchChromium();
try {
  const index = await buildPreview(site);
  const page = await context.newPage();
  await page.goto(`file://${index}`);
  const scenarios = await page.evaluate(() => window.coSellPreview.scenarios);
  for (const id of scenarios) {
    const stage = await chromium.openScenario(page, index, id);
    const file = path.join(outDir, `${id}.png`);
    await stage.screenshot({ path: file });
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
} finally {
  await context.close();
  await rm(site, { recursive: true, force: true });
}
