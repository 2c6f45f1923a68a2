// One jest run for the whole repository: LWC component tests (sfdx-lwc-jest preset, jsdom)
// and the TypeScript packages (node environment, compiled by SWC).
const { jestConfig: lwcJestConfig } = require('@salesforce/sfdx-lwc-jest/config');

const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2023' } }];

const node = (displayName, roots, extra = {}) => ({
  displayName,
  testEnvironment: 'node',
  roots,
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': swc,
    // The LWC service modules a cross-cutting test shares with the components (plain ES modules).
    '/force-app/main/default/lwc/.+\\.js$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2023' } },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  ...extra,
});

module.exports = {
  projects: [
    {
      ...lwcJestConfig,
      displayName: 'lwc',
      rootDir: __dirname,
      roots: ['<rootDir>/force-app'],
      testMatch: ['**/lwc/**/__tests__/**/*.test.js'],
      // sfdx-lwc-jest's bundled lightning/* stubs (empApi, uiRecordApi, refresh, …) are enough
      // except lightning/graphql, whose stub lacks executeMutation: ours extends it.
      moduleNameMapper: {
        '^lightning/graphql$': '<rootDir>/force-app/test/jest-mocks/lightning/graphql.js',
      },
      // Also mocks every @salesforce/label import with the label's real value.
      setupFilesAfterEnv: ['<rootDir>/force-app/test/jest-setup.js'],
    },
    node('emulators', ['<rootDir>/emulators']),
    node('bridge', ['<rootDir>/bridge']),
    node('integration', ['<rootDir>/test']),
  ],
};
