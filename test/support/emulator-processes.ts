/**
 * The two emulators as separate processes, started the way an operator would (`main.ts --port 0`,
 * "listening on <url>"), each with its control client.
 */
import { resolve } from 'node:path';
import { ChildService } from './child-service';
import { PartnerCenterControl, SalesforceControl } from './control-clients';

export const REPO_ROOT = resolve(__dirname, '../..');

export interface EmulatorProcess<C> {
  url: string;
  port: number;
  control: C;
  process: ChildService;
  stop(): Promise<void>;
}

async function startEmulator<C>(
  name: string,
  mainFile: string,
  args: string[],
  makeControl: (url: string) => C,
): Promise<EmulatorProcess<C>> {
  const child = new ChildService({
    name,
    // --import tsx keeps it one process (the tsx CLI would fork a second one that SIGKILL orphans).
    args: ['--import', 'tsx', mainFile, '--port', '0', ...args],
    env: { ...process.env, NODE_ENV: 'test' },
    cwd: REPO_ROOT,
  });
  try {
    const match = await child.waitForLine(/listening on (http:\/\/[^\s]+)/);
    const url = match[1] ?? '';
    return {
      url,
      port: Number(new URL(url).port),
      control: makeControl(url),
      process: child,
      async stop() {
        await child.stop(5_000);
      },
    };
  } catch (error) {
    await child.kill();
    throw error;
  }
}

export interface SalesforceEmulatorProcessOptions {
  multiCurrency?: boolean;
}

export function startSalesforceEmulatorProcess(
  options: SalesforceEmulatorProcessOptions = {},
): Promise<EmulatorProcess<SalesforceControl>> {
  return startEmulator(
    'salesforce emulator',
    'emulators/salesforce/src/main.ts',
    options.multiCurrency ? ['--multi-currency'] : [],
    (url) => new SalesforceControl(url),
  );
}

export interface PartnerCenterEmulatorProcessOptions {
  tenant?: string;
  tokenTtlMs?: number;
  /** Webhook retry schedule; short by default so a refused delivery is retried within a test. */
  webhookRetryMs?: number[];
}

export function startPartnerCenterEmulatorProcess(
  options: PartnerCenterEmulatorProcessOptions = {},
): Promise<EmulatorProcess<PartnerCenterControl>> {
  const args: string[] = [];
  if (options.tenant) args.push('--tenant', options.tenant);
  if (options.tokenTtlMs) args.push('--token-ttl-ms', String(options.tokenTtlMs));
  args.push('--webhook-retry-ms', (options.webhookRetryMs ?? [200, 500, 1000, 2000]).join(','));
  return startEmulator(
    'partner center emulator',
    'emulators/partner-center/src/main.ts',
    args,
    (url) => new PartnerCenterControl(url),
  );
}
