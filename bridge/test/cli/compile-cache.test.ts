/**
 * cosell's compile cache holds code the next cosell process runs with the bridge's credentials.
 * Node's default folder, <temp>/node-compile-cache, is shared by every local user and Node uses it
 * whoever made it and whatever its mode, so another user could plant code there: cosell keeps the
 * cache in a 0700 folder of its own user and runs without it when that folder is not exactly that.
 * Real Node processes with TMPDIR pointing at a folder of this test.
 */
import { execFile } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const BIN = resolve(__dirname, '../../bin');
const run = promisify(execFile);

/** The environment of a child whose temp folder is `tmp`, without the operator's cache settings. */
function envWith(tmp: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp };
  delete env.NODE_COMPILE_CACHE;
  delete env.NODE_DISABLE_COMPILE_CACHE;
  return env;
}

/** Runs the helper the way cosell.js does and reports where Node's cache ended up. */
async function enableIn(tmp: string): Promise<{ returned: string | null; nodeDir: string | null }> {
  const script = `
    const returned = require(${JSON.stringify(join(BIN, 'compile-cache.js'))}).enablePrivateCompileCache();
    const nodeDir = require('module').getCompileCacheDir() ?? null;
    process.stdout.write(JSON.stringify({ returned, nodeDir }));`;
  const { stdout } = await run(process.execPath, ['-e', script], { env: envWith(tmp) });
  return JSON.parse(stdout) as { returned: string | null; nodeDir: string | null };
}

describe('cosell keeps its compile cache out of reach of other local users', () => {
  let tmp: string;
  const uid = process.getuid!();
  const own = () => join(tmp, `cosell-compile-cache-${uid}`);
  const shared = () => join(tmp, 'node-compile-cache');

  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'cosell-compile-cache-test-'));
  });
  afterEach(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  it("uses a 0700 folder of this user, never Node's shared node-compile-cache", async () => {
    const { returned, nodeDir } = await enableIn(tmp);
    expect(returned).toBe(own());
    expect(nodeDir?.startsWith(`${own()}/`)).toBe(true); // Node adds a folder per Node version
    expect(lstatSync(own()).mode & 0o777).toBe(0o700);
    expect(existsSync(shared())).toBe(false);
  });

  it('runs without the cache when its folder can be changed by others', async () => {
    mkdirSync(own());
    chmodSync(own(), 0o777);
    expect(await enableIn(tmp)).toEqual({ returned: null, nodeDir: null });
    expect(existsSync(shared())).toBe(false);
  });

  it('runs without the cache when its folder is a symlink (to a folder someone else chose)', async () => {
    const elsewhere = join(tmp, 'elsewhere');
    mkdirSync(elsewhere, { mode: 0o700 });
    symlinkSync(elsewhere, own());
    expect(await enableIn(tmp)).toEqual({ returned: null, nodeDir: null });
  });

  it('bin/cosell.js turns on the private cache before it loads anything else', async () => {
    // Whether or not dist/ is built, the cache is set up first (a missing build exits 2 after it).
    await run(process.execPath, ['--', join(BIN, 'cosell.js'), '--version'], {
      env: envWith(tmp),
    }).catch((error: { code?: number }) => expect(error.code).toBe(2));
    expect(lstatSync(own()).isDirectory()).toBe(true);
    expect(existsSync(shared())).toBe(false);
  });
});
