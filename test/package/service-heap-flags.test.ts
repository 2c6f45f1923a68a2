/**
 * `cosell run` restarts itself once, in the same process (execve), with the V8 heap settings the
 * service is benchmarked with (bridge/bin/cosell.js, issue 17: peak RSS of the bulk run); other
 * commands start as they are. A preloaded script reports each program image's pid and flags.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COSELL_BIN } from '../support';

describe('cosell run starts with its heap settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cosell-flags-'));
  const probe = join(dir, 'probe.js');
  writeFileSync(
    probe,
    "process.stderr.write('image ' + JSON.stringify({ pid: process.pid, execArgv: process.execArgv }) + '\\n');\n",
  );
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function images(args: string[], env: Record<string, string> = {}) {
    const result = spawnSync(process.execPath, [COSELL_BIN, ...args], {
      env: { ...process.env, ...env, NODE_OPTIONS: `--require ${probe}` },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(0);
    return result.stderr
      .split('\n')
      .filter((line) => line.startsWith('image '))
      .map((line) => JSON.parse(line.slice(6)) as { pid: number; execArgv: string[] });
  }

  it('replaces its own image once with the young-generation and growth limits', () => {
    const seen = images(['run', '--help']);
    expect(seen).toHaveLength(2);
    expect(seen[1]!.pid).toBe(seen[0]!.pid);
    expect(seen[0]!.execArgv).not.toContain('--max-semi-space-size=8');
    expect(seen[1]!.execArgv).toEqual(
      expect.arrayContaining(['--max-semi-space-size=8', '--heap-growing-percent=50']),
    );
  });

  it('leaves other commands alone, and COSELL_RUN_V8_FLAGS replaces the list (blank: none)', () => {
    expect(images(['--help'])).toHaveLength(1);
    expect(images(['run', '--help'], { COSELL_RUN_V8_FLAGS: ' ' })).toHaveLength(1);
    const custom = images(['run', '--help'], { COSELL_RUN_V8_FLAGS: '--max-semi-space-size=4' });
    expect(custom).toHaveLength(2);
    expect(custom[1]!.execArgv).toContain('--max-semi-space-size=4');
  });
});
