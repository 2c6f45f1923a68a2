#!/usr/bin/env node
// `npx cosell <command>`: runs the TypeScript CLI through tsx, so installing needs no build step.
require('tsx/cjs');
require('../src/cli/main.ts');
