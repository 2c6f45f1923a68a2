/**
 * Pure: Partner Center instants at full precision (seven fractional digits, beyond what Date
 * keeps), which referral state is newer, and calendar days. Both directions compare states here.
 */
import type { Referral } from '../schemas';
import { nonBlank } from './text';
import { isCalendarDate } from './validate';

/** "2024-11-14T00:00:00Z" → "2024-11-14" (UTC), or null when it is not a date. */
export function utcDay(value: string): string | null {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return null;
  const day = new Date(ms).toISOString().slice(0, 10);
  return isCalendarDate(day) ? day : null;
}

export interface LastApplied {
  updatedDateTime: string | null;
  eTag: string | null;
}

/**
 * Whether `referral` is newer than the last version applied, so an out-of-order or repeated
 * delivery never overwrites newer state. Same time and same eTag = a duplicate.
 */
export function isNewer(
  referral: Pick<Referral, 'updatedDateTime' | 'eTag'>,
  last: LastApplied | null,
): boolean {
  if (last === null) return true;
  const order = compareInstants(referral.updatedDateTime, last.updatedDateTime);
  if (order !== 0) return order > 0;
  return nonBlank(referral.eTag) !== null && referral.eTag !== last.eTag;
}

/**
 * Compares ISO 8601 instants at full precision: Partner Center sends 7 fractional digits
 * ("…39.5485487+00:00"), beyond what Date keeps. A missing time sorts first.
 */
export function compareInstants(
  a: string | null | undefined,
  b: string | null | undefined,
): number {
  const pa = parseInstant(a);
  const pb = parseInstant(b);
  if (pa === null || pb === null) return pa === pb ? 0 : pa === null ? -1 : 1;
  if (pa.ms !== pb.ms) return pa.ms < pb.ms ? -1 : 1;
  return pa.fraction === pb.fraction ? 0 : pa.fraction < pb.fraction ? -1 : 1;
}

function parseInstant(value: string | null | undefined): { ms: number; fraction: string } | null {
  if (!value) return null;
  const match = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!match) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : { ms, fraction: '' };
  }
  const digits = (match[2] ?? '').padEnd(9, '0');
  const ms = Date.parse(`${match[1]}.${digits.slice(0, 3)}${match[3] ?? 'Z'}`);
  return Number.isNaN(ms) ? null : { ms, fraction: digits.slice(3) };
}
