/**
 * Errors that say what to do (README: one line naming the cause and the fix; exit 2 for
 * configuration): unreachable services name the URL variable and the network cause instead of a
 * credential or role fix, a token URL that is no token endpoint says so, a store that is missing,
 * unreadable or cannot be created names BRIDGE_DATABASE_URL at once, and a person reading a
 * command's output gets no pino JSON.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COSELL_BIN, freePort, startStack, type Stack } from '../support';
import { E2E_TIMEOUT_MS } from './e2e-helpers';

jest.setTimeout(E2E_TIMEOUT_MS * 2);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

describe('e2e: errors that say what to do', () => {
  let stack: Stack;
  const elsewhere = mkdtempSync(join(tmpdir(), 'cosell-elsewhere-'));

  beforeAll(async () => {
    stack = await startStack({ setup: false, startBridge: false });
  });
  afterAll(async () => {
    rmSync(elsewhere, { recursive: true, force: true });
    await stack?.dispose();
  });

  /** `cosell <args>` with the bridge's environment plus `env`, in `cwd`. */
  function cosell(args: string[], env: Record<string, string> = {}, cwd = stack.bridge.dir) {
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(
        ([k]) => !/^(SALESFORCE_|PARTNER_CENTER_|BRIDGE_)/.test(k),
      ),
    );
    const started = Date.now();
    return new Promise<Run>((resolve) => {
      execFile(
        process.execPath,
        [COSELL_BIN, ...args],
        {
          cwd,
          env: { ...inherited, ...stack.bridge.env, BRIDGE_LOG_LEVEL: 'info', ...env },
          timeout: 60_000,
        },
        (error, stdout, stderr) =>
          resolve({
            code: error ? ((error as { code?: number }).code ?? null) : 0,
            stdout,
            stderr,
            ms: Date.now() - started,
          }),
      );
    });
  }

  it('R7: Salesforce unreachable: doctor names SALESFORCE_LOGIN_URL and the cause (ECONNREFUSED), not the credentials', async () => {
    const port = await freePort();
    const run = await cosell(['doctor'], { SALESFORCE_LOGIN_URL: `http://127.0.0.1:${port}` });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `✗ Salesforce sign-in [R7]: Salesforce did not answer at http://127.0.0.1:${port} (fetch failed: connect ECONNREFUSED 127.0.0.1:${port})`,
    );
    expect(run.stdout).toMatch(
      /^ {4}fix: check SALESFORCE_LOGIN_URL and that this machine can reach it/m,
    );
    expect(run.stdout).not.toMatch(/sign-in failed: .*sign-in failed/);
  });

  it('R2: Partner Center API unreachable: doctor does not say to grant the Referrals admin role', async () => {
    const port = await freePort();
    const run = await cosell(['doctor'], {
      PARTNER_CENTER_API_URL: `http://127.0.0.1:${port}`,
      PARTNER_CENTER_CERTIFICATE_HOSTS: '127.0.0.1',
    });
    const role = run.stdout.split('\n').findIndex((l) => l.includes('Partner Center role'));
    expect(role).toBeGreaterThanOrEqual(0);
    const [line, fix] = run.stdout.split('\n').slice(role, role + 2);
    expect(line).toMatch(/^✗ .*ECONNREFUSED/);
    expect(fix).toContain('check PARTNER_CENTER_API_URL');
    expect(fix).not.toContain('Referrals admin');
  });

  it('R7: a token URL that is no token endpoint says so and names PARTNER_CENTER_TOKEN_URL', async () => {
    const run = await cosell(['doctor'], {
      PARTNER_CENTER_TOKEN_URL: `${stack.partnerCenter.url}/<tenant>/oauth2/not-a-token-endpoint`,
    });
    expect(run.stdout).toMatch(
      /✗ Partner Center sign-in \[R7\]: .*the token URL answered HTTP 404, so it is not a token endpoint/,
    );
    expect(run.stdout).toMatch(/^ {4}fix: check PARTNER_CENTER_TOKEN_URL/m);
  });

  it('read-only commands in another folder do not create an empty store: one line naming BRIDGE_DATABASE_URL, exit 2', async () => {
    for (const args of [['status'], ['failures', 'list'], ['explain', '006000000000001AAA']]) {
      const run = await cosell(
        args,
        { BRIDGE_DATABASE_URL: 'sqlite:./data/cosell.sqlite' },
        elsewhere,
      );
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split('\n')).toEqual([
        `error: BRIDGE_DATABASE_URL points at ${join(elsewhere, 'data/cosell.sqlite')}, which does not exist: run this command where the bridge runs (a relative path such as the default sqlite:./data/cosell.sqlite is relative to the working directory) or set BRIDGE_DATABASE_URL to the bridge's store`,
      ]);
    }
    expect(existsSync(join(elsewhere, 'data'))).toBe(false);
  });

  it('doctor before the first run reports the missing store and leaves no empty one behind', async () => {
    const run = await cosell(
      ['doctor', '--json'],
      { BRIDGE_DATABASE_URL: 'sqlite:./data/cosell.sqlite' },
      elsewhere,
    );
    const { checks } = JSON.parse(run.stdout) as {
      checks: { id: string; state: string; detail: string }[];
    };
    const store = checks.find((c) => c.id === 'store');
    expect(store?.state).toBe('ok');
    expect(store?.detail).toContain(
      `no store at ${join(elsewhere, 'data/cosell.sqlite')} yet: the first \`cosell run\` in this folder creates it`,
    );
    expect(existsSync(join(elsewhere, 'data'))).toBe(false);
  });

  it('a garbage store file and an impossible path fail fast with one line naming BRIDGE_DATABASE_URL, exit 2', async () => {
    const garbage = join(elsewhere, 'garbage.sqlite');
    writeFileSync(garbage, 'this is not a database, just some bytes to be refused\n'.repeat(100));
    const bad = await cosell(['status'], { BRIDGE_DATABASE_URL: `sqlite:${garbage}` });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toEqual([
      `error: BRIDGE_DATABASE_URL=sqlite:${garbage}: the store at ${garbage} cannot be opened (file is not a database): point BRIDGE_DATABASE_URL at the bridge's SQLite file, or at a new path to start an empty store`,
    ]);

    const impossible = await cosell(['resync', '--all'], {
      BRIDGE_DATABASE_URL: 'sqlite:/proc/nope/x.sqlite',
    });
    expect(impossible.code).toBe(2);
    expect(impossible.stderr).toMatch(
      /^error: BRIDGE_DATABASE_URL=sqlite:\/proc\/nope\/x\.sqlite: the store at \/proc\/nope\/x\.sqlite cannot be opened \(ENOENT/,
    );
    // It used to hang in mkdir; now it is a start-up error like any other.
    expect(impossible.ms).toBeLessThan(20_000);
  });

  it('no pino JSON between the lines a person reads', async () => {
    const port = await freePort();
    const run = await cosell(['explain', '006000000000001AAA'], {
      SALESFORCE_LOGIN_URL: `http://127.0.0.1:${port}`,
    });
    for (const line of [...run.stdout.split('\n'), ...run.stderr.split('\n')]) {
      expect(line.trimStart().startsWith('{')).toBe(false);
    }
  });
});
