/**
 * The `cosell` processes the demo starts: its one-shot commands (solutions import, setup,
 * explain) and the long-running bridge (`cosell run`), all with an environment of the demo's own.
 */
import { spawn, type ChildProcess, type ChildProcessByStdio } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { waitFor } from './narration';

const ROOT = resolve(__dirname, '../..');
const COSELL = join(ROOT, 'bridge/bin/cosell.js');
const CREDENTIALS = { clientId: 'emulator-client', clientSecret: 'emulator-secret' };

/** The demo's environment for `cosell`: ours only, nothing inherited that the bridge would read. */
function childEnvironment(bridgeEnv: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(SALESFORCE_|PARTNER_CENTER_|BRIDGE_)|^(https?|HTTPS?)_PROXY$/.test(name),
    ),
  );
  return { ...inherited, ...bridgeEnv };
}

/** A bridge configured for the two emulators, with its SQLite database in `workDir`. */
export function bridgeEnvironment(where: {
  salesforceUrl: string;
  partnerCenterUrl: string;
  bridgePort: number;
  bridgeUrl: string;
  workDir: string;
}): NodeJS.ProcessEnv {
  return childEnvironment({
    BRIDGE_ENVIRONMENT: 'emulator',
    SALESFORCE_LOGIN_URL: where.salesforceUrl,
    SALESFORCE_CLIENT_ID: CREDENTIALS.clientId,
    SALESFORCE_CLIENT_SECRET: CREDENTIALS.clientSecret,
    PARTNER_CENTER_API_URL: where.partnerCenterUrl,
    PARTNER_CENTER_WEBHOOK_API_URL: where.partnerCenterUrl,
    PARTNER_CENTER_TOKEN_URL: `${where.partnerCenterUrl}/<tenant>/oauth2/token`,
    PARTNER_CENTER_TENANT_ID: 'contoso-partner.onmicrosoft.com',
    PARTNER_CENTER_CLIENT_ID: CREDENTIALS.clientId,
    PARTNER_CENTER_CLIENT_SECRET: CREDENTIALS.clientSecret,
    PARTNER_CENTER_USERNAME: 'admin@partner.example',
    PARTNER_CENTER_PASSWORD: 'emulator-password',
    BRIDGE_PORT: String(where.bridgePort),
    BRIDGE_PUBLIC_URL: where.bridgeUrl,
    BRIDGE_DATABASE_URL: `sqlite:${join(where.workDir, 'bridge.sqlite')}`,
    BRIDGE_COALESCE_WINDOW_MS: '500',
    BRIDGE_LOG_LEVEL: 'info',
  });
}

function startCosell(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(process.execPath, [COSELL, ...args], {
    env,
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs one `cosell` command to its end and returns what it printed. */
export function cosell(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = startCosell(args, env, cwd);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', fail);
    child.once('exit', (code) => done({ code, stdout, stderr }));
  });
}

export function stopChild(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((done) => {
    child.once('exit', (code) => done(code));
    child.kill('SIGTERM');
  });
}

/** `cosell run` in the background, with everything it logs kept for a failure report. */
export interface RunningBridge {
  process: ChildProcess;
  log(): string;
}

export function spawnBridge(env: NodeJS.ProcessEnv, cwd: string): RunningBridge {
  const child = startCosell(['run'], env, cwd);
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  return { process: child, log: () => log };
}

/** Waits for the bridge's /readyz; fails at once if the bridge exits instead. */
export async function waitUntilReady(bridge: RunningBridge, bridgeUrl: string): Promise<void> {
  await waitFor('the bridge to be ready (/readyz)', async () => {
    if (bridge.process.exitCode !== null) throw new Error(`the bridge exited:\n${bridge.log()}`);
    return (await fetch(`${bridgeUrl}/readyz`)).ok;
  });
}
