// How the preview and its browser test start Debian's Chromium and know a scenario has settled;
// CommonJS so both the .mjs preview script and the jest (CommonJS) test can load it.
/* global document */
const os = require('node:os');
const path = require('node:path');
const fs = require('node:fs');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Launches headless Chromium with a fresh profile; resolves to a playwright BrowserContext. */
async function launchChromium() {
  const { chromium } = require('playwright-core');
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`,
    );
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cosell-preview-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 480, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const close = context.close.bind(context);
  context.close = async () => {
    await close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return context;
}

/**
 * Runs in the page: true once the scenario `id` is mounted and rendered: its card is there, no
 * spinner is loading, and every base-component icon has drawn its SVG (icons load lazily).
 */
function scenarioSettled(id) {
  if (document.documentElement.dataset.scenario !== id) return false;
  const all = [];
  const walk = (root) => {
    for (const element of root.querySelectorAll('*')) {
      all.push(element);
      if (element.shadowRoot) walk(element.shadowRoot);
    }
  };
  walk(document);
  const tag = (name) => all.filter((element) => element.localName === name);
  if (tag('lightning-card').length === 0) return false;
  if (tag('lightning-spinner').length > 0) return false;
  return tag('lightning-primitive-icon').every((icon) =>
    (icon.shadowRoot || icon).querySelector('svg'),
  );
}

/** Opens scenario `id` of the built preview (index.html at `indexFile`) and waits for it. */
async function openScenario(page, indexFile, id, timeout = 20000) {
  // A fresh document per scenario (a hash change alone would not reload the page).
  await page.goto('about:blank');
  await page.goto(`file://${indexFile}#${encodeURIComponent(id)}`);
  await page.waitForFunction(scenarioSettled, id, { timeout });
  return page.locator('#stage');
}

module.exports = { launchChromium, openScenario, scenarioSettled };
