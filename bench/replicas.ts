/**
 * `npm run bench:replicas [-- --full]`: the bulk and catch-up scenarios against the bridge on
 * Postgres with 1 and then 3 replicas, in one run (issue 18), on the shipped defaults. Writes
 * bench/results/replicas.json; docs/BENCHMARKS.md ("Replicas") says what the figures can and
 * cannot show on a 2-core machine. Quick profile by default (200 opportunities, 200 changes).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BridgeProcess, registerWebhook, startStack } from '../test/support';
import { startPostgres } from '../test/support/postgres-server';
import { BENCH_BRIDGE_ENV, PROFILES } from './profiles';
import { renderReplicaSection, withReplicaSection, type ReplicaResults } from './replica-report';
import { bulk } from './scenarios/bulk';
import { catchUp } from './scenarios/catch-up';
import type { ScenarioContext } from './scenarios/context';
import { bridgeSystem, proveChangeStream, type SyncSystem, type World } from './world';

const ROOT = resolve(__dirname, '..');

/** The replicas as one system: start/stop all, idle when the shared queues are empty. */
function replicaSystem(replicas: BridgeProcess[]): SyncSystem {
  const each = replicas.map(bridgeSystem);
  return {
    kind: 'ours',
    async start() {
      await replicas[0]!.start();
      for (const replica of replicas.slice(1)) await replica.start({ waitSubscribed: false });
    },
    async stop() {
      await Promise.all(each.map((system) => system.stop()));
    },
    // The queue depth gauge reads the shared store: any replica tells for all.
    isIdle: () => each[0]!.isIdle(),
    async ownPartnerCenterCalls() {
      let total = 0;
      for (const system of each) total += await system.ownPartnerCenterCalls();
      return total;
    },
    memory() {
      const samples = each.map((system) => system.memory());
      if (samples.some((m) => m === undefined)) return undefined;
      return {
        rssMb: samples.reduce((sum, m) => sum + m!.rssMb, 0),
        peakRssMb: samples.reduce((sum, m) => sum + m!.peakRssMb, 0),
      };
    },
    cpuSeconds() {
      const samples = each.map((system) => system.cpuSeconds());
      if (samples.some((s) => s === undefined)) return undefined;
      return samples.reduce<number>((sum, s) => sum + s!, 0);
    },
    problems: () => each.flatMap((system) => system.problems()),
  };
}

async function replicaWorld(count: number): Promise<World & { stopPostgres(): Promise<void> }> {
  // Durable commits, as in production (tests turn fsync off; a benchmark must not).
  const postgres = await startPostgres({ fsync: true });
  const env = { ...BENCH_BRIDGE_ENV, BRIDGE_DATABASE_URL: postgres.url };
  const stack = await startStack({
    bridgeEnv: env,
    builtBridge: true,
    setup: false,
    startBridge: false,
  });
  const replicas = [stack.bridge];
  for (let i = 1; i < count; i += 1) {
    replicas.push(
      await BridgeProcess.create({
        salesforceUrl: stack.salesforce.url,
        partnerCenterUrl: stack.partnerCenter.url,
        overrides: env,
        built: true,
      }),
    );
  }
  await registerWebhook(stack.partnerCenter.url, `${stack.bridge.url}/webhooks/partner-center`);
  const system = replicaSystem(replicas);
  await system.start();
  await proveChangeStream(stack.bridge, stack.salesforce.control);
  return {
    kind: 'ours',
    salesforce: stack.salesforce,
    partnerCenter: stack.partnerCenter,
    seller: stack.seller,
    seed: stack.seed,
    system,
    async dispose() {
      await Promise.all(replicas.slice(1).map((r) => r.dispose()));
      await stack.dispose();
    },
    stopPostgres: () => postgres.stop(),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { full: { type: 'boolean', default: false } } });
  const profile = values.full ? PROFILES.full : PROFILES.quick;
  const log = (message: string) =>
    process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
  const loadAtStart = loadavg().map((l) => Math.round(l * 100) / 100);
  const runs: Record<string, unknown> = {};
  for (const count of [1, 3]) {
    log(`${count} replica(s) on Postgres, profile ${profile.name}`);
    const world = await replicaWorld(count);
    try {
      const context: ScenarioContext = { world, profile, log: (m) => log(`[${count}] ${m}`) };
      const bulkResult = await bulk(context);
      log(`[${count}] bulk: ${JSON.stringify(bulkResult.figures)}`);
      const catchUpResult = await catchUp(context);
      log(`[${count}] catch-up: ${JSON.stringify(catchUpResult.figures)}`);
      runs[`replicas${count}`] = {
        bulk: bulkResult,
        catchUp: catchUpResult,
        problems: world.system.problems().slice(0, 20),
      };
    } finally {
      await world.dispose();
      await world.stopPostgres();
    }
  }
  const results = {
    generatedAt: new Date().toISOString(),
    profile: profile.name,
    environment: {
      node: process.version,
      cpus: cpus().length,
      loadAverage: { start: loadAtStart, end: loadavg().map((l) => Math.round(l * 100) / 100) },
    },
    runs,
  };
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/results/replicas.json'), `${JSON.stringify(results, null, 2)}\n`);
  await writeSection(results as ReplicaResults);
  console.log(JSON.stringify(results, null, 2));
}

async function writeSection(results: ReplicaResults): Promise<void> {
  const file = join(ROOT, 'docs/BENCHMARKS.md');
  const page = withReplicaSection(readFileSync(file, 'utf8'), renderReplicaSection(results));
  const prettier = await import('prettier');
  const config = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(file, await prettier.format(page, { ...config, filepath: file }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
