// One jest run for the whole repository: LWC component tests (sfdx-lwc-jest preset, jsdom)
// and the TypeScript packages (node environment, compiled by SWC).
const { jestConfig: lwcJestConfig } = require('@salesforce/sfdx-lwc-jest/config');

const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2023' } }];

const node = (displayName, roots, extra = {}) => ({
  displayName,
  testEnvironment: 'node',
  roots,
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': swc },
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
      moduleNameMapper: {
        '^lightning/empApi$': '<rootDir>/force-app/test/jest-mocks/lightning/empApi',
        '^lightning/uiRecordApi$': '<rootDir>/force-app/test/jest-mocks/lightning/uiRecordApi',
        '^lightning/uiGraphQLApi$': '<rootDir>/force-app/test/jest-mocks/lightning/uiGraphQLApi',
        '^lightning/navigation$': '<rootDir>/force-app/test/jest-mocks/lightning/navigation',
        '^lightning/platformShowToastEvent$':
          '<rootDir>/force-app/test/jest-mocks/lightning/platformShowToastEvent',
      },
      setupFilesAfterEnv: ['<rootDir>/force-app/test/jest-setup.js'],
    },
    node('emulators', ['<rootDir>/emulators']),
    node('bridge', ['<rootDir>/bridge']),
    node('integration', ['<rootDir>/test']),
  ],
};
