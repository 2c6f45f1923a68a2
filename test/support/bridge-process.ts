/**
 * The bridge as the operator runs it: `cosell run` in its own process (see cosellArgs) with a
 * complete environment pointing at the emulators, a SQLite file in a temp directory that survives
 * kill/restart, and every pino line captured. `cli()` runs one-shot commands (setup, status,
 * explain, failures …) against the same environment and database.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ChildService } from './child-service';
import { REPO_ROOT } from './emulator-processes';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

/** The compiled CLI as a partner runs it (needs `npm run build`; see docs/DEPLOY.md). */
export const COSELL_BIN = join(REPO_ROOT, 'bridge/bin/cosell.js');

/**
 * How tests start `cosell`: from the TypeScript source through tsx by default, so a source
 * change is tested without a build; `built` runs the compiled bin (the benchmark, the package
 * test), which `npm test` builds first.
 */
export function cosellArgs(built = false): string[] {
  if (built) return [COSELL_BIN];
  // tsx by absolute URL: the bridge runs in a temp directory, where `tsx` does not resolve.
  const tsx = pathToFileURL(require.resolve('tsx')).href;
  return ['--import', tsx, join(REPO_ROOT, 'bridge/src/cli/main.ts')];
}

/** The channels `cosell run` subscribes to (bridge/src/sync CDC_CHANNELS). */
export const CDC_CHANNELS = ['/data/OpportunityChangeEvent', '/data/Co_Sell_Solution__ChangeEvent'];

/** Credentials the emulators accept by default (emulators/*: README). */
export const EMULATOR_CREDENTIALS = {
  salesforceClientId: 'emulator-client',
  salesforceClientSecret: 'emulator-secret',
  partnerCenterTenantId: 'e2e-tenant',
  partnerCenterClientId: 'emulator-client',
  partnerCenterClientSecret: 'emulator-secret',
  partnerCenterUsername: 'admin@partner.example',
  partnerCenterPassword: 'emulator-password',
} as const;

export interface BridgeEnvInput {
  salesforceUrl: string;
  partnerCenterUrl: string;
  port: number;
  databaseFile: string;
  /** Extra or overriding variables (e.g. PARTNER_CENTER_DAILY_CALL_BUDGET); undefined removes. */
  overrides?: Record<string, string | undefined>;
}

/** Every variable the bridge reads, set for an emulator run with short intervals. */
export function bridgeEnvironment(input: BridgeEnvInput): Record<string, string> {
  const c = EMULATOR_CREDENTIALS;
  const base: Record<string, string | undefined> = {
    BRIDGE_ENVIRONMENT: 'emulator',
    SALESFORCE_LOGIN_URL: input.salesforceUrl,
    SALESFORCE_CLIENT_ID: c.salesforceClientId,
    SALESFORCE_CLIENT_SECRET: c.salesforceClientSecret,
    PARTNER_CENTER_API_URL: input.partnerCenterUrl,
    PARTNER_CENTER_WEBHOOK_API_URL: input.partnerCenterUrl,
    PARTNER_CENTER_TOKEN_URL: `${input.partnerCenterUrl}/<tenant>/oauth2/token`,
    PARTNER_CENTER_TENANT_ID: c.partnerCenterTenantId,
    PARTNER_CENTER_CLIENT_ID: c.partnerCenterClientId,
    PARTNER_CENTER_CLIENT_SECRET: c.partnerCenterClientSecret,
    PARTNER_CENTER_USERNAME: c.partnerCenterUsername,
    PARTNER_CENTER_PASSWORD: c.partnerCenterPassword,
    PARTNER_CENTER_CERTIFICATE_HOSTS: new URL(input.partnerCenterUrl).hostname,
    BRIDGE_PORT: String(input.port),
    BRIDGE_PUBLIC_URL: `http://127.0.0.1:${input.port}`,
    BRIDGE_DATABASE_URL: `sqlite:${input.databaseFile}`,
    BRIDGE_LOG_LEVEL: 'debug',
    // The configured minimum (10 s): recovery sweeps run within a test's lifetime.
    BRIDGE_RECONCILE_INTERVAL_SECONDS: '10',
    BRIDGE_PARTNER_CENTER_CATCH_UP_INTERVAL_SECONDS: '10',
    BRIDGE_COALESCE_WINDOW_MS: '500',
    BRIDGE_SHUTDOWN_TIMEOUT_MS: '3000',
    ...input.overrides,
  };
  return Object.fromEntries(
    Object.entries(base).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** The parent's environment minus anything the bridge would read as configuration. */
function inheritedEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(SALESFORCE_|PARTNER_CENTER_|BRIDGE_)/.test(name),
    ),
  );
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON when it is JSON (`--json` commands). */
  json?: unknown;
}

