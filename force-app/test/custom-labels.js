// Reads the package's custom labels (force-app/main/default/labels) as {name: value}, for the
// jest label mocks and the component preview: both show the labels' real text, never a copy.
const fs = require('fs');
const path = require('path');
const { XMLParser } = require('fast-xml-parser');

const LABELS_FILE = path.resolve(__dirname, '../main/default/labels/CustomLabels.labels-meta.xml');

/** @returns {Record<string, string>} every label's value by its fullName */
function customLabels(file = LABELS_FILE) {
  const parser = new XMLParser({ isArray: (name) => name === 'labels', parseTagValue: false });
  const parsed = parser.parse(fs.readFileSync(file, 'utf8'));
  const labels = parsed.CustomLabels?.labels ?? [];
  return Object.fromEntries(labels.map((label) => [label.fullName, String(label.value)]));
}

module.exports = { customLabels, LABELS_FILE };
