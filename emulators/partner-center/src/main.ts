import { emulatorArgsOrExit, portFromArgv, stopOnSignals } from '../../shared/src';
import { startPartnerCenterEmulator } from './emulator';

/**
 * `npm run emulator:partner-center -- --port <p> [--tenant <id>] [--token-ttl-ms <ms>]
 * [--webhook-retry-ms <ms,ms,…>] [--undocumented-conveniences]`; prints `listening on <url>` once
 * ready. `--undocumented-conveniences` adds what Microsoft does not document (ETag response
 * headers, 201 + Location on create, a representation after PATCH); never needed by the bridge.
 */
const PARTNER_CENTER_EMULATOR_FLAGS = {
  port: { type: 'string', help: '<p>  port to listen on (default 0: any free port)' },
  tenant: { type: 'string', help: '<id>  accept only this tenant id (default: any)' },
  'token-ttl-ms': { type: 'string', help: '<ms>  access token lifetime' },
  'webhook-retry-ms': {
    type: 'string',
    help: '<ms,ms,…>  delays between webhook delivery attempts',
  },
  'undocumented-conveniences': {
    type: 'boolean',
    help: 'also answer as Microsoft does not document (ETag headers, 201 + Location, PATCH representation)',
  },
} as const;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const flags = emulatorArgsOrExit(argv, 'emulator:partner-center', PARTNER_CENTER_EMULATOR_FLAGS);
  const running = await startPartnerCenterEmulator({
    port: portFromArgv(argv),
    tenant: flags.tenant as string | undefined,
    tokenTtlMs: numbers(flags['token-ttl-ms'], '--token-ttl-ms')?.[0],
    webhookRetryScheduleMs: numbers(flags['webhook-retry-ms'], '--webhook-retry-ms'),
    undocumentedConveniences: flags['undocumented-conveniences'] === true,
  });
  stopOnSignals(running);
  console.log(`listening on ${running.url}`);
}

/** A comma-separated list of non-negative integers, or exit with one line naming the flag. */
function numbers(raw: string | boolean | undefined, name: string): number[] | undefined {
  if (typeof raw !== 'string') return undefined;
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
