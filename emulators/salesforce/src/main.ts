import { emulatorArgsOrExit, portFromArgv, stopOnSignals } from '../../shared/src';
import { startSalesforceEmulator } from './index';

/** `npm run emulator:salesforce -- --port <p> [--multi-currency] [--sandbox] [--snapshot <file>] [--force-app <dir> | --no-package]` */
export const SALESFORCE_EMULATOR_FLAGS = {
  port: { type: 'string', help: '<p>  port to listen on (default 0: any free port)' },
  'multi-currency': { type: 'boolean', help: 'an org with multiple currencies enabled' },
  sandbox: { type: 'boolean', help: 'behave as a sandbox org (test.salesforce.com)' },
  snapshot: { type: 'string', help: '<file>  load and save the org data in this file' },
  'force-app': { type: 'string', help: '<dir>  deploy this force-app folder at start' },
  'no-package': {
    type: 'boolean',
    help: 'standard objects only; deploy with `sf project deploy start`',
  },
} as const;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const flags = emulatorArgsOrExit(argv, 'emulator:salesforce', SALESFORCE_EMULATOR_FLAGS);
  const snapshotFile = flags.snapshot as string | undefined;
  const forceAppDir = flags['force-app'] as string | undefined;
  const running = await startSalesforceEmulator({
    port: portFromArgv(argv),
    multiCurrency: flags['multi-currency'] === true,
    sandbox: flags.sandbox === true,
    noPackage: flags['no-package'] === true,
    ...(snapshotFile ? { snapshotFile } : {}),
    ...(forceAppDir ? { forceAppDir } : {}),
  });
  stopOnSignals(running);
  console.log(`listening on ${running.url}`);
}

main().catch((error: unknown) => {
  console.error('Failed to start the Salesforce emulator:', error);
  process.exit(1);
});
