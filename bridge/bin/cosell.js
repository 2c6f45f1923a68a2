#!/usr/bin/env -S node --
// The `--` ends Node's own options: Node scans every argument for `--env-file`, even after the
// script (nodejs/node#54232, fixed only for arguments after `--`), and a missing file ended the
// process with Node's message and exit 9 before cosell could say what to do.
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
// Node's on-disk compile cache (Node >= 22.1; a no-op where the cache folder cannot be written):
// later runs skip parsing and compiling zod, pino, commander and the bridge, about 15% of a
// `cosell status` (issue 17). NODE_COMPILE_CACHE chooses the folder (default: the temp folder);
// NODE_DISABLE_COMPILE_CACHE=1 turns it off.
var nodeModule = require('module');
if (
  typeof nodeModule.enableCompileCache === 'function' &&
  process.env.NODE_DISABLE_COMPILE_CACHE === undefined
) {
  nodeModule.enableCompileCache();
}
var main = require('path').join(__dirname, '../dist/cli/main.js');
if (!require('fs').existsSync(main)) {
  // A source checkout that was never built (an installed package always has dist/).
  process.stderr.write('error: ' + main + ' is missing: run `npm run build` first\n');
  process.exit(2);
}
require(main);
