/** A SOQL date literal as a half-open UTC range [start, end) in epoch ms. */
export interface DateRange {
  start: number;
  end: number;
}

const DAY = 86_400_000;

function startOfDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

function monthStart(year: number, month: number): number {
  return Date.UTC(year, month, 1);
}

/** Resolves TODAY, LAST_N_DAYS:n, THIS_MONTH, … relative to `now` (UTC; no fiscal years). */
export function dateLiteralRange(literal: string, now: number): DateRange | undefined {
  const [name = '', nRaw] = literal.toUpperCase().split(':');
  const n = nRaw === undefined ? 0 : Number(nRaw);
  const today = startOfDay(now);
  const d = new Date(today);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const weekStart = today - d.getUTCDay() * DAY; // weeks start on Sunday (en_US locale)
  const quarter = Math.floor(m / 3) * 3;
  switch (name) {
    case 'TODAY':
      return { start: today, end: today + DAY };
    case 'YESTERDAY':
      return { start: today - DAY, end: today };
    case 'TOMORROW':
      return { start: today + DAY, end: today + 2 * DAY };
    case 'LAST_N_DAYS':
      return { start: today - n * DAY, end: today + DAY };
    case 'NEXT_N_DAYS':
      return { start: today + DAY, end: today + (n + 1) * DAY };
    case 'N_DAYS_AGO':
      return { start: today - n * DAY, end: today - (n - 1) * DAY };
    case 'LAST_90_DAYS':
      return { start: today - 90 * DAY, end: today + DAY };
    case 'NEXT_90_DAYS':
      return { start: today + DAY, end: today + 91 * DAY };
    case 'THIS_WEEK':
      return { start: weekStart, end: weekStart + 7 * DAY };
    case 'LAST_WEEK':
      return { start: weekStart - 7 * DAY, end: weekStart };
    case 'NEXT_WEEK':
      return { start: weekStart + 7 * DAY, end: weekStart + 14 * DAY };
    case 'THIS_MONTH':
      return { start: monthStart(y, m), end: monthStart(y, m + 1) };
    case 'LAST_MONTH':
      return { start: monthStart(y, m - 1), end: monthStart(y, m) };
    case 'NEXT_MONTH':
      return { start: monthStart(y, m + 1), end: monthStart(y, m + 2) };
    case 'LAST_N_MONTHS':
      return { start: monthStart(y, m - n), end: monthStart(y, m) };
    case 'NEXT_N_MONTHS':
      return { start: monthStart(y, m + 1), end: monthStart(y, m + 1 + n) };
    case 'THIS_QUARTER':
      return { start: monthStart(y, quarter), end: monthStart(y, quarter + 3) };
    case 'LAST_QUARTER':
      return { start: monthStart(y, quarter - 3), end: monthStart(y, quarter) };
    case 'NEXT_QUARTER':
      return { start: monthStart(y, quarter + 3), end: monthStart(y, quarter + 6) };
    case 'THIS_YEAR':
      return { start: Date.UTC(y, 0, 1), end: Date.UTC(y + 1, 0, 1) };
    case 'LAST_YEAR':
      return { start: Date.UTC(y - 1, 0, 1), end: Date.UTC(y, 0, 1) };
    case 'NEXT_YEAR':
      return { start: Date.UTC(y + 1, 0, 1), end: Date.UTC(y + 2, 0, 1) };
    case 'LAST_N_YEARS':
      return { start: Date.UTC(y - n, 0, 1), end: Date.UTC(y, 0, 1) };
    case 'NEXT_N_YEARS':
      return { start: Date.UTC(y + 1, 0, 1), end: Date.UTC(y + 1 + n, 0, 1) };
    default:
      return undefined;
  }
}
