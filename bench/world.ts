/**
 * One benchmark world: both emulators as child processes (test/support harness) and one system
 * under test keeping them in step — the bridge (`cosell run`, its own process) or the flow model
 * (in this process). Scenarios only see the `SyncSystem` surface, so both run the same workload.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Connection } from 'jsforce';
import {
  EMULATOR_CREDENTIALS,
  Seeder,
  connectAs,
  registerWebhook,
  startPartnerCenterEmulatorProcess,
  startSalesforceEmulatorProcess,
  startStack,
  waitFor,
  type BridgeProcess,
  type EmulatorProcess,
  type PartnerCenterControl,
  type SalesforceControl,
} from '../test/support';
import { createFlowModel, type FlowModel } from './baseline/flow-model';
import { processCpuSeconds } from './cpu-time';
import { parsePrometheusText, sumSamples } from './prometheus-text';

export type SystemKind = 'ours' | 'baseline';

export interface SyncSystem {
  readonly kind: SystemKind;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Nothing queued or in flight (ours: every queue of /metrics at 0). */
  isIdle(): Promise<boolean>;
  /** The system's own count of Referrals API calls, cumulative over restarts (cross-check). */
  ownPartnerCenterCalls(): Promise<number>;
  /** Resident memory of the system's process in MB: now and the kernel's high-water mark. */
  memory(): { rssMb: number; peakRssMb: number } | undefined;
  /** Errors the system reported itself (bridge error log lines, failed flow runs). */
  problems(): readonly string[];
  /**
   * CPU seconds of the system's own process(es), cumulative over restarts; undefined for the
   * model, which runs in the benchmark runner (bench/cpu-time.ts counts the runner apart).
   */
  cpuSeconds(): number | undefined;
}

export interface World {
  kind: SystemKind;
  salesforce: EmulatorProcess<SalesforceControl>;
  partnerCenter: EmulatorProcess<PartnerCenterControl>;
  seller: Connection;
  seed: Seeder;
  system: SyncSystem;
  dispose(): Promise<void>;
}

export interface WorldOptions {
  /** Flow model: how often it polls Salesforce. */
  baselinePollIntervalMs: number;
  /** Flow model: runs in parallel. */
  baselineConcurrency: number;
  /** Bridge environment overrides for the benchmark (undefined unsets a harness tuning). */
  bridgeEnv: Record<string, string | undefined>;
}

export async function startWorld(kind: SystemKind, options: WorldOptions): Promise<World> {
  return kind === 'ours' ? startOurs(options) : startBaseline(options);
}

async function startOurs(options: WorldOptions): Promise<World> {
  // The compiled bridge, as shipped: `npm run bench` builds it first.
  const stack = await startStack({ bridgeEnv: options.bridgeEnv, builtBridge: true });
  try {
    await proveChangeStream(stack.bridge, stack.salesforce.control);
  } catch (error) {
    await stack.dispose();
    throw error;
  }
  return {
    kind: 'ours',
    salesforce: stack.salesforce,
    partnerCenter: stack.partnerCenter,
    seller: stack.seller,
    seed: stack.seed,
    system: bridgeSystem(stack.bridge),
    // A graceful stop first, so a bridge started with `--env NODE_OPTIONS=--cpu-prof` (or
    // --heap-prof) writes its profile on exit; dispose() alone would SIGKILL it.
    async dispose() {
      await stack.bridge.stop().catch(() => undefined);
      keepBridgeLog(stack.bridge);
      await stack.dispose();
    },
  };
}

export function bridgeSystem(bridge: BridgeProcess): SyncSystem {
  let callsOfFinishedRuns = 0;
  /** CPU of the processes stopped so far, read just before each stop (its shutdown is not in it). */
  let cpuOfFinishedRuns = 0;
  const scrape = async () =>
    parsePrometheusText(await (await fetch(`${bridge.url}/metrics`)).text());
  const referralsCalls = async () =>
    sumSamples(
      await scrape(),
      'cosell_api_calls_total',
      (l) => l.api === 'partner-center' && (l.operation ?? '').startsWith('referrals.'),
    );
  let running = true;
  return {
    kind: 'ours',
    async start() {
      await bridge.start();
      running = true;
    },
    async stop() {
      // The counters live in the process: keep what this run counted before it goes.
      callsOfFinishedRuns += await referralsCalls();
      cpuOfFinishedRuns += processCpuSeconds(bridge.process.pid) ?? 0;
      running = false;
      await bridge.stop();
    },
    async isIdle() {
      const samples = await scrape();
      const depth = (queue: string) =>
        sumSamples(samples, 'cosell_queue_depth', (l) => l.queue === queue);
      return depth('outbound') === 0 && depth('inbound') === 0 && depth('audit') === 0;
    },
    async ownPartnerCenterCalls() {
      return callsOfFinishedRuns + (running ? await referralsCalls() : 0);
    },
    memory() {
      const pid = running ? bridge.process.pid : undefined;
      return pid === undefined ? undefined : processMemory(pid);
    },
    cpuSeconds() {
      const current = running ? processCpuSeconds(bridge.process.pid) : 0;
      return current === undefined ? undefined : cpuOfFinishedRuns + current;
    },
    problems() {
      return bridge
        .logs((entry) => typeof entry.level === 'number' && entry.level >= 50)
        .map((entry) => `${String(entry.event ?? '')} ${String(entry.msg ?? '')}`.trim());
    },
  };
}

