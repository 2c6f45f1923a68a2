/**
 * Samples the bridge's resident set size from /proc while a chaos run goes on, so "memory stays
 * bounded" is a measured maximum (and, per process, a first-half vs second-half comparison)
 * rather than a hope. Linux only, like CI.
 */
import { readFileSync } from 'node:fs';

export interface RssSample {
  pid: number;
  at: number;
  rssBytes: number;
}

export function readRssBytes(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
    return match?.[1] ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined; // the process is gone (killed between samples)
  }
}

export class MemorySampler {
  readonly samples: RssSample[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly currentPid: () => number | undefined,
    private readonly intervalMs = 500,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  sample(): void {
    const pid = this.currentPid();
    if (pid === undefined) return;
    const rssBytes = readRssBytes(pid);
    if (rssBytes !== undefined) this.samples.push({ pid, at: Date.now(), rssBytes });
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  get maxRssBytes(): number {
    return this.samples.reduce((max, s) => Math.max(max, s.rssBytes), 0);
  }

  /** Samples of the longest-lived process, to compare its early and late memory. */
  longestRun(): RssSample[] {
    const byPid = new Map<number, RssSample[]>();
    for (const s of this.samples) byPid.set(s.pid, [...(byPid.get(s.pid) ?? []), s]);
    return [...byPid.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  }
}
