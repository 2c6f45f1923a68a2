/**
 * The component preview in a real browser (Debian's Chromium): every exposed component in every
 * seller state renders with the real Lightning base components and SLDS, has no accessibility
 * violation by axe-core, and shows what the state is about (R10, R11, R16, R18).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { BrowserContext, Page } from 'playwright-core';

// CommonJS helper shared with `npm run preview` (scripts/preview/run.mjs).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const chromium = require('../../scripts/preview/chromium.cjs') as {
  launchChromium: () => Promise<BrowserContext>;
  openScenario: (page: Page, index: string, id: string) => Promise<unknown>;
};

const root = path.resolve(__dirname, '../..');
const AXE = require.resolve('axe-core/axe.min.js');

let site: string;
let index: string;
let context: BrowserContext;
let page: Page;
let scenarios: string[];

beforeAll(async () => {
  site = await mkdtemp(path.join(os.tmpdir(), 'cosell-preview-test-'));
  // The build is ESM (rollup, @lwc/rollup-plugin): run it as its own process.
  await promisify(execFile)(process.execPath, ['scripts/preview/build.mjs', '--site', site], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  });
  index = path.join(site, 'index.html');
  context = await chromium.launchChromium();
  page = await context.newPage();
  await page.goto(`file://${index}`);
  // Runs in the page (the test's tsconfig has no DOM types, hence globalThis).
  scenarios = await page.evaluate(
    () =>
      (globalThis as unknown as { coSellPreview: { scenarios: string[] } }).coSellPreview.scenarios,
  );
}, 300_000);

afterAll(async () => {
  await context?.close();
  if (site) await rm(site, { recursive: true, force: true });
});

async function open(id: string): Promise<string> {
  await chromium.openScenario(page, index, id);
  return page.locator('#stage').innerText();
}

interface AxeViolation {
  id: string;
  help: string;
  nodes: Array<{ target: Array<string | string[]> }>;
}

/** axe's violations, and how many checks it made on elements inside a component's shadow tree. */
async function axeViolations(): Promise<{ violations: string[]; insideChecked: number }> {
  await page.addScriptTag({ path: AXE });
  const { violations, insideChecked } = await page.evaluate(async () => {
    const page = globalThis as unknown as {
      axe: { run: (...args: unknown[]) => Promise<unknown> };
      document: { getElementById: (id: string) => unknown };
    };
    const result = (await page.axe.run(page.document.getElementById('stage'), {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
      },
      // A fragment of a page, not a page: it has no landmarks or h1 of its own.
      rules: { region: { enabled: false }, 'page-has-heading-one': { enabled: false } },
    })) as { violations: AxeViolation[]; passes: AxeViolation[]; incomplete: AxeViolation[] };
    // axe writes a target inside shadow trees as a list of selectors, one per tree.
    const inside = [...result.passes, ...result.violations]
      .flatMap((rule) => rule.nodes)
      .filter((node) => Array.isArray(node.target[0]) && node.target[0].length > 1).length;
    return { violations: result.violations, insideChecked: inside };
  });
  return {
    violations: violations.map(
      (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
    ),
    insideChecked,
  };
}

