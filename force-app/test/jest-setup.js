// Accessibility matchers (toBeAccessible) for every LWC test.
const { registerSa11yMatcher } = require('@sa11y/jest');
const { customLabels } = require('./custom-labels');

registerSa11yMatcher();

// @salesforce/label imports resolve to the labels' real values (sfdx-lwc-jest would otherwise
// give the label's name), so tests read what a seller reads and catch a label that is missing.
for (const [name, value] of Object.entries(customLabels())) {
  jest.doMock(`@salesforce/label/c.${name}`, () => ({ __esModule: true, default: value }), {
    virtual: true,
  });
}