/**
 * Edits a sync-off canary opportunity until the bridge reports a received CDC event. Works
 * around a start-up race seen while building the benchmark: the engine currently starts its
 * change stream twice (bridge/src/sync/engine.ts start + startupSweeps), and changes made in
 * the first seconds after /readyz were sometimes never recorded. Not measured: it runs before
 * any meter starts.
 */
export async function proveChangeStream(bridge: BridgeProcess, salesforce: SalesforceControl) {
  const accountId = await salesforce.createRecord('Account', {
    Name: 'Benchmark canary account',
    BillingCountry: 'US',
  });
  const canaryId = await salesforce.createRecord('Opportunity', {
    Name: 'Benchmark canary (sync off)',
    AccountId: accountId,
    StageName: 'Prospecting',
    CloseDate: '2030-01-01',
  });
  const cdcEvents = async () =>
    sumSamples(
      parsePrometheusText(await (await fetch(`${bridge.url}/metrics`)).text()),
      'cosell_events_received_total',
      (l) => l.source === 'cdc',
    );
  const deadline = Date.now() + 60_000;
  for (let attempt = 1; Date.now() < deadline; attempt += 1) {
    const before = await cdcEvents();
    await salesforce.updateRecord(canaryId, { Amount: attempt });
    const seen = await waitFor(async () => (await cdcEvents()) > before, {
      timeoutMs: 2_000,
      intervalMs: 100,
      description: 'the canary change event',
    }).catch(() => false);
    if (seen) return;
  }
  throw new Error('the bridge never received a change event from Salesforce within 60 s');
}

/**
 * `BENCH_BRIDGE_LOG=FILE npm run bench …`: appends the bridge's log lines (every run of the world)
 * to FILE, to see where an experiment's time went (start-up, sweeps, batches).
 */
function keepBridgeLog(bridge: BridgeProcess): void {
  const file = process.env.BENCH_BRIDGE_LOG;
  if (!file) return;
  appendFileSync(
    file,
    bridge
      .logs()
      .map((line) => `${JSON.stringify(line)}\n`)
      .join(''),
  );
}

/** VmRSS and VmHWM (peak) of a Linux process, in MB. */
function processMemory(pid: number): { rssMb: number; peakRssMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]);
    return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

async function startBaseline(options: WorldOptions): Promise<World> {
  const [salesforce, partnerCenter] = await Promise.all([
    startSalesforceEmulatorProcess(),
    startPartnerCenterEmulatorProcess(),
  ]);
  let sink: Server | undefined;
  const closeSink = () =>
    new Promise<void>((resolve) => (sink ? sink.close(() => resolve()) : resolve()));
  try {
    // Same Partner Center setup as the bridge's world: a webhook registered for the referral
    // events (Microsoft's connector has one too: its inbound flow is webhook-triggered). Without
    // it the emulator would sign and send no deliveries in the model's runs and the two systems
    // would share the 2 cores on different terms. The sink answers like a flow's HTTP trigger.
    sink = await startWebhookSink();
    await registerWebhook(partnerCenter.url, `http://127.0.0.1:${port(sink)}/webhook`);
    const seller = await connectAs(salesforce.url, salesforce.control, 'seller');
    // The flow's connection: its own user (the admin), as a flow connection is one fixed identity.
    const flowConnection = await connectAs(salesforce.url, salesforce.control, 'admin');
    const users = await salesforce.control.users();
    const model = createFlowModel({
      salesforce: flowConnection,
      selfUserId: users.admin.id,
      partnerCenterUrl: partnerCenter.url,
      credentials: {
        tenantId: EMULATOR_CREDENTIALS.partnerCenterTenantId,
        clientId: EMULATOR_CREDENTIALS.partnerCenterClientId,
        clientSecret: EMULATOR_CREDENTIALS.partnerCenterClientSecret,
        username: EMULATOR_CREDENTIALS.partnerCenterUsername,
        password: EMULATOR_CREDENTIALS.partnerCenterPassword,
      },
      pollIntervalMs: options.baselinePollIntervalMs,
      concurrency: options.baselineConcurrency,
    });
    model.start();
    return {
      kind: 'baseline',
      salesforce,
      partnerCenter,
      seller,
      seed: new Seeder(salesforce.control, partnerCenter.control),
      system: flowSystem(model),
      async dispose() {
        await model.stop();
        await Promise.allSettled([salesforce.stop(), partnerCenter.stop(), closeSink()]);
      },
    };
  } catch (error) {
    await Promise.allSettled([salesforce.stop(), partnerCenter.stop(), closeSink()]);
    throw error;
  }
}

/** Accepts every webhook delivery with 200 after reading its body, as a flow's HTTP trigger. */
function startWebhookSink(): Promise<Server> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200).end());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function port(server: Server): number {
  return (server.address() as AddressInfo).port;
}

function flowSystem(model: FlowModel): SyncSystem {
  return {
    kind: 'baseline',
    start: () => Promise.resolve(model.start()),
    stop: () => model.stop(),
    isIdle: () => Promise.resolve(model.isIdle()),
    ownPartnerCenterCalls: () => Promise.resolve(model.counters.partnerCenterCalls),
    // In-process: the runner's memory is not the model's, so none is reported.
    memory: () => undefined,
    cpuSeconds: () => undefined,
    problems: () => model.errors,
  };
}
