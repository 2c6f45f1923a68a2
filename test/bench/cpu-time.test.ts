/**
 * The benchmark's CPU accounting (bench/cpu-time.ts): read from a real child process's
 * /proc/PID/stat, so a wrong field index shows up as a busy process that used no CPU.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpus } from 'node:os';
import {
  cpuBetween,
  cpuDetails,
  cpuSecondsFromStat,
  processCpuSeconds,
  throughputBounds,
  timeBounds,
  type CpuSeconds,
} from '../../bench/cpu-time';
import { renderCpu } from '../../bench/report';
import type { SuiteResults } from '../../bench/suite';
import { waitFor } from '../support';

// A child burning CPU on a loaded 2-core host can take seconds of wall time: the wait below has
// its own 10 s deadline, longer than jest's default 5 s.
jest.setTimeout(30_000);

describe('CPU time per process', () => {
  it('counts utime and stime from the fields after the command name, even one with ") ("', () => {
    // Fields 14 and 15 (utime 250, stime 50 ticks) follow a command name holding spaces and ')'.
    const stat = '4242 (node) (x y) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 11 0';
    expect(cpuSecondsFromStat(stat)).toBe(3);
  });

  it('sees a busy child process use CPU, and nothing once it has exited', async () => {
    const child = spawn(process.execPath, [
      '-e',
      // Until it has used 0.4 s of CPU (not of wall time: on a busy host it gets less).
      'while (process.cpuUsage().user < 400000); setInterval(() => {}, 1000);',
    ]);
    try {
      const used = await waitFor(
        () => {
          const seconds = processCpuSeconds(child.pid);
          return seconds !== undefined && seconds >= 0.3 ? seconds : undefined;
        },
        { timeoutMs: 10_000, intervalMs: 50, description: 'the child to burn 0.3 s of CPU' },
      );
      expect(used).toBeLessThan(10);
    } finally {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    expect(processCpuSeconds(child.pid)).toBeUndefined();
  });

  it('reports what each process used in the window, the model inside the runner', () => {
    const cpu = cpuBetween(
      { system: undefined, salesforceEmulator: 1, partnerCenterEmulator: 2, runner: 0.5 },
      { system: undefined, salesforceEmulator: 3.5, partnerCenterEmulator: 6, runner: 4 },
    );
    expect(cpu).toEqual({
      system: null,
      salesforceEmulator: 2.5,
      partnerCenterEmulator: 4,
      runner: 3.5,
      total: 10,
    });
    // 10 CPU-seconds in 5 s on this host's cores.
    const cores = cpuDetails(cpu, 5_000).hostCoresBusy!;
    expect(cores * 5 * cpus().length).toBeCloseTo(10, 2);
  });

  const oursBulk: CpuSeconds = {
    system: 4,
    salesforceEmulator: 2,
    partnerCenterEmulator: 4,
    runner: 0.25,
    total: 10.25,
  };
  const modelBulk: CpuSeconds = {
    system: null,
    salesforceEmulator: 3,
    partnerCenterEmulator: 5.5,
    runner: 4.5,
    total: 13,
  };

  it('estimates a ratio from the CPU of both worlds and bounds what a free bridge could reach', () => {
    const ours = { cpu: oursBulk, seconds: 8 };
    const model = { cpu: modelBulk, seconds: 8 };
    // 13 / 10.25 at an equal busy share; 2 cores × 8 s over the 6.25 CPU-seconds that are not
    // the bridge's; 16 / 1.5 - 6.25 for the bridge's budget at 1.5×.
    expect(throughputBounds(ours, model, 2, 1.5)).toEqual({
      equalShare: 1.27,
      freeBridgeCeiling: 2.56,
      bridgeBudget: 4.42,
    });
    expect(throughputBounds(ours, { ...model, seconds: 4 }, 2, 1.5)?.bridgeBudget).toBe(-0.92);
    // The bridge's CPU unknown (its process could not be read): no bound at all.
    expect(
      throughputBounds({ ...ours, cpu: { ...oursBulk, system: null } }, model, 2, 1.5),
    ).toBeNull();
    // Time: 10.25 / 13 at an equal busy share; the 6.25 spread over 2 cores, over 8 s; at 1×
    // the bridge may use what 2 cores give in 8 s, less those 6.25.
    expect(timeBounds(ours, model, 2, 1)).toEqual({
      equalShare: 0.79,
      freeBridgeFloor: 0.39,
      bridgeBudget: 9.75,
    });
    // The model done in 3 s: 6 CPU-seconds of cores, less than the 6.25 the rest used.
    expect(timeBounds(ours, { ...model, seconds: 3 }, 2, 1)?.bridgeBudget).toBe(-0.25);
  });

  it("renders the main run's CPU per process and what it implies", () => {
    const details = (cpu: CpuSeconds) => ({
      bulk: { cpuSeconds: cpu, cpuWindowSeconds: 8, hostCoresBusy: cpu.total / 16 },
    });
    const text = renderCpu({
      environment: { cpus: 2 },
      details: {
        ours: { details: details(oursBulk), figures: { bulkOpportunitiesPerSecond: 250 } },
        baseline: { details: details(modelBulk), figures: { bulkOpportunitiesPerSecond: 200 } },
      },
    } as unknown as SuiteResults);
    expect(text).toContain('| 1 | Bulk | bridge | 8.0 | 4.0 | 2.0 | 4.0 | 0.3 | 10.3 | 64% |');
    expect(text).toContain(
      '| 1 | Bulk | model | 8.0 | in the runner | 3.0 | 5.5 | 4.5 | 13.0 | 81% |',
    );
    expect(text).toContain(
      '- Pair 1: bulk measured 1.25× the model, 1.27× predicted at an equal busy share (13.0 ÷ 10.3 CPU-seconds); with every core busy a bridge using no CPU could reach 2.56×, and 1.5× needs a bridge using at most 4.4 CPU-seconds (it used 4.0)',
    );
    expect(text).not.toContain('catch-up measured');
  });

  it('renders every timed pair when several ran', () => {
    const detail = (cpu: CpuSeconds) => ({
      cpuSeconds: cpu,
      cpuWindowSeconds: 4,
      hostCoresBusy: 0.5,
    });
    const pair = (model: CpuSeconds) => ({
      ours: { catchUpSeconds: 6 },
      baseline: { catchUpSeconds: 4 },
      cpu: {
        ours: { bulk: detail(oursBulk), catchUp: detail({ ...oursBulk, total: 6 }) },
        baseline: { bulk: detail(model), catchUp: detail({ ...model, total: 4 }) },
      },
    });
    const text = renderCpu({
      environment: { cpus: 2 },
      details: { ours: { details: {}, figures: {} }, baseline: { details: {}, figures: {} } },
      timedRounds: [pair(modelBulk), pair({ ...modelBulk, total: 6 })],
    } as unknown as SuiteResults);
    expect(text.match(/^\| 2 \| /gm)).toHaveLength(4);
    // 2 cores × 4 s cannot fit the 6.25 CPU-seconds the rest of the bridge's world needs at 1.5×.
    expect(text).toContain('not even a bridge using no CPU reaches 1.5×');
    expect(text).toContain('bulk measured n/a the model');
    // Catch-up: 6 ÷ 4 CPU-seconds; without the bridge's 4, 2 CPU-seconds over 2 cores in 4 s;
    // in the model's 4 s, 2 cores give 8 CPU-seconds, 6 of them left for the bridge.
    expect(text).toContain(
      "catch-up measured 1.5× the model's time, 1.5× predicted at an equal busy share; with every core busy a bridge using no CPU could get it down to 0.25×, and 1× needs a bridge using at most 6.0 CPU-seconds (it used 4.0, start-up included)",
    );
  });
});
