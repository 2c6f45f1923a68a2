'use strict';
// Node's on-disk compile cache (Node >= 22.1): later runs skip parsing and compiling zod, pino,
// commander and the bridge, about 15% of a `cosell status` (issue 17). What is in it runs as code
// in the next cosell process, which holds the Salesforce and Partner Center credentials. Node's
// default folder, <temp>/node-compile-cache, is shared by every user of the machine and Node checks
// neither its owner nor its mode: whoever made it first (or can write to it) could plant code
// there. So cosell keeps the cache in a folder of its own user, mode 0700, and runs without it
// when that folder is anything else. NODE_COMPILE_CACHE (Node reads it itself) chooses another
// folder; NODE_DISABLE_COMPILE_CACHE=1 turns the cache off. Plain CommonJS, no dependencies: it
// runs before anything else loads.
var fs = require('fs');
var os = require('os');
var path = require('path');

/** This user's private cache folder under `tmp`, created if missing; null when it is not safe. */
function privateCompileCacheDir(tmp) {
  if (typeof process.getuid !== 'function') return null;
  var uid = process.getuid();
  var dir = path.join(tmp, 'cosell-compile-cache-' + uid);
  try {
    fs.mkdirSync(dir, { mode: 448 /* 0o700 */ });
  } catch (error) {
    if (error.code !== 'EEXIST') return null;
  }
  var stats;
  try {
    stats = fs.lstatSync(dir);
  } catch {
    return null;
  }
  // Not a symlink, ours, and nobody else may read or change it.
  if (!stats.isDirectory() || stats.uid !== uid || (stats.mode & 63) /* 0o077 */ !== 0) return null;
  return dir;
}

/** Turns the compile cache on in the private folder; returns the folder, or null when off. */
function enablePrivateCompileCache() {
  var nodeModule = require('module');
  if (typeof nodeModule.enableCompileCache !== 'function') return null;
  if (process.env.NODE_DISABLE_COMPILE_CACHE !== undefined) return null;
  // Node has already enabled it there at start-up: the operator's choice.
  if (process.env.NODE_COMPILE_CACHE) return nodeModule.getCompileCacheDir() || null;
  var dir = privateCompileCacheDir(os.tmpdir());
  if (dir) nodeModule.enableCompileCache(dir);
  return dir;
}

module.exports = { enablePrivateCompileCache: enablePrivateCompileCache };
