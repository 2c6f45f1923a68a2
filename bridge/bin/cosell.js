#!/usr/bin/env node
'use strict';
// Before anything loads: on a too-old Node the dependencies die with a stack trace deep inside
// undici; say what is needed instead (exit 2: the environment is misconfigured).
var floor = require('./node-floor.js').nodeFloorProblem(process.versions.node);
if (floor) {
  process.stderr.write('error: ' + floor + '\n');
  process.exit(2);
}
// `cosell <command>`: runs the compiled JavaScript in dist/ (`npm run build`; the package ships
// it), so nothing is transpiled at start-up.
var main = require('path').join(__dirname, '../dist/cli/main.js');
if (!require('fs').existsSync(main)) {
  // A source checkout that was never built (an installed package always has dist/).
  process.stderr.write('error: ' + main + ' is missing: run `npm run build` first\n');
  process.exit(2);
}
require(main);
