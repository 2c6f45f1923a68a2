/**
 * The bridge as a partner installs it (docs/DEPLOY.md): `npm pack -w bridge` (which builds
 * dist/ first), then `npm install --omit=dev <tarball>` into an empty folder, then `cosell`
 * from there. Proves the package is complete on its own: compiled JavaScript, no TypeScript and
 * no tsx at run time, every runtime dependency declared. The install prefers npm's cache, so it
 * works offline once the repository's own `npm ci` has filled the cache.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../support';

const run = promisify(execFile);
jest.setTimeout(300_000);

describe('the packed bridge installs and runs on its own', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cosell-package-'));
  const app = join(dir, 'app');
  let tarball = '';

  beforeAll(async () => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const packed = await run(
      npm,
      ['pack', '-w', 'bridge', '--pack-destination', dir, '--json', '--silent'],
      { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 },
    );
    const [info] = JSON.parse(packed.stdout) as Array<{ filename: string }>;
    tarball = join(dir, info!.filename);
    mkdirSync(app);
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'partner-bridge', private: true }),
    );
    await run(
      npm,
      ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', tarball],
      { cwd: app, maxBuffer: 16 * 1024 * 1024 },
    );
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const installed = () => join(app, 'node_modules/@co-sell-sync/bridge');
  const cosell = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    run(process.execPath, [join(app, 'node_modules/.bin/cosell'), ...args], {
      cwd: app,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    });

  it('ships compiled JavaScript only: no TypeScript source, no tsx or typescript installed', () => {
    expect(existsSync(join(installed(), 'dist/cli/main.js'))).toBe(true);
    expect(existsSync(join(installed(), 'src'))).toBe(false);
    const files = (function walk(d: string): string[] {
      return readdirSync(d, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)],
      );
    })(installed());
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(existsSync(join(app, 'node_modules/tsx'))).toBe(false);
    expect(existsSync(join(app, 'node_modules/typescript'))).toBe(false);
  });

  it('runs `cosell --help` and `cosell --version` from the install', async () => {
    const help = await cosell(['--help']);
    expect(help.stdout).toContain('Usage: cosell');
    expect(help.stdout).toContain('status');
    const version = await cosell(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('runs `cosell status` against a fresh store (configuration from the environment)', async () => {
    // status reads an existing store (it refuses a path where none is): an empty SQLite file,
    // which the installed bridge migrates on open.
    writeFileSync(join(dir, 'bridge.sqlite'), '');
    const status = await cosell(['status', '--json'], {
      ...STATUS_ENV,
      BRIDGE_DATABASE_URL: `sqlite:${join(dir, 'bridge.sqlite')}`,
    });
    const report = JSON.parse(status.stdout) as { environment: string; running: boolean };
    expect(report).toMatchObject({ environment: 'emulator', running: false });
  });

  it('reads the store for `cosell status` and `failures list` without loading the bridge (issue 17: fast start)', async () => {
    // Which packages the process loaded, recorded at exit by a preloaded hook: the read-only
    // commands must not pay for jsforce, express, the metrics or node-postgres.
    const hook = join(dir, 'loaded-packages.js');
    writeFileSync(
      hook,
      String.raw`process.on('exit', () => {
        const packages = Object.keys(require.cache)
          .map((file) => (/.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file) || [])[1])
          .filter(Boolean);
        process.stderr.write('loaded: ' + JSON.stringify([...new Set(packages)]) + '\n');
      });`,
    );
    writeFileSync(join(dir, 'bridge.sqlite'), '');
    const env = {
      ...STATUS_ENV,
      BRIDGE_DATABASE_URL: `sqlite:${join(dir, 'bridge.sqlite')}`,
      NODE_OPTIONS: `--require ${hook}`,
    };
    for (const args of [
      ['status', '--json'],
      ['failures', 'list', '--json'],
    ]) {
      const result = await cosell(args, env);
      const line = result.stderr.split('\n').find((l) => l.startsWith('loaded: '));
      const loaded = JSON.parse(line!.slice('loaded: '.length)) as string[];
      // The hook sees what was loaded (commander is ESM, loaded by import(): not in require.cache).
      expect(loaded).toEqual(expect.arrayContaining(['@co-sell-sync/bridge', 'zod', 'pino']));
      for (const heavy of ['jsforce', 'express', 'prom-client', 'pg']) {
        expect(loaded).not.toContain(heavy);
      }
    }
  });
});

/** A complete emulator configuration that points nowhere: status reads only the store. */
const STATUS_ENV = {
  BRIDGE_ENVIRONMENT: 'emulator',
  SALESFORCE_LOGIN_URL: 'http://127.0.0.1:9',
  SALESFORCE_CLIENT_ID: 'client',
  SALESFORCE_CLIENT_SECRET: 'secret',
  PARTNER_CENTER_API_URL: 'http://127.0.0.1:9',
  PARTNER_CENTER_WEBHOOK_API_URL: 'http://127.0.0.1:9',
  PARTNER_CENTER_TOKEN_URL: 'http://127.0.0.1:9/<tenant>/oauth2/token',
  PARTNER_CENTER_TENANT_ID: 'tenant',
  PARTNER_CENTER_CLIENT_ID: 'client',
  PARTNER_CENTER_CLIENT_SECRET: 'secret',
  PARTNER_CENTER_USERNAME: 'admin@partner.example',
  PARTNER_CENTER_PASSWORD: 'password',
  BRIDGE_PORT: '9',
};
