'use strict';
// The oldest Node.js every runtime dependency supports: undici 8 (bundled by jsforce) declares
// engines ">=22.19.0", the highest floor of them all (bridge/test/cli/node-floor.test.ts checks the
// lock file, so a dependency that raises it fails CI). Plain CommonJS with no dependencies: it runs
// before anything else loads, so an older Node gets this one line instead of a stack trace.
var MINIMUM_NODE = '22.19.0';

/** The one-line refusal for `version` (e.g. "22.13.0"), or null when it is new enough. */
function nodeFloorProblem(version) {
  var have = String(version).replace(/^v/, '').split('.').map(Number);
  var need = MINIMUM_NODE.split('.').map(Number);
  for (var i = 0; i < 3; i += 1) {
    if ((have[i] || 0) > need[i]) return null;
    if ((have[i] || 0) < need[i]) break;
    if (i === 2) return null;
  }
  return (
    'cosell needs Node.js >= ' +
    MINIMUM_NODE +
    ' (this is ' +
    version +
    '): install Node.js 22 LTS (22.19 or later) or 24 LTS and run it again'
  );
}

module.exports = { MINIMUM_NODE: MINIMUM_NODE, nodeFloorProblem: nodeFloorProblem };