describe('component preview in Chromium', () => {
  it('renders every exposed component in every seller state', () => {
    // The record page's cards share their states; the bulk share screen has its own.
    const cards = scenarios.filter((id) => !id.startsWith('coSellBulkShare--'));
    const components = new Set(cards.map((id) => id.split('--')[0]));
    const states = new Set(cards.map((id) => id.split('--')[1]));
    expect([...components].sort()).toEqual([
      'coSellActivityTimeline',
      'coSellDetailsEditor',
      'coSellSyncPanel',
    ]);
    expect([...states].sort()).toEqual([
      'error-with-fix',
      'inbound-awaiting-decision',
      'inbound-decision-sent',
      'inbound-expires-soon',
      'live-updates-unavailable',
      'no-activity-yet',
      'not-ready',
      'synced',
    ]);
    expect(cards).toHaveLength(components.size * states.size);
    expect(scenarios.filter((id) => id.startsWith('coSellBulkShare--')).sort()).toEqual([
      'coSellBulkShare--bulk-budget-spent',
      'coSellBulkShare--bulk-selection',
    ]);
  });

  it('R1/R11: the bulk share screen reports every selected record, the budget wait with its reset', async () => {
    const text = await open('coSellBulkShare--bulk-selection');
    expect(text).toContain(
      '6 selected: 1 shared, 1 waiting for the daily budget, 1 sharing, 2 not shared yet, 1 failed.',
    );
    expect(text).toContain('after the reset at 2026-12-06T00:00:00.000Z');
    expect(text).toContain('Enter an Amount greater than 0');
    expect(await page.locator('lightning-button.share button').innerText()).toBe(
      'Share 1 ready opportunities',
    );
  }, 60_000);

  it('has no accessibility violation (axe-core, WCAG 2.1 AA) in any component or state', async () => {
    const problems: Record<string, string[]> = {};
    for (const id of scenarios) {
      await open(id);
      const { violations, insideChecked } = await axeViolations();
      if (violations.length > 0) problems[id] = violations;
      // axe saw inside the components (synthetic shadow), not just their host elements.
      if (insideChecked < 10) problems[id] = [`axe made only ${insideChecked} checks inside`];
    }
    expect(problems).toEqual({});
  }, 240_000);

  it('R10: a synced opportunity shows its status and referral', async () => {
    const text = await open('coSellSyncPanel--synced');
    expect(text).toContain('Synced');
    expect(text).toContain('Active / Accepted');
    expect(text).toContain('7f7e1c1e-0d3e-4f53-9d8c-3c0d0e4a9c11');
  }, 60_000);

  it('R16: an error names its fix, in the status message and the checklist', async () => {
    const text = await open('coSellSyncPanel--error-with-fix');
    expect(text).toContain('Error');
    expect(text.match(/two-letter ISO code \(for example US, DE or SE\)/g)).toHaveLength(2);
  }, 60_000);

  it('R11: a record that is not ready keeps sync off and lists what is missing', async () => {
    const text = await open('coSellSyncPanel--not-ready');
    expect(text).toContain('Complete the checklist below to turn on sync.');
    expect(text).toContain('Enter an Amount greater than 0');
    expect(await page.locator('lightning-input.sync-toggle input').isDisabled()).toBe(true);
  }, 60_000);

  it('R18: an inbound referral waiting for a decision says what to do', async () => {
    const text = await open('coSellSyncPanel--inbound-awaiting-decision');
    expect(text).toContain('waits for your answer');
    // Issue 19: its owner answers it on the card.
    expect(await page.locator('lightning-button.accept button').innerText()).toBe('Accept');
    expect(await page.locator('lightning-button.decline button').innerText()).toBe('Decline');
  }, 60_000);

  it('an answer on its way and a referral close to expiry say so', async () => {
    expect(await open('coSellSyncPanel--inbound-decision-sent')).toContain(
      'Your answer (Accept) is on its way to Partner Center.',
    );
    expect(await open('coSellSyncPanel--inbound-expires-soon')).toContain(
      'This referral expires on 2026-12-06.',
    );
  }, 60_000);

  it('R10: the timeline explains an empty history', async () => {
    const text = await open('coSellActivityTimeline--no-activity-yet');
    expect(text).toContain('No sync activity yet');
  }, 60_000);

  it('R10: both live components say when live updates are unavailable', async () => {
    for (const component of ['coSellSyncPanel', 'coSellActivityTimeline']) {
      const text = await open(`${component}--live-updates-unavailable`);
      expect({ component, unavailable: text.includes('Live updates are unavailable') }).toEqual({
        component,
        unavailable: true,
      });
    }
  }, 60_000);
});
