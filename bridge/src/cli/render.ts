/**
 * Pure text renderers for the CLI's human output. JSON output is the same data unrendered.
 */
import type { OpportunitySyncState } from '../salesforce';
import type { FailureRecord } from '../store';
import type { Explanation, SyncStatus } from '../sync';
import type { CheckResult } from './check-result';

const MARK: Record<CheckResult['state'], string> = {
  ok: '✓',
  failed: '✗',
  skipped: '–',
  info: 'i',
};

export function renderChecks(results: readonly CheckResult[]): string[] {
  const lines: string[] = [];
  for (const r of results) {
    const tag = r.requirement ? ` [${r.requirement}]` : '';
    lines.push(`${MARK[r.state]} ${r.title}${tag}: ${r.detail}`);
    if (r.state === 'failed' && r.fix) lines.push(`    fix: ${r.fix}`);
  }
  const failedCount = results.filter((r) => r.state === 'failed').length;
  lines.push('');
  lines.push(failedCount === 0 ? 'All checks passed.' : `${failedCount} check(s) failed.`);
  return lines;
}

/** What `cosell status` learns beside the store: whether a `cosell run` runs, and what it finds down. */
export interface SyncLiveness {
  running: boolean;
  /** The running bridge's detail for each dependency that does not answer. */
  down: readonly string[];
}

function syncLine(status: SyncStatus, liveness: SyncLiveness): string {
  if (status.paused) return `sync: PAUSED — ${status.paused.message}`;
  if (liveness.down.length > 0) return `sync: DEGRADED — ${liveness.down.join('; ')}`;
  // "bridge: not running" above "sync: active" contradicted itself: nothing syncs without one.
  if (!liveness.running)
    return 'sync: stopped — no `cosell run` is running; nothing is lost, it catches up when started';
  return 'sync: active';
}

export function renderStatus(
  environment: string,
  status: SyncStatus,
  liveness: SyncLiveness,
): string[] {
  const q = status.queues;
  const lines = [
    `environment: ${environment}`,
    syncLine(status, liveness),
    `partner center budget: ${status.budget.used}/${status.budget.budget} calls used on ${status.budget.day} (${status.budget.left} left, resets ${status.budget.resetsAt})`,
    `queues: ${q.outboundPending} outbound (${q.outboundDue} due), ${q.inboxPending} inbound, ${q.auditPending} audit events to write, ${q.newsPending} owner notifications to send`,
    `failures: ${status.failures.total} (${status.failures.permanent} waiting for a fix, ${status.failures.retrying} retrying)`,
  ];
  if (status.replayCursors.length === 0) lines.push('replay cursors: none yet');
  for (const c of status.replayCursors) {
    lines.push(`replay cursor ${c.channel}: #${c.replayId}, ${c.ageSeconds}s old`);
  }
  lines.push(
    `watermarks: Salesforce ${status.watermarks.salesforceSystemModstamp ?? '—'}, Partner Center ${status.watermarks.partnerCenterUpdated ?? '—'}`,
  );
  return lines;
}

export function renderFailures(failures: readonly FailureRecord[]): string[] {
  if (failures.length === 0) return ['No failures.'];
  const lines = [`${failures.length} failure(s), newest first:`];
  for (const f of failures) {
    const when = f.permanent
      ? 'waits for a data change or `cosell failures retry`'
      : `retries at ${f.nextAttemptAt ?? 'soon'}`;
    lines.push(
      `#${f.id} ${f.direction} ${f.key} (${f.attempts} attempt(s), ${f.reason}): ${f.error}`,
    );
    lines.push(`    ${when}; last ${f.updatedAt}`);
  }
  return lines;
}

/** The opportunity as Salesforce shows it now, or why it could not be read. */
export interface SalesforceSide {
  /** Null when no opportunity with that id exists (or it could not be read: see `error`). */
  state: OpportunitySyncState | null;
  error: string | null;
}

/** R10: the sync status and message the seller sees on the record, in one or two lines. */
function renderSalesforceSide(side: SalesforceSide): string[] {
  if (side.error) return [`  Salesforce now: could not read the opportunity (${side.error})`];
  const state = side.state;
  if (!state) return [];
  const lines = [
    `  Salesforce now: "${state.name}", Sync with Partner Center ${state.syncEnabled ? 'on' : 'off'}; sync status ${state.syncStatus ?? '—'}; last synced ${state.lastSynced ?? '—'}`,
  ];
  if (state.syncMessage) lines.push(`      ${state.syncMessage}`);
  return lines;
}

/** R18: a human timeline of what happened to one opportunity or referral, and why. */
export function renderExplanation(
  explanation: Explanation,
  salesforce: SalesforceSide = { state: null, error: null },
): string[] {
  const { link, queued, failures, journal } = explanation;
  const lines: string[] = [];
  if (link) {
    lines.push(
      `Opportunity ${link.opportunityId} ↔ referral ${link.referralId ?? '(create in progress)'}`,
    );
    lines.push(
      `  Partner Center status: ${link.status ?? '—'}${link.substatus ? ` / ${link.substatus}` : ''}; engagement ${link.engagementId ?? '—'}; last change ${link.updatedDateTime ?? '—'}`,
    );
  } else {
    lines.push(`${explanation.id}: not linked to a referral yet`);
  }
  lines.push(...renderSalesforceSide(salesforce));
  lines.push('');
  lines.push(
    journal.length === 0 ? 'Timeline: no sync attempts recorded.' : 'Timeline (oldest first):',
  );
  for (const entry of journal) {
    const calls = entry.apiCalls === 1 ? '1 call' : `${entry.apiCalls} calls`;
    const referral = entry.referralId ? ` referral ${entry.referralId}` : '';
    lines.push(`  ${entry.occurredAt}  ${entry.direction} ${entry.outcome}${referral} (${calls})`);
    lines.push(`      ${entry.message}`);
  }
  if (queued && queued.state !== 'done') {
    lines.push('');
    lines.push(
      `Queued: ${queued.direction} job #${queued.id} (${queued.reason}), ${queued.state}, not before ${queued.notBefore}${queued.lastError ? `; last error: ${queued.lastError}` : ''}`,
    );
  }
  if (failures.length > 0) {
    lines.push('');
    lines.push('Open failures:');
    for (const f of failures)
      lines.push(`  #${f.id} ${f.direction}: ${f.error}${f.permanent ? ' (waits for a fix)' : ''}`);
  }
  return lines;
}

/** Whether `explain` knows anything at all about the id. */
export function isKnown(explanation: Explanation): boolean {
  return (
    explanation.link !== null ||
    explanation.queued !== null ||
    explanation.failures.length > 0 ||
    explanation.journal.length > 0
  );
}