export interface BridgeProcessOptions {
  salesforceUrl: string;
  partnerCenterUrl: string;
  overrides?: Record<string, string | undefined>;
  /** Run the compiled `cosell` (bridge/dist) instead of the source; default false. */
  built?: boolean;
  /** The Node binary `cosell run` runs on (default: the one that runs jest). Needs `built`. */
  node?: string;
}

export class BridgeProcess {
  /** Holds the SQLite file (kept across restarts) and is removed by dispose(). */
  readonly dir = mkdtempSync(join(tmpdir(), 'cosell-e2e-'));
  readonly databaseFile = join(this.dir, 'bridge.sqlite');
  /** Every process of this bridge so far, oldest first (restarts append). */
  readonly runs: ChildService[] = [];
  private overrides: Record<string, string | undefined>;

  private constructor(
    private readonly options: BridgeProcessOptions,
    readonly port: number,
  ) {
    this.overrides = { ...options.overrides };
  }

  static async create(options: BridgeProcessOptions): Promise<BridgeProcess> {
    return new BridgeProcess(options, await freePort());
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get env(): Record<string, string> {
    return bridgeEnvironment({
      salesforceUrl: this.options.salesforceUrl,
      partnerCenterUrl: this.options.partnerCenterUrl,
      port: this.port,
      databaseFile: this.databaseFile,
      overrides: this.overrides,
    });
  }

  /** Changes configuration for the next start (the running process is not affected). */
  configure(overrides: Record<string, string | undefined>): void {
    this.overrides = { ...this.overrides, ...overrides };
  }

  /** The current (latest) process. */
  get process(): ChildService {
    const last = this.runs[this.runs.length - 1];
    if (!last) throw new Error('the bridge has not been started');
    return last;
  }

  /** All pino lines of every run, parsed. */
  logs(predicate?: (entry: Record<string, unknown>) => boolean): Record<string, unknown>[] {
    return this.runs.flatMap((run) => run.logs(predicate));
  }

  /**
   * `cosell run`, then wait for `/readyz` to answer 200. `waitSubscribed: false` for a standby
   * replica (Postgres store): only the holder of the CDC lease subscribes.
   */
  async start(options: { waitReady?: boolean; waitSubscribed?: boolean } = {}): Promise<void> {
    if (this.runs.some((run) => run.running)) throw new Error('the bridge is already running');
    const run = new ChildService({
      name: `bridge#${this.runs.length + 1}`,
      args: [...cosellArgs(this.options.built), 'run'],
      env: { ...inheritedEnvironment(), ...this.env },
      cwd: this.dir,
      node: this.options.node,
    });
    this.runs.push(run);
    if (options.waitReady !== false) {
      await this.waitReady(30_000, { subscribed: options.waitSubscribed !== false });
    }
  }

  /**
   * Ready for a test: `/readyz` answers 200 AND this run has confirmed its CDC subscriptions
   * (`cdc.subscribed` for both channels). /readyz alone turns green before the subscription
   * handshake, and on a first start (no cursor) a change made in that gap waits for the next
   * reconciliation sweep.
   */
  async waitReady(timeoutMs = 30_000, options: { subscribed?: boolean } = {}): Promise<void> {
    const run = this.process;
    await waitFor(
      async () => {
        if (!run.running) {
          throw new Error(`the bridge exited before it was ready:\n${run.output()}`);
        }
        // "Not yet" is thrown, not returned: waitFor accepts any value but undefined, null or
        // false, so a returned message would end the wait at the first answer.
        const res = await fetch(`${this.url}/readyz`);
        if (res.status !== 200) throw new Error(`${res.status} ${await res.text()}`);
        if (options.subscribed === false) return true;
        const subscribed = new Set(
          run.logs((l) => l.event === 'cdc.subscribed').map((l) => String(l.channel)),
        );
        if (!CDC_CHANNELS.every((c) => subscribed.has(c))) {
          throw new Error(
            `readyz 200, CDC subscribed: ${[...subscribed].join(', ') || 'none yet'}`,
          );
        }
        return true;
      },
      { timeoutMs, intervalMs: 200, description: 'the bridge /readyz to answer 200' },
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${run.output()}`, { cause: error });
    });
  }

  /** `GET /metrics` parsed: one entry per sample line, `name{labels}` → value. */
  async metrics(): Promise<Map<string, number>> {
    const res = await fetch(`${this.url}/metrics`);
    if (!res.ok) throw new Error(`GET /metrics answered ${res.status}`);
    return parsePrometheus(await res.text());
  }

  /**
   * Items waiting in one of the bridge's durable queues (the `cosell_queue_depth` gauge, read
   * from the store on scrape): outbound, outbound_due, inbound, failed, audit, news.
   */
  async queueDepth(
    queue: 'outbound' | 'outbound_due' | 'inbound' | 'failed' | 'audit' | 'news',
  ): Promise<number> {
    const value = (await this.metrics()).get(`cosell_queue_depth{queue="${queue}"}`);
    if (value === undefined) throw new Error(`the bridge exports no queue depth for ${queue}`);
    return value;
  }

  /** A crash: SIGKILL, no graceful shutdown. */
  async kill(): Promise<void> {
    await this.process.kill();
  }

  /** Graceful shutdown (SIGTERM); resolves with the exit code. */
  async stop(): Promise<number | null> {
    const last = this.runs[this.runs.length - 1];
    if (!last) return null;
    return (await last.stop()).code;
  }

  /** Start again on the same database (after kill() or stop()). */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** One-shot `cosell <args>` with this bridge's environment and database. */
  cli(
    args: string[],
    options: { env?: Record<string, string | undefined>; timeoutMs?: number } = {},
  ): Promise<CliResult> {
    const env: NodeJS.ProcessEnv = { ...inheritedEnvironment(), ...this.env };
    for (const [name, value] of Object.entries(options.env ?? {})) {
      if (value === undefined) delete env[name];
      else env[name] = value;
    }
    return runCommand(
      [...cosellArgs(this.options.built), ...args],
      env,
      this.dir,
      options.timeoutMs ?? 60_000,
    );
  }

  /** `cosell <args> --json`, parsed; throws with the output when the command fails. */
  async cliJson<T = unknown>(args: string[]): Promise<T> {
    const result = await this.cli([...args, '--json']);
    if (result.code !== 0 || result.json === undefined) {
      throw new Error(
        `cosell ${args.join(' ')} --json exited ${result.code}:\n${result.stdout}\n${result.stderr}`,
      );
    }
    return result.json as T;
  }

  /** Kill whatever runs and delete the temp directory. */
  async dispose(): Promise<void> {
    await Promise.all(this.runs.map((run) => run.kill()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function runCommand(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  timeoutMs: number,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `cosell ${args.slice(1).join(' ')} did not finish within ${timeoutMs} ms:\n${stdout}\n${stderr}`,
        ),
      );
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, json: parseJsonOutput(stdout) });
    });
  });
}

/** Prometheus text exposition → `name{labels}` (as written) → value; comments skipped. */
export function parsePrometheus(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    samples.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return samples;
}

/** The whole of stdout as JSON, or else its last JSON line that is not a pino log line. */
function parseJsonOutput(stdout: string): unknown {
  const whole = tryJson(stdout.trim());
  if (whole !== undefined) return whole;
  const lines = stdout.split('\n').reverse();
  for (const line of lines) {
    const value = tryJson(line.trim());
    if (value === undefined) continue;
    const isLogLine =
      typeof value === 'object' && value !== null && 'level' in value && 'time' in value;
    if (!isLogLine) return value;
  }
  return undefined;
}

function tryJson(text: string): unknown {
  if (!text.startsWith('{') && !text.startsWith('[')) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
