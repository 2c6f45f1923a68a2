/**
 * The whole end-to-end world for one test file: both emulators and the bridge as separate
 * processes, a seller's jsforce connection, seed factories and the control clients. Start it in
 * `beforeAll`, dispose it in `afterAll`; everything it started is stopped and its temp dir removed.
 */
import type { Connection } from 'jsforce';
import { BridgeProcess } from './bridge-process';
import type { PartnerCenterControl, SalesforceControl } from './control-clients';
import {
  startPartnerCenterEmulatorProcess,
  startSalesforceEmulatorProcess,
  type EmulatorProcess,
  type PartnerCenterEmulatorProcessOptions,
  type SalesforceEmulatorProcessOptions,
} from './emulator-processes';
import { Seeder } from './seed';
import { connectAs } from './seller';
import { registerWebhook } from './webhook-registration';

export interface StackOptions {
  salesforce?: SalesforceEmulatorProcessOptions;
  partnerCenter?: PartnerCenterEmulatorProcessOptions;
  /** Bridge environment overrides (undefined removes a variable). */
  bridgeEnv?: Record<string, string | undefined>;
  /**
   * Before starting: `'direct'` (default) registers the webhook over the emulator's webhook API;
   * `'cli'` runs `cosell setup` (slower: a process, every check, a test-event round trip);
   * `false` does neither.
   */
  setup?: 'direct' | 'cli' | false;
  /** Start `cosell run`; default true. False leaves the bridge to the test (e.g. CLI-only tests). */
  startBridge?: boolean;
  /** Run the compiled `cosell` (bridge/dist, built by `npm run build`) instead of the source. */
  builtBridge?: boolean;
  /** The Node binary `cosell run` runs on (with `builtBridge`; default: jest's own). */
  bridgeNode?: string;
}

export interface Stack {
  salesforce: EmulatorProcess<SalesforceControl>;
  partnerCenter: EmulatorProcess<PartnerCenterControl>;
  bridge: BridgeProcess;
  /** jsforce as the seeded seller (no client id in Sforce-Call-Options). */
  seller: Connection;
  seed: Seeder;
  /** `cosell setup --json`, throwing with the output if it fails. */
  setup(): Promise<unknown>;
  dispose(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const started: Array<{ dispose(): Promise<void> }> = [];
  const disposeAll = async () => {
    await Promise.allSettled(started.reverse().map((s) => s.dispose()));
  };
  try {
    const [salesforce, partnerCenter] = await Promise.all([
      startSalesforceEmulatorProcess(options.salesforce),
      startPartnerCenterEmulatorProcess(options.partnerCenter),
    ]);
    started.push({ dispose: () => salesforce.stop() }, { dispose: () => partnerCenter.stop() });
    const bridge = await BridgeProcess.create({
      salesforceUrl: salesforce.url,
      partnerCenterUrl: partnerCenter.url,
      overrides: options.bridgeEnv,
      built: options.builtBridge,
      node: options.bridgeNode,
    });
    started.push(bridge);
    const seller = await connectAs(salesforce.url, salesforce.control, 'seller');
    const stack: Stack = {
      salesforce,
      partnerCenter,
      bridge,
      seller,
      seed: new Seeder(salesforce.control, partnerCenter.control),
      setup: () => bridge.cliJson(['setup']),
      dispose: disposeAll,
    };
    const setup = options.setup ?? 'direct';
    if (setup === 'cli') await stack.setup();
    if (setup === 'direct') {
      await registerWebhook(partnerCenter.url, `${bridge.url}/webhooks/partner-center`);
    }
    if (options.startBridge !== false) await bridge.start();
    return stack;
  } catch (error) {
    await disposeAll();
    throw error;
  }
}
