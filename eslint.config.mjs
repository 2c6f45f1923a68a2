// Flat ESLint config: TypeScript rules for bridge/emulators/tests, Salesforce's LWC rules for force-app.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import lwcConfig from '@salesforce/eslint-config-lwc';
import importPlugin from 'eslint-plugin-import';
import { boundaries, pureModules, pureModuleImports } from './eslint.boundaries.mjs';

export default [
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'coverage/**',
      'bench/results/**',
      '**/.sfdx/**',
      '**/.sf/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended.map((c) => ({ ...c, files: ['**/*.ts'] })),
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  // The module boundaries docs/ARCHITECTURE.md draws (eslint.boundaries.mjs says why each holds).
  {
    files: ['bridge/**/*.ts', 'emulators/**/*.ts'],
    plugins: { import: importPlugin },
    settings: { 'import/resolver': { node: { extensions: ['.ts', '.js', '.json'] } } },
    rules: { 'import/no-restricted-paths': ['error', { zones: boundaries }] },
  },
  {
    files: pureModules,
    rules: { 'no-restricted-imports': ['error', pureModuleImports] },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    ignores: ['force-app/**', 'scripts/preview/app/**', 'scripts/preview/stand-ins/**'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node, ...globals.jest } },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: globals.node },
  },
  ...lwcConfig.configs.recommended.map((c) => ({ ...c, files: ['force-app/**/lwc/**/*.js'] })),
  // The component preview's page and platform stand-ins are LWC modules too (browser code).
  ...lwcConfig.configs.recommended.map((c) => ({
    ...c,
    files: ['scripts/preview/app/**/*.js', 'scripts/preview/stand-ins/**/*.js'],
  })),
  {
    files: ['force-app/**/lwc/**/__tests__/**/*.js', 'force-app/test/**/*.js'],
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
  },
];
