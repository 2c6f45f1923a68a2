/**
 * The real Salesforce CLI (`sf`, npm `@salesforce/cli`, pinned in scripts/salesforce-cli.ts) as an
 * admin would run it, with its own throw-away home so auth files and config never touch the
 * developer's. Every command runs with `--json` and answers its parsed envelope.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureSalesforceCli, salesforceCliEnv } from '../../scripts/salesforce-cli';

/** Installing the CLI the first time takes a couple of minutes on a busy machine. */
export const CLI_INSTALL_TIMEOUT_MS = 6 * 60_000;
/** One CLI command: ~2 s of start-up on a quiet machine, several times that under load. */
export const CLI_COMMAND_TIMEOUT_MS = 90_000;

export interface CliEnvelope<T = Record<string, unknown>> {
  status: number;
  result: T;
  name?: string;
  message?: string;
  warnings?: string[];
  [key: string]: unknown;
}

export class SalesforceCli {
  private constructor(
    private readonly entry: string,
    readonly home: string,
  ) {}

  static async start(): Promise<SalesforceCli> {
    const entry = await ensureSalesforceCli();
    const home = await mkdtemp(path.join(tmpdir(), 'sf-cli-home-'));
    return new SalesforceCli(entry, home);
  }

  /** Runs `sf <args> --json`; a failing command resolves too (its envelope has the error). */
  run<T = Record<string, unknown>>(
    args: string[],
    options: { cwd?: string; env?: Record<string, string> } = {},
  ): Promise<CliEnvelope<T>> {
    return new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        [this.entry, ...args, '--json'],
        {
          cwd: options.cwd ?? this.home,
          env: salesforceCliEnv(this.home, options.env),
          timeout: CLI_COMMAND_TIMEOUT_MS,
          maxBuffer: 32 * 1024 * 1024,
        },
        (error, stdout, stderr) => {
          try {
            resolve(JSON.parse(stdout) as CliEnvelope<T>);
          } catch {
            reject(
              new Error(
                `sf ${args.join(' ')} printed no JSON (${error?.message ?? 'exit 0'}): ${stdout}${stderr}`,
              ),
            );
          }
        },
      );
    });
  }

  /** Like `run`, but a non-zero status fails with the CLI's own message. */
  async ok<T = Record<string, unknown>>(
    args: string[],
    options: { cwd?: string; env?: Record<string, string> } = {},
  ): Promise<T> {
    const out = await this.run<T>(args, options);
    if (out.status !== 0) {
      throw new Error(`sf ${args.join(' ')} failed: ${out.name ?? ''} ${out.message ?? ''}`);
    }
    return out.result;
  }

  /**
   * `sf org login jwt` as the emulated org's System Administrator (the JWT bearer flow a CI
   * pipeline uses), under the alias `admin`; `privateKeyPem` is the emulator's generated key.
   */
  async loginAsAdmin(instanceUrl: string, privateKeyPem: string): Promise<void> {
    const keyFile = path.join(this.home, 'server.key');
    await writeFile(keyFile, privateKeyPem, { mode: 0o600 });
    await this.ok([
      'org',
      'login',
      'jwt',
      '--client-id',
      'emulator-client',
      '--jwt-key-file',
      keyFile,
      '--username',
      'admin@cosell.example',
      '--instance-url',
      instanceUrl,
      '--alias',
      'admin',
    ]);
  }

  async close(): Promise<void> {
    await rm(this.home, { recursive: true, force: true });
  }
}
