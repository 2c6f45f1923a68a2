/**
 * `--env-file` reaches cosell, not Node: Node scans all arguments for `--env-file`, even after the
 * script path (nodejs/node#54232), so before the bin's shebang ended Node's options with `--`, a
 * missing file stopped the process with Node's own `node: <file>: not found` and exit 9 (issue 15,
 * item 8). The bin is run the way an installed `cosell` runs: through its shebang.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const BIN = resolve(__dirname, '../../bin/cosell.js');
const run = promisify(execFile);

type Outcome = { code: number; stdout: string; stderr: string };

async function cosell(args: string[], cwd: string): Promise<Outcome> {
  // The shebang finds `node` on PATH: put the Node running the tests first.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
  };
  for (const name of Object.keys(env))
    if (/^(BRIDGE|SALESFORCE|PARTNER_CENTER)_/.test(name)) delete env[name];
  return run(BIN, args, { cwd, env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: Outcome) => error,
  );
}

describe('cosell --env-file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cosell-env-file-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a missing file is one line naming the file and the fix, exit 2 (not Node exit 9)', async () => {
    const outcome = await cosell(['status', '--env-file', 'missing.env'], dir);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr.trim().split('\n')).toEqual([
      `error: env file ${join(dir, 'missing.env')} cannot be read (ENOENT): check the path given to --env-file (relative paths start in the working directory)`,
    ]);
  });

  it('`cosell run` too, though it restarts its own image with heap flags first', async () => {
    const outcome = await cosell(['run', '--env-file', 'missing.env'], dir);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/^error: env file .*missing\.env cannot be read \(ENOENT\)/);
  });

  it('an existing file is read by cosell: its bad value is named like any configuration error', async () => {
    writeFileSync(join(dir, 'bad.env'), 'BRIDGE_ENVIRONMENT=staging\n');
    const outcome = await cosell(['--env-file', 'bad.env', 'status'], dir);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/^error: BRIDGE_ENVIRONMENT\b/);
    expect(outcome.stderr).toContain('is invalid'); // read from the file, not "is not set"
    expect(outcome.stderr).not.toContain('node:');
  });
});
