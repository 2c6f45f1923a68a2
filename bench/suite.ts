/**
 * Runs the scenarios against both systems, one after the other on fresh emulator processes of
 * the same build, same workload and same fault settings (so neither can see the other's
 * records or requests), and collects figures, ratios and cross-checks.
 */
import { cpus, loadavg } from 'node:os';
import { BENCH_BRIDGE_ENV, type Profile } from './profiles';
import { round } from './percentiles';
import { scenarioCpuOf } from './cpu-time';
import { combineRounds, type TimedRound } from './rounds';
import { burst } from './scenarios/burst';
import { bulk } from './scenarios/bulk';
import { catchUp } from './scenarios/catch-up';
import type { ScenarioContext, ScenarioResult } from './scenarios/context';
import { latency } from './scenarios/latency';
import { steadyEdits } from './scenarios/steady-edits';
import { startWorld, type SystemKind, type World } from './world';

export const SCENARIOS = {
  steady: steadyEdits,
  burst,
  latency,
  bulk,
  catchUp,
} as const satisfies Record<string, (context: ScenarioContext) => Promise<ScenarioResult>>;

export type ScenarioName = keyof typeof SCENARIOS;
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

export type Figures = Record<string, number | null>;

export interface SystemResults {
  figures: Figures;
  details: Partial<Record<ScenarioName, Record<string, unknown>>>;
  /** Scenarios that failed, with the error: reported, never hidden. */
  failures: Partial<Record<ScenarioName, string>>;
  /** Errors the system reported about itself during the run (first 20). */
  problems: string[];
}

export interface CrossCheck {
  system: SystemKind;
  scenario: ScenarioName;
  emulatorPartnerCenterCalls: number;
  ownPartnerCenterCalls: number;
  agree: boolean;
}

export interface SuiteResults {
  generatedAt: string;
  profile: Profile['name'];
  scenarios: ScenarioName[];
  environment: {
    node: string;
    cpus: number;
    platform: string;
    /** 1/5/15-minute load averages when the run started and ended (other work on the host). */
    loadAverage?: { start: number[]; end: number[] };
  };
  settings: {
    profile: Profile;
    bridgeEnv: Record<string, string | undefined>;
  };
  ours: Figures;
  baseline: Figures;
  /** ours / baseline for every figure both systems have (below 1 = ours is lower). */
  ratios: Record<string, number | null>;
  details: Record<SystemKind, SystemResults>;
  crossChecks: CrossCheck[];
  /**
   * Every timed pair (bulk and catch-up; the main run first) when the profile times more than
   * one: `ours`, `baseline` and `ratios` then hold their medians (bench/rounds.ts).
   */
  timedRounds?: TimedRound[];
  durationSeconds: number;
}

export async function runSuite(options: {
  profile: Profile;
  scenarios?: ScenarioName[];
  /** Both by default; one only when debugging a scenario (no ratios then). */
  systems?: SystemKind[];
  /**
   * Run both systems at once. Only for call-count checks (the CI guard): on a shared machine
   * the two would slow each other down, so timings of a parallel run are not reported figures.
   */
  parallel?: boolean;
  log?: (message: string) => void;
  /**
   * Experiments only (`npm run bench -- --env KEY=VALUE`): variables set on top of the shipped
   * defaults. The reported figures never use it (run.ts writes no report when it is set).
   */
  bridgeEnv?: Record<string, string | undefined>;
}): Promise<SuiteResults> {
  const bridgeEnv = { ...BENCH_BRIDGE_ENV, ...options.bridgeEnv };
  const started = Date.now();
  const loadAtStart = loadavg();
  const log = options.log ?? (() => undefined);
  const scenarios = options.scenarios ?? SCENARIO_NAMES;
  const details: Record<SystemKind, SystemResults> = {
    ours: emptyResults(),
    baseline: emptyResults(),
  };
  const systems = options.systems ?? (['ours', 'baseline'] as const);
  if (options.parallel) {
    const runs = await Promise.all(
      systems.map((kind) => runSystem(kind, options.profile, scenarios, bridgeEnv, log)),
    );
    systems.forEach((kind, i) => (details[kind] = runs[i] ?? emptyResults()));
  } else {
    for (const kind of systems)
      details[kind] = await runSystem(kind, options.profile, scenarios, bridgeEnv, log);
  }
  const rounds: TimedRound[] = [
    {
      ours: details.ours.figures,
      baseline: details.baseline.figures,
      cpu: {
        ours: scenarioCpuOf(details.ours.details),
        baseline: scenarioCpuOf(details.baseline.details),
      },
    },
  ];
  const timed = scenarios.filter((name) => name === 'bulk' || name === 'catchUp');
  if (!options.parallel && systems.length === 2 && timed.length > 0) {
    for (let round = 2; round <= options.profile.timedRounds; round += 1) {
      log(`timed round ${round} of ${options.profile.timedRounds}: ${timed.join(', ')}`);
      const pair: TimedRound = { ours: {}, baseline: {}, cpu: { ours: {}, baseline: {} } };
      for (const kind of systems) {
        const run = await runSystem(kind, options.profile, timed, bridgeEnv, log);
        pair[kind] = run.figures;
        pair.cpu![kind] = scenarioCpuOf(run.details);
        // A failure in a later round is a failure of the run, reported like the first round's.
        for (const [name, message] of Object.entries(run.failures))
          details[kind].failures[name as ScenarioName] ??= `round ${round}: ${message}`;
      }
      rounds.push(pair);
    }
  }
  const combined = combineRounds(rounds, ratiosOf(details.ours.figures, details.baseline.figures));
  return {
    generatedAt: new Date().toISOString(),
    profile: options.profile.name,
    scenarios,
    environment: {
      node: process.version,
      cpus: cpus().length,
      platform: process.platform,
      loadAverage: {
        start: loadAtStart.map((l) => round(l, 2)),
        end: loadavg().map((l) => round(l, 2)),
      },
    },
    settings: { profile: options.profile, bridgeEnv },
    ours: combined.ours,
    baseline: combined.baseline,
    ratios: combined.ratios,
    details,
    crossChecks: crossChecksOf(details),
    ...(rounds.length > 1 ? { timedRounds: rounds } : {}),
    durationSeconds: round((Date.now() - started) / 1000, 1),
  };
}

