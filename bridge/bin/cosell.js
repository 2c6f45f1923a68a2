#!/usr/bin/env node
'use strict';
// Before anything loads: on a too-old Node the dependencies die with a stack trace deep inside
// undici; say what is needed instead (exit 2: the environment is misconfigured).
var floor = require('./node-floor.js').nodeFloorProblem(process.versions.node);
if (floor) {
  process.stderr.write('error: ' + floor + '\n');
  process.exit(2);
}
// `npx cosell <command>`: runs the TypeScript CLI through tsx, so installing needs no build step.
require('tsx/cjs');
require('../src/cli/main.ts');
