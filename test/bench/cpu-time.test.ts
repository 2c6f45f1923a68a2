/**
 * The benchmark's CPU accounting (bench/cpu-time.ts): read from a real child process's
 * /proc/PID/stat, so a wrong field index shows up as a busy process that used no CPU.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import {
  cpuBetween,
  cpuDetails,
  cpuSecondsFromStat,
  processCpuSeconds,
  throughputBounds,
  type CpuSeconds,
} from '../../bench/cpu-time';
import { renderCpu } from '../../bench/report';
import type { SuiteResults } from '../../bench/suite';
import { waitFor } from '../support';

describe('CPU time per process', () => {
  it('counts utime and stime from the fields after the command name, even one with ") ("', () => {
    // Fields 14 and 15 (utime 250, stime 50 ticks) follow a command name holding spaces and ')'.
    const stat = '4242 (node) (x y) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 11 0';
    expect(cpuSecondsFromStat(stat)).toBe(3);
  });

  it('sees a busy child process use CPU, and nothing once it has exited', async () => {
    const child = spawn(process.execPath, [
      '-e',
      'const end = Date.now() + 400; while (Date.now() < end); setInterval(() => {}, 1000);',
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
    expect(cores * 5 * availableParallelism()).toBeCloseTo(10, 2);
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

  it('bounds a throughput ratio by the CPU each whole world needs', () => {
    // 13 / 10.25 with the cores equally busy; 13 / (10.25 - 4) with a bridge that costs nothing.
    expect(throughputBounds(oursBulk, modelBulk)).toEqual({
      equallyBusy: 1.27,
      freeBridge: 2.08,
      bridgeBudget: null,
    });
    // 1.5×: the world may need 13 / 1.5 = 8.67 CPU-seconds, 6.25 of which are not the bridge's.
    expect(throughputBounds(oursBulk, modelBulk, 1.5)?.bridgeBudget).toBe(2.42);
    expect(throughputBounds({ ...oursBulk, total: 0 }, modelBulk)).toBeNull();
  });

  it("renders the main run's CPU per process and the bounds it implies", () => {
    const details = (cpu: CpuSeconds) => ({
      bulk: { cpuSeconds: cpu, cpuWindowSeconds: 8, hostCoresBusy: cpu.total / 16 },
    });
    const text = renderCpu({
      environment: { cpus: 2 },
      details: {
        ours: { details: details(oursBulk) },
        baseline: { details: details(modelBulk) },
      },
    } as unknown as SuiteResults);
    expect(text).toContain('| 1 | Bulk | bridge | 8.0 | 4.0 | 2.0 | 4.0 | 0.3 | 10.3 | 64% |');
    expect(text).toContain(
      '| 1 | Bulk | model | 8.0 | in the runner | 3.0 | 5.5 | 4.5 | 13.0 | 81% |',
    );
    expect(text).toContain(
      '- Pair 1: bulk at most 1.27× the model (13.0 ÷ 10.3 CPU-seconds), 2.08× with a free bridge; 1.5× needs a bridge using at most 2.4 CPU-seconds (it used 4.0)',
    );
    expect(text).not.toContain('catch-up at least');
  });

  it('renders every timed pair when several ran', () => {
    const detail = (cpu: CpuSeconds) => ({
      cpuSeconds: cpu,
      cpuWindowSeconds: 4,
      hostCoresBusy: 0.5,
    });
    const pair = (model: CpuSeconds) => ({
      ours: {},
      baseline: {},
      cpu: {
        ours: { bulk: detail(oursBulk), catchUp: detail({ ...oursBulk, total: 6 }) },
        baseline: { bulk: detail(model), catchUp: detail({ ...model, total: 4 }) },
      },
    });
    const text = renderCpu({
      environment: { cpus: 2 },
      details: { ours: { details: {} }, baseline: { details: {} } },
      timedRounds: [pair(modelBulk), pair({ ...modelBulk, total: 6 })],
    } as unknown as SuiteResults);
    expect(text.match(/^\| 2 \| /gm)).toHaveLength(4);
    // Pair 2's model world is cheaper than the bridge's emulators alone: 6 ÷ 1.5 < 6.25.
    expect(text).toContain('not even a bridge using no CPU reaches 1.5×');
    // Catch-up: 6 ÷ 4 CPU-seconds; without the bridge's 4, 2 ÷ 4.
    expect(text).toContain("catch-up at least 1.5× the model's time, 0.5× with a free bridge");
  });
});
