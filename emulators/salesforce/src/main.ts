import { portFromArgv, stopOnSignals } from '../../shared/src';
import { startSalesforceEmulator } from './index';

/** `npm run emulator:salesforce -- --port <p> [--multi-currency] [--sandbox] [--snapshot <file>] [--force-app <dir>]` */
function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const snapshotFile = flag('--snapshot');
  const forceAppDir = flag('--force-app');
  const running = await startSalesforceEmulator({
    port: portFromArgv(process.argv),
    multiCurrency: process.argv.includes('--multi-currency'),
    sandbox: process.argv.includes('--sandbox'),
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
