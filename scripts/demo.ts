/**
 * `npm run demo`: the whole product offline, in one command, narrated.
 *
 * Starts both emulators in this process, seeds a small realistic org and Partner Center tenant,
 * runs `cosell solutions import` and `cosell setup`, starts `cosell run` as a child process and
 * then walks through what syncs — waiting on each outcome with a deadline, never a fixed sleep.
 * The pieces are in demo/: the command line, the narration, the `cosell` processes, the seed
 * and the walkthrough's scenes.
 *
 *   npm run demo -- [--salesforce-port <p>] [--partner-center-port <p>] [--bridge-port <p>] [--keep-running]
 *
 * Exit code 0 when every narrated outcome happened, 1 otherwise.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPartnerCenterEmulator } from '../emulators/partner-center/src';
import { startSalesforceEmulator } from '../emulators/salesforce/src';
import { PartnerCenterControl, SalesforceControl } from '../test/support/control-clients';
import { freePort } from '../test/support/free-port';
import { elapsed, heading, say } from './demo/narration';
import { parseOptions } from './demo/options';
import {
  bridgeEnvironment,
  cosell,
  spawnBridge,
  stopChild,
  waitUntilReady,
  type RunningBridge,
} from './demo/processes';
import { importSolutions, seedOrg } from './demo/seed';
import { referralCalls, showCallCounts, walkThrough } from './demo/walkthrough';

async function main(): Promise<number> {
  const options = parseOptions(process.argv);
  // jsforce and faye honour proxy variables and ignore NO_PROXY; everything here is loopback.
  for (const name of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY'])
    delete process.env[name];
  const workDir = mkdtempSync(join(tmpdir(), 'cosell-demo-'));
  const cleanups: (() => Promise<unknown>)[] = [];
  let bridge: RunningBridge | undefined;
  try {
    heading('Starting the emulators (offline: nothing leaves this machine)');
    const salesforce = await startSalesforceEmulator({
      port: options.salesforcePort,
      cometdTimeoutMs: 1_000,
    });
    cleanups.push(() => salesforce.stop());
    const partnerCenter = await startPartnerCenterEmulator({
      port: options.partnerCenterPort,
      webhookRetryScheduleMs: [200, 500, 1_000, 2_000],
    });
    cleanups.push(() => partnerCenter.stop());
    const sfControl = new SalesforceControl(salesforce.url);
    const pcControl = new PartnerCenterControl(partnerCenter.url);
    const bridgePort = options.bridgePort || (await freePort());
    const bridgeUrl = `http://127.0.0.1:${bridgePort}`;
    say(`Salesforce emulator:     ${salesforce.url}`);
    say(`Partner Center emulator: ${partnerCenter.url}`);
    say(`Bridge (to be started):  ${bridgeUrl}`);
    const env = bridgeEnvironment({
      salesforceUrl: salesforce.url,
      partnerCenterUrl: partnerCenter.url,
      bridgePort,
      bridgeUrl,
      workDir,
    });

    heading("Seeding a small org and the partner's tenant");
    await importSolutions(pcControl, env, workDir);
    const org = await seedOrg(salesforce.url, sfControl);

    heading(
      'cosell setup: credentials → schema and permission set → CDC → Partner Center access → webhook',
    );
    const setup = await cosell(['setup'], env, workDir);
    for (const line of setup.stdout.trim().split('\n')) say(line);
    if (setup.code !== 0) throw new Error('cosell setup failed');

    const callsBeforeBridge = await referralCalls(pcControl);
    heading('Starting the bridge: cosell run');
    bridge = spawnBridge(env, workDir);
    await waitUntilReady(bridge, bridgeUrl);
    say(`ready on ${bridgeUrl}`);

    const stage = { org, sfControl, pcControl, env, workDir, callsBeforeBridge };
    await walkThrough(stage);
    await showCallCounts(stage);

    if (options.keepRunning) {
      heading('Still running (--keep-running): press Ctrl+C to stop');
      say(`try: BRIDGE_DATABASE_URL=… npx cosell status, or open ${bridgeUrl}/metrics`);
      await new Promise<void>((done) => {
        process.once('SIGINT', () => done());
        process.once('SIGTERM', () => done());
      });
    }

    heading('Shutting down');
    const code = await stopChild(bridge.process);
    say(`bridge stopped gracefully (exit ${code})`);
    console.log(`\nDemo complete in ${elapsed()}.`);
    return 0;
  } catch (error) {
    console.error(`\nDemo failed: ${error instanceof Error ? error.message : String(error)}`);
    const log = bridge?.log();
    if (log)
      console.error(`\nLast bridge log lines:\n${log.trim().split('\n').slice(-25).join('\n')}`);
    return 1;
  } finally {
    if (bridge) await stopChild(bridge.process);
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  }
}

void main().then((code) => process.exit(code));
