/**
 * \`npm run bench [-- --quick] [-- --only steady,burst] [-- --system ours]\`: runs the scenarios against the bridge
 * and the flow-style baseline model, writes bench/results/latest.json and docs/BENCHMARKS.md.
 *
 * Experiments: \`-- --env KEY=VALUE\` (repeatable) sets a variable for the bridge process on top of
 * the shipped defaults (e.g. BRIDGE_OUTBOUND_CONCURRENCY=16, or NODE_OPTIONS=--cpu-prof), and
 * \`-- --bulk N\` changes the bulk size, \`-- --rounds N\` the number of timed pairs (the full profile
 * times bulk and catch-up in 3; \`--rounds 1\` for a quick A/B). Any of them prints the JSON
 * instead of writing the report, so the published figures are always the shipped defaults at the
 * profile's size.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { findings, history, METHOD, observations } from './narrative';
import { parseEnv, PROFILES } from './profiles';
import { renderReport } from './report';
import { keptReplicaSection, withReplicaSection } from './replica-report';
import { SCENARIO_NAMES, runSuite, type ScenarioName, type SuiteResults } from './suite';
import { evaluateTargets, type TargetResult } from './targets';
import type { SystemKind } from './world';

const ROOT = resolve(__dirname, '..');

async function main(): Promise<void> {
  const { values: options } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      system: { type: 'string' },
      'no-write': { type: 'boolean', default: false },
      render: { type: 'boolean', default: false },
      env: { type: 'string', multiple: true },
      bulk: { type: 'string' },
      rounds: { type: 'string' },
    },
  });
  if (options.render) {
    await renderFromLatest();
    return;
  }
  const shipped = options.quick ? PROFILES.quick : PROFILES.full;
  const profile = {
    ...shipped,
    ...(options.bulk ? { bulk: { opportunities: parseCount(options.bulk, '--bulk') } } : {}),
    ...(options.rounds ? { timedRounds: parseCount(options.rounds, '--rounds') } : {}),
  };
  const bridgeEnv = parseEnv(options.env ?? []);
  const experiment =
    Object.keys(bridgeEnv).length > 0 || options.bulk !== undefined || options.rounds !== undefined;
  const scenarios = options.only ? parseScenarios(options.only) : undefined;
  const log = (message: string) =>
    process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
  log(`profile ${profile.name}: ${(scenarios ?? SCENARIO_NAMES).join(', ')}`);
  if (experiment) {
    log(
      `experiment (no report written): bulk ${profile.bulk.opportunities}, ${profile.timedRounds} timed round(s), ${JSON.stringify(bridgeEnv)}`,
    );
  }
  const systems = options.system ? [parseSystem(options.system)] : undefined;
  const results = await runSuite({
    profile,
    scenarios,
    systems,
    parallel: profile.parallelSystems,
    log,
    bridgeEnv,
  });
  const targets = evaluateTargets(results);
  const json = JSON.stringify({ ...results, targets }, null, 2);
  if (!options['no-write'] && !experiment) {
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(LATEST, `${json}\n`);
    await writeReport(results, targets);
    log('wrote bench/results/latest.json and docs/BENCHMARKS.md');
  } else {
    process.stdout.write(`${json}\n`);
  }
  for (const t of targets)
    log(
      `target ${t.id}: ${t.measured} (${t.limit}) ${t.met === null ? 'not measured' : t.met ? 'met' : 'MISSED'}`,
    );
  const failed = Object.values(results.details).some((d) => Object.keys(d.failures).length > 0);
  process.exitCode = failed ? 1 : 0;
}

const LATEST = join(ROOT, 'bench/results/latest.json');

/** Writes the page formatted as the repository's Prettier config wants it (it is committed). */
async function writeReport(results: SuiteResults, targets: TargetResult[]): Promise<void> {
  const file = join(ROOT, 'docs/BENCHMARKS.md');
  const markdown = renderReport(results, targets, {
    method: METHOD,
    findings: findings(targets),
    observations: observations(results),
    history: history(results),
  });
  // The replica figures come from their own run (bench/replicas.ts): keep them.
  const replicas = keptReplicaSection(readFileSync(file, 'utf8'));
  const page = replicas ? withReplicaSection(markdown, replicas) : markdown;
  const prettier = await import('prettier');
  const config = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(file, await prettier.format(page, { ...config, filepath: file }));
}

/** `--render`: rewrite docs/BENCHMARKS.md from the committed results (after editing the prose). */
async function renderFromLatest(): Promise<void> {
  const results = JSON.parse(readFileSync(LATEST, 'utf8')) as SuiteResults;
  await writeReport(results, evaluateTargets(results));
}

function parseCount(text: string, option: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${option} expects a positive integer, got "${text}"`);
  return n;
}

function parseSystem(text: string): SystemKind {
  if (text !== 'ours' && text !== 'baseline') {
    throw new Error(`unknown system "${text}"; expected ours or baseline`);
  }
  return text;
}

function parseScenarios(text: string): ScenarioName[] {
  const names = text.split(',').map((s) => s.trim());
  for (const name of names) {
    if (!(SCENARIO_NAMES as string[]).includes(name)) {
      throw new Error(`unknown scenario "${name}"; expected some of ${SCENARIO_NAMES.join(', ')}`);
    }
  }
  return names as ScenarioName[];
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
