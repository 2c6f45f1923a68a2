/**
 * Partner Center writes date-times with seven fractional digits (.NET ticks of 100 ns), e.g.
 * `2018-02-17T00:05:39.5485487+00:00` in webhook events. The emulator stamps referrals the same
 * way: milliseconds from its clock plus four sub-millisecond digits, which also keep stamps
 * strictly increasing when many changes fall within one millisecond. Pure.
 */

export interface Stamp {
  ms: number;
  /** 100-ns ticks within the millisecond, 0–9999. */
  sub: number;
}

/** The next stamp after `last` at clock time `nowMs`: never equal to or before `last`. */
export function nextStamp(last: Stamp | undefined, nowMs: number): Stamp {
  const ms = Math.floor(nowMs);
  if (!last || ms > last.ms) return { ms, sub: 0 };
  return last.sub < 9_999 ? { ms: last.ms, sub: last.sub + 1 } : { ms: last.ms + 1, sub: 0 };
}

/** `2026-12-04T22:10:00.1230000Z`: ISO 8601 UTC with seven fractional digits. */
export function formatStamp(stamp: Stamp): string {
  const iso = new Date(stamp.ms).toISOString(); // …T22:10:00.123Z
  return `${iso.slice(0, 23)}${String(stamp.sub).padStart(4, '0')}Z`;
}

/** A millisecond time in the seven-digit form. */
export function formatMs(ms: number): string {
  return formatStamp({ ms: Math.floor(ms), sub: 0 });
}

/** The same instant as a webhook's `ResourceChangeUtcDate` (`+00:00` instead of `Z`). */
export function toWebhookDate(stamp: string): string {
  return stamp.endsWith('Z') ? `${stamp.slice(0, -1)}+00:00` : stamp;
}

/**
 * A key that orders ISO date-times to the 100 ns (Date.parse stops at the millisecond), or
 * undefined when the value is no date-time. Keys of two instants compare as strings.
 */
export function instantKey(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return undefined;
  const fraction = /T\d{2}:\d{2}:\d{2}\.(\d+)/.exec(value)?.[1] ?? '';
  const sub = fraction.padEnd(7, '0').slice(3, 7);
  // Offset so that negative epochs (never seen in practice) still sort as numbers would.
  return `${String(ms + 1e14).padStart(16, '0')}.${sub}`;
}

/** An ISO date-time read to the 100 ns, or undefined. */
export function parseStamp(value: unknown): Stamp | undefined {
  const key = instantKey(value);
  if (key === undefined) return undefined;
  const [ms, sub] = key.split('.');
  return { ms: Number(ms) - 1e14, sub: Number(sub) };
}
