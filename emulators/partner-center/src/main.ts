import { portFromArgv, stopOnSignals } from '../../shared/src';
import { startPartnerCenterEmulator } from './emulator';

/** `npm run emulator:partner-center -- --port <p> [--tenant <id>]` */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const tenantIndex = argv.indexOf('--tenant');
  const tenant = tenantIndex >= 0 ? argv[tenantIndex + 1] : undefined;
  const running = await startPartnerCenterEmulator({ port: portFromArgv(argv), tenant });
  stopOnSignals(running);
  console.log(`listening on ${running.url}`);
}

main().catch((error: unknown) => {
  console.error(
    'Partner Center emulator failed to start:',
    error instanceof Error ? error.message : error,
  );
  process.exit(1);
});
