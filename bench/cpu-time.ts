/**
 * CPU time per process of a benchmark world, so the report can say where a timed window's CPU
 * went. On this 2-core host the emulators share the cores with the system under test: when the
 * processes together keep both cores busy, a system can only be faster by making the whole world
 * cheaper, and these figures show whether that was the case.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { round } from './percentiles';

/**
 * Linux reports utime and stime in /proc in USER_HZ ticks, a kernel ABI constant of 100 on the
 * architectures Node supports (sysconf(_SC_CLK_TCK), which Node does not expose).
 */
const USER_HZ = 100;

/** CPU seconds (user + system) a Linux process has used so far; undefined once it is gone. */
export function processCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    return cpuSecondsFromStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * utime + stime from a /proc/PID/stat line. The command name (field 2) is in parentheses and may
 * itself hold spaces or parentheses, so the fields are counted from the last ')'.
 */
export function cpuSecondsFromStat(stat: string): number | undefined {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state): utime is field 14, stime field 15.
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / USER_HZ : undefined;
}

/** CPU seconds this (benchmark runner) process has used so far. */
export function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** CPU seconds per process of a world over a window. */
export interface CpuSeconds {
  /** The bridge process (ours); null for the model, which runs inside the runner (`runner`). */
  system: number | null;
  salesforceEmulator: number | null;
  partnerCenterEmulator: number | null;
  /** The benchmark runner: workload and polling, and for the model the model itself. */
  runner: number;
  total: number;
}

export interface CpuReading {
  system: number | undefined;
  salesforceEmulator: number | undefined;
  partnerCenterEmulator: number | undefined;
  runner: number;
}

/** What each process used between two readings (null where a process could not be read). */
export function cpuBetween(before: CpuReading, after: CpuReading): CpuSeconds {
  const delta = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined ? null : round(b - a, 3);
  const cpu = {
    system: delta(before.system, after.system),
    salesforceEmulator: delta(before.salesforceEmulator, after.salesforceEmulator),
    partnerCenterEmulator: delta(before.partnerCenterEmulator, after.partnerCenterEmulator),
    runner: round(after.runner - before.runner, 3),
  };
  const total =
    (cpu.system ?? 0) + (cpu.salesforceEmulator ?? 0) + (cpu.partnerCenterEmulator ?? 0);
  return { ...cpu, total: round(total + cpu.runner, 3) };
}

/**
 * A timed window's CPU for a scenario's details: seconds per process, and how busy the host's
 * cores were on average (1 = every core busy for the whole window).
 */
export interface CpuDetails {
  cpuSeconds: CpuSeconds;
  cpuWindowSeconds: number;
  hostCoresBusy: number | null;
}

/** The CPU details a scenario's result carries, if it carries them. */
function cpuDetailsOf(details: Record<string, unknown> | undefined): CpuDetails | undefined {
  const cpu = details?.cpuSeconds as CpuSeconds | undefined;
  if (!cpu || typeof details?.cpuWindowSeconds !== 'number') return undefined;
  const busy = details.hostCoresBusy;
  return {
    cpuSeconds: cpu,
    cpuWindowSeconds: details.cpuWindowSeconds,
    hostCoresBusy: typeof busy === 'number' ? busy : null,
  };
}

/** The timed scenarios' CPU details, by scenario. */
export type ScenarioCpu = Partial<Record<'bulk' | 'catchUp', CpuDetails>>;

/** The CPU details a system's bulk and catch-up results carry (details by scenario name). */
export function scenarioCpuOf(
  details: Partial<Record<string, Record<string, unknown>>>,
): ScenarioCpu {
  const cpu: ScenarioCpu = {};
  for (const name of ['bulk', 'catchUp'] as const) {
    const found = cpuDetailsOf(details[name]);
    if (found) cpu[name] = found;
  }
  return cpu;
}

export function cpuDetails(cpu: CpuSeconds, windowMs: number): CpuDetails {
  // The same count the report names (SuiteResults.environment.cpus).
  const capacity = (windowMs / 1000) * cpus().length;
  return {
    cpuSeconds: cpu,
    cpuWindowSeconds: round(windowMs / 1000, 3),
    hostCoresBusy: capacity > 0 ? round(cpu.total / capacity, 3) : null,
  };
}

/** One timed window of a world: its CPU per process and its length. */
export interface CpuWindow {
  cpu: CpuSeconds;
  seconds: number;
}

/**
 * The CPU of the bridge's world that was not the bridge's own (emulators, runner): what the
 * bounds below keep fixed. Null where the bridge's CPU is unknown or a world's total is zero.
 */
function restOfBridgeWorld(ours: CpuWindow, model: CpuWindow): number | null {
  if (ours.cpu.system === null || ours.cpu.total <= 0 || model.cpu.total <= 0) return null;
  return ours.cpu.total - ours.cpu.system;
}

/**
 * What the CPU of the two worlds says about a throughput ratio (ours ÷ model, higher is better;
 * the same work in both). `equalShare`: the ratio the CPU predicts if both worlds kept the cores
 * equally busy (model CPU ÷ ours): an estimate, the measured ratio is it × (ours busy ÷ model
 * busy). `freeBridgeCeiling`: a hard limit, the ratio a bridge using no CPU at all could reach
 * with every core busy, the rest of its world costing what it did (model window × cores ÷ that
 * rest). `bridgeBudget`: on the same terms, the most CPU the bridge could use and still reach
 * `target` (negative: not even at zero). Null where the bridge's CPU is unknown or a total is zero.
 */
export function throughputBounds(
  ours: CpuWindow,
  model: CpuWindow,
  cores: number,
  target: number,
): { equalShare: number; freeBridgeCeiling: number; bridgeBudget: number } | null {
  const rest = restOfBridgeWorld(ours, model);
  if (rest === null || rest <= 0) return null;
  const capacity = model.seconds * cores;
  return {
    equalShare: round(model.cpu.total / ours.cpu.total, 2),
    freeBridgeCeiling: round(capacity / rest, 2),
    bridgeBudget: round(capacity / target - rest, 2),
  };
}

/**
 * The same for a time ratio (ours ÷ model, lower is better): `equalShare` = ours CPU ÷ model CPU;
 * `freeBridgeFloor` = the shortest a bridge using no CPU could make it with every core busy (the
 * rest of its world's CPU spread over the cores, ÷ the model's time); `bridgeBudget` = on the
 * same terms, the most CPU the bridge could use and still take at most `target` × the model's
 * time (negative: not even at zero). Null as above.
 */
export function timeBounds(
  ours: CpuWindow,
  model: CpuWindow,
  cores: number,
  target: number,
): { equalShare: number; freeBridgeFloor: number; bridgeBudget: number } | null {
  const rest = restOfBridgeWorld(ours, model);
  if (rest === null || model.seconds <= 0) return null;
  return {
    equalShare: round(ours.cpu.total / model.cpu.total, 2),
    freeBridgeFloor: round(rest / cores / model.seconds, 2),
    bridgeBudget: round(target * model.seconds * cores - rest, 2),
  };
}
