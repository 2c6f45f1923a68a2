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
// Node 22 still calls node:sqlite experimental and prints a warning when the store opens: on
// every command and at every start, to operators who can do nothing about it (Node 24 does not).
// Only that one warning is dropped; every other warning is printed as Node would.
var emitWarning = process.emitWarning;
process.emitWarning = function (warning) {
  var text = typeof warning === 'string' ? warning : warning && warning.message;
  var type = typeof arguments[1] === 'string' ? arguments[1] : arguments[1] && arguments[1].type;
  if (type === 'ExperimentalWarning' && /^SQLite is an experimental feature/.test(text)) return;
  return emitWarning.apply(process, arguments);
};
// Node's on-disk compile cache, in a folder only this user can change (compile-cache.js says why).
require('./compile-cache.js').enablePrivateCompileCache();
// `cosell run` is a long-lived service: start it with V8 heap settings sized for it (issue 17).
// Node 22+ lets the young generation grow to 64 MB per semi-space on a large host, which a bulk
// switch-on fills with short-lived request and row objects: 128 MB of the 2,000-opportunity run's
// 330 MB peak RSS. 8 MB semi-spaces (Node 20's young generation was 16 MB each) and a smaller old
// generation growth step keep the resident set near what the bridge really holds (~40 MB of live
// JavaScript). These flags are refused in NODE_OPTIONS, so the process replaces itself once
// (execve: same pid, for systemd and signals) with them on the command line. COSELL_RUN_V8_FLAGS
// overrides the list ("" = none); the flags already present mean it has been done.
var RUN_V8_FLAGS = ['--max-semi-space-size=8', '--heap-growing-percent=50'];
var command = process.argv.slice(2).filter(function (arg) {
  return arg.charAt(0) !== '-';
})[0];
if (command === 'run' && typeof process.execve === 'function') {
  var override = process.env.COSELL_RUN_V8_FLAGS;
  var flags = override === undefined ? RUN_V8_FLAGS : override.split(/\s+/).filter(Boolean);
  if (flags.length > 0 && process.execArgv.indexOf(flags[0]) === -1) {
    process.execve(
      process.execPath,
      // `--` again: without it Node would read a `--env-file` meant for cosell (see the shebang).
      [process.execPath].concat(flags, process.execArgv, ['--', __filename], process.argv.slice(2)),
      process.env,
    );
  }
}
var main = require('path').join(__dirname, '../dist/cli/main.js');
if (!require('fs').existsSync(main)) {
  // A source checkout that was never built (an installed package always has dist/).
  process.stderr.write('error: ' + main + ' is missing: run `npm run build` first\n');
  process.exit(2);
}
require(main);
