/** Where the emulator reads the time; tests may pass a fixed or manual source. */
export interface TimeSource {
  now(): number;
}

/**
 * The emulator's clock: a time source plus an offset that the control API advances, so a test
 * can make 14 days pass (incoming referrals expire) without waiting.
 */
export class EmulatorClock {
  private offsetMs = 0;

  constructor(private readonly source: TimeSource = { now: () => Date.now() }) {}

  now(): number {
    return this.source.now() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  reset(): void {
    this.offsetMs = 0;
  }

  get offset(): number {
    return this.offsetMs;
  }
}

/** `2018-02-17T00:05:39.5480000+00:00`: the 7-digit form Partner Center uses in webhook events. */
export function toDotNetUtc(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2018-02-17T00:05:39.548Z
  return `${iso.slice(0, 23)}0000+00:00`;
}

/** `2026-11-30`: the UTC day a call is counted under (R1 daily quota). */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
