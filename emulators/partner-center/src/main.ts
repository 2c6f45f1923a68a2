import { portFromArgv, stopOnSignals } from '../../shared/src';
import { startPartnerCenterEmulator } from './emulator';

/**
 * `npm run emulator:partner-center -- --port <p> [--tenant <id>] [--token-ttl-ms <ms>]
 * [--webhook-retry-ms <ms,ms,…>]`; prints `listening on <url>` once ready.
 */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const running = await startPartnerCenterEmulator({
    port: portFromArgv(argv),
    tenant: option(argv, '--tenant'),
    tokenTtlMs: numbers(argv, '--token-ttl-ms')?.[0],
    webhookRetryScheduleMs: numbers(argv, '--webhook-retry-ms'),
  });
  stopOnSignals(running);
  console.log(`listening on ${running.url}`);
}

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** A comma-separated list of non-negative integers, or exit with one line naming the flag. */
function numbers(argv: string[], name: string): number[] | undefined {
  const raw = option(argv, name);
  if (raw === undefined) return undefined;
  const values = raw.split(',').map(Number);
  if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v < 0)) {
    console.error(`${name} must be non-negative integers separated by commas (got "${raw}")`);
    process.exit(2);
  }
  return values;
}

main().catch((error: unknown) => {
  console.error(
    'Partner Center emulator failed to start:',
    error instanceof Error ? error.message : error,
  );
  process.exit(1);
});
