/**
 * The Salesforce CLI the project tests against: `@salesforce/cli` from the npm registry, pinned,
 * installed once into a cache folder (not a devDependency: it is ~300 MB and only the CLI tests
 * and the demo's deploy step need it). `.ci/run` installs it before `npm test`; a test that finds
 * it missing installs it itself.
 *
 *   npx tsx scripts/salesforce-cli.ts install        # once; prints the `sf` entry point
 *   npx tsx scripts/salesforce-cli.ts -- org list    # runs the pinned CLI with these arguments
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export const SALESFORCE_CLI_VERSION = '2.150.6';

const run = promisify(execFile);

function cacheRoot(): string {
  return path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'co-sell-sync');
}

export function salesforceCliDir(): string {
  return path.join(cacheRoot(), `sf-cli-${SALESFORCE_CLI_VERSION}`);
}

/** The CLI's JavaScript entry point (run it with this Node: `node <entry> <args>`). */
export function salesforceCliEntry(): string {
  return path.join(salesforceCliDir(), 'node_modules', '@salesforce', 'cli', 'bin', 'run.js');
}

export function salesforceCliInstalled(): boolean {
  return existsSync(salesforceCliEntry());
}

/**
 * Installs the pinned CLI unless it is there. The install goes to a fresh folder that is renamed
 * into place, so two test workers installing at once never see half a CLI.
 */
export async function ensureSalesforceCli(): Promise<string> {
  if (salesforceCliInstalled()) return salesforceCliEntry();
  await mkdir(cacheRoot(), { recursive: true });
  const staging = await mkdtemp(path.join(cacheRoot(), 'sf-cli-staging-'));
  try {
    await writeFile(path.join(staging, 'package.json'), '{"private":true}\n');
    await run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--omit=dev',
        '--no-package-lock',
        `@salesforce/cli@${SALESFORCE_CLI_VERSION}`,
      ],
      { cwd: staging, maxBuffer: 64 * 1024 * 1024 },
    );
    try {
      await rename(staging, salesforceCliDir());
    } catch (error) {
      if (!salesforceCliInstalled()) throw error; // someone else won the race: theirs is as good
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return salesforceCliEntry();
}

/**
 * The environment for one CLI "user": its own home (auth files, config, logs stay there), no
 * telemetry, no update checks, no version look-ups: nothing leaves the machine. Proxy variables
 * are dropped because the emulators listen on loopback.
 */
export function salesforceCliEnv(home: string, extra: Record<string, string> = {}) {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || /^(https?_proxy|all_proxy|xdg_|sf_|sfdx_)/i.test(k)) continue;
    env[k] = v;
  }
  return {
    ...env,
    HOME: home,
    SF_DISABLE_TELEMETRY: 'true',
    SFDX_DISABLE_TELEMETRY: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_DISABLE_AUTOUPDATE: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    SF_DISABLE_DNS_CHECK: 'true',
    ...extra,
  };
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'install') {
    process.stdout.write(`${await ensureSalesforceCli()}\n`);
    return;
  }
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  const entry = await ensureSalesforceCli();
  const result = spawnSync(process.execPath, [entry, ...args], { stdio: 'inherit' });
  process.exitCode = result.status ?? 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error('salesforce-cli:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
