import type { ReadinessCheck } from '../server';
import { describeDependency, type DependencyState, type SyncStatus } from '../sync';

/**
 * Salesforce keeps Change Data Capture events for 72 hours. A durable cursor older than that can
 * no longer be replayed, so the bridge is "not ready" until the reconciliation sweep has run and
 * the stream has moved the cursor again.
 */
export const CDC_RETENTION_SECONDS = 72 * 3600;

/**
 * Pure: the engine's status → the named checks of `GET /readyz`. Dependencies are "reachable"
 * when the engine runs (it signed in to Salesforce before starting) and the store answered.
 */
export function readinessChecks(
  status: SyncStatus,
  dependencies: readonly DependencyState[] = [],
): ReadinessCheck[] {
  const stale = status.replayCursors.filter((c) => c.ageSeconds > CDC_RETENTION_SECONDS);
  return [
    // Each dependency is "ok" until a call to it got no answer, and again once one
    // is answered: an outage shows here within one request timeout, not only in the logs.
    ...dependencies.map((d) => ({
      name: d.dependency,
      ok: d.state !== 'down',
      detail:
        d.state === 'down'
          ? `${describeDependency(d.dependency)} unreachable since ${d.since}: ${d.lastError}`
          : d.state === 'up'
            ? `${describeDependency(d.dependency)} answering`
            : `${describeDependency(d.dependency)} not used yet`,
    })),
    {
      name: 'sync-engine',
      ok: status.running,
      detail: status.running ? 'running' : 'not running',
    },
    { name: 'store', ok: true, detail: `${status.queues.outboundPending} outbound pending` },
    {
      name: 'replay-cursor',
      ok: stale.length === 0,
      detail:
        stale.length === 0
          ? status.replayCursors.length === 0
            ? 'no cursor yet (new events only; reconciliation covers the rest)'
            : 'within the 72 h retention window'
          : `older than 72 h on ${stale.map((c) => c.channel).join(', ')}: a reconciliation sweep is due`,
    },
    {
      name: 'partner-center-budget',
      // Paused is a reported state, not a fault: webhooks are still received and stored.
      ok: true,
      detail: status.paused ? status.paused.message : `${status.budget.left} calls left today`,
    },
  ];
}