function emptyResults(): SystemResults {
  return { figures: {}, details: {}, failures: {}, problems: [] };
}

async function runSystem(
  kind: SystemKind,
  profile: Profile,
  scenarios: ScenarioName[],
  bridgeEnv: Record<string, string | undefined>,
  log: (message: string) => void,
): Promise<SystemResults> {
  const results = emptyResults();
  let world: World;
  try {
    world = await startWorld(kind, {
      baselinePollIntervalMs: profile.baseline.pollIntervalMs,
      baselineConcurrency: profile.baseline.concurrency,
      bridgeEnv,
    });
  } catch (error) {
    // Reported per scenario like any other failure, so a parallel run still settles cleanly.
    const message = `the ${kind} world did not start: ${(error as Error).message}`;
    for (const name of scenarios) results.failures[name] = message;
    log(`[${kind}] ${message}`);
    return results;
  }
  try {
    for (const name of scenarios) {
      const context: ScenarioContext = {
        world,
        profile,
        log: (message) => log(`[${kind}] ${message}`),
      };
      const at = Date.now();
      try {
        const result = await SCENARIOS[name](context);
        for (const [key, value] of Object.entries(result.figures)) {
          results.figures[key] = value === null ? null : round(value, 3);
        }
        results.details[name] = result.details;
        log(
          `[${kind}] ${name} done in ${round((Date.now() - at) / 1000, 1)} s: ${JSON.stringify(result.figures)}`,
        );
      } catch (error) {
        results.failures[name] = (error as Error).message;
        log(`[${kind}] ${name} FAILED: ${(error as Error).message}`);
      }
    }
    results.problems = world.system.problems().slice(0, 20);
  } finally {
    log(`[${kind}] stopping`);
    await world.dispose();
    log(`[${kind}] stopped`);
  }
  return results;
}

export function ratiosOf(ours: Figures, baseline: Figures): Record<string, number | null> {
  const ratios: Record<string, number | null> = {};
  for (const [key, value] of Object.entries(ours)) {
    const other = baseline[key];
    ratios[key] =
      value === null || other === null || other === undefined || other === 0
        ? null
        : round(value / other, 3);
  }
  return ratios;
}

function crossChecksOf(details: Record<SystemKind, SystemResults>): CrossCheck[] {
  const checks: CrossCheck[] = [];
  for (const system of ['ours', 'baseline'] as const) {
    for (const [scenario, detail] of Object.entries(details[system].details)) {
      const emulator = detail?.partnerCenterCalls;
      const own = detail?.ownPartnerCenterCalls;
      if (typeof emulator !== 'number' || typeof own !== 'number') continue;
      checks.push({
        system,
        scenario: scenario as ScenarioName,
        emulatorPartnerCenterCalls: emulator,
        ownPartnerCenterCalls: own,
        agree: emulator === own,
      });
    }
  }
  return checks;
}
