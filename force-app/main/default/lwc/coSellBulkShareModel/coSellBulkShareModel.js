/**
 * Bulk share, pure: where each selected opportunity stands after the seller shares them with
 * Partner Center at once (the bridge syncs each one; its daily Partner Center call budget may
 * leave some waiting). No imports, so the end-to-end test classifies the org's records with
 * the same rules the component shows.
 *
 * States: `ready` (sync off, checklist complete: will be switched on), `not-ready` (sync off,
 * something missing: left alone), `sharing` (sync on, the bridge has not answered yet),
 * `shared` (Synced with a referral id), `waiting` (Pending: the daily budget is spent, the
 * bridge resumes at the reset), `failed` (Error, with the bridge's message).
 */

/** How the bridge words a budget pause (sync/failure-policy.ts budgetPausedMessage). */
export const BUDGET_PAUSE_PREFIX = 'Paused: daily Partner Center budget';

export const STATES = Object.freeze([
  'ready',
  'not-ready',
  'sharing',
  'shared',
  'waiting',
  'failed',
]);

/** The states that still move without the seller (the component keeps refreshing while any is). */
export const MOVING_STATES = Object.freeze(['sharing']);

/**
 * The sync state of one opportunity once sync is on, from the fields the bridge writes back.
 * @param {{syncOn: boolean, status?: string|null, message?: string|null, referralId?: string|null}} row
 * @returns {'off'|'sharing'|'shared'|'waiting'|'failed'}
 */
export function syncState(row) {
  if (!row.syncOn) return 'off';
  const message = row.message || '';
  if (row.status === 'Synced' && row.referralId) return 'shared';
  if (row.status === 'Error') return 'failed';
  if (message.startsWith(BUDGET_PAUSE_PREFIX)) return 'waiting';
  return 'sharing';
}

/** Counts per state, and whether anything still moves. */
export function summarize(results) {
  const counts = Object.fromEntries(STATES.map((s) => [s, 0]));
  for (const r of results) counts[r.state] = (counts[r.state] || 0) + 1;
  const moving = MOVING_STATES.reduce((n, s) => n + counts[s], 0);
  return { total: results.length, counts, settled: moving === 0 };
}

/** `items` in chunks of `size` (updates go out a chunk at a time, so progress moves evenly). */
export function chunks(items, size) {
  const out = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The budget pause's reset time, when the bridge's message names one (ISO 8601), else null. */
export function resumesAt(message) {
  const match = /resumes at (\S+)$/.exec(message || '');
  return match ? match[1] : null;
}
