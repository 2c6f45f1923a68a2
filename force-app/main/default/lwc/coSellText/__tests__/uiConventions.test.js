// Package-wide UI conventions: translatable text (custom labels) and valid SLDS icons.
import { customLabels } from '../../../../../test/custom-labels';

const fs = require('fs');
const path = require('path');

const LWC_DIR = path.resolve(__dirname, '../..');
const SLDS_ICONS = path.dirname(
  require.resolve('@salesforce-ux/design-system/assets/icons/standard/recent.svg'),
);

/** Every c.<Name> an LWC source (not a test) imports from @salesforce/label. */
function importedLabels() {
  const names = [];
  for (const bundle of fs.readdirSync(LWC_DIR)) {
    const dir = path.join(LWC_DIR, bundle);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.js'))) {
      const source = fs.readFileSync(path.join(dir, file), 'utf8');
      for (const match of source.matchAll(/@salesforce\/label\/c\.(\w+)/g)) {
        names.push({ bundle, name: match[1] });
      }
    }
  }
  return names;
}

/** Every "category:name" SLDS icon the components' templates and scripts name. */
function namedIcons() {
  const icons = [];
  for (const bundle of fs.readdirSync(LWC_DIR)) {
    const dir = path.join(LWC_DIR, bundle);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const file of fs.readdirSync(dir).filter((f) => /\.(js|html)$/.test(f))) {
      const source = fs.readFileSync(path.join(dir, file), 'utf8');
      for (const match of source.matchAll(
        /['"]((?:standard|utility|action|custom|doctype):\w+)['"]/g,
      )) {
        icons.push({ bundle, icon: match[1] });
      }
    }
  }
  return icons;
}

describe('UI conventions', () => {
  it('every label a component imports exists in CustomLabels.labels-meta.xml', () => {
    const labels = customLabels();
    const used = importedLabels();
    expect(used.length).toBeGreaterThan(50);
    expect(used.filter(({ name }) => !(name in labels))).toEqual([]);
  });

  it('every label in CustomLabels.labels-meta.xml is used by a component', () => {
    const used = new Set(importedLabels().map(({ name }) => name));
    expect(Object.keys(customLabels()).filter((name) => !used.has(name))).toEqual([]);
  });

  it('the components hold no hard-coded user-facing text in their templates', () => {
    // Text nodes and the attributes a seller reads must come from labels ({...} bindings).
    const userFacing =
      /\s(label|title|alternative-text|placeholder|field-level-help|source-label|selected-label|message-toggle-active|message-toggle-inactive)="[^{"]/;
    const problems = [];
    for (const bundle of fs.readdirSync(LWC_DIR)) {
      const file = path.join(LWC_DIR, bundle, `${bundle}.html`);
      if (!fs.existsSync(file)) continue;
      const html = fs.readFileSync(file, 'utf8');
      if (userFacing.test(html)) problems.push(`${bundle}: literal attribute text`);
      const text = html
        .replace(/<[^>]*>/g, ' ')
        .replace(/\{[^}]*\}/g, ' ')
        .trim();
      if (/[A-Za-z]/.test(text)) problems.push(`${bundle}: literal text "${text.slice(0, 40)}"`);
    }
    expect(problems).toEqual([]);
  });
  it('every icon a component names exists in the SLDS icon set (a missing one renders blank)', () => {
    const icons = namedIcons();
    expect(icons.map((i) => i.icon)).toEqual(
      expect.arrayContaining(['standard:partners', 'standard:recent', 'standard:solution']),
    );
    const missing = icons.filter(({ icon }) => {
      const [category, name] = icon.split(':');
      return !fs.existsSync(path.join(SLDS_ICONS, '..', category, `${name}.svg`));
    });
    expect(missing).toEqual([]);
  });
});
