/**
 * Step 1 of the engine: a batch of CDC events becomes durable outbound work. The enqueue and
 * the replay cursor move in ONE store transaction (transactional outbox); the subscriber takes
 * the next batch only after this resolves, so a crash anywhere replays from the last durable id
 * and the replayed duplicates coalesce into the same pending job.
 */
import type { Logger } from 'pino';
import type { ChangeEvent, JunctionParentResolver } from '../salesforce';
import { triageChangeEvents } from './cdc-triage';
import type { LeaseFence, OutboundRequest, StateStore } from '../store';
import { createSendWindow } from './send-window';

export interface ChangeIntakeDeps {
  store: Pick<StateStore, 'recordChangeEvents'>;
  /** Our connection's API client id: its changes are echoes of our own writes (R9). */
  clientName: string;
  /** Opportunity fields the admin's field mapping sends, as it stands now. */
  mappedTriggerFields?(): ReadonlySet<string>;
  resolveJunctionParents?: JunctionParentResolver;
  /**
   * The coalescing window (R1): the first change of a quiet opportunity is due at once, later
   * changes within the window ride on one trailing send (see send-window.ts).
   */
  coalesceWindowMs: number;
  now: () => Date;
  logger: Logger;
  /** Overflow or an unresolvable junction row: ids unknown, sweep instead. */
  requestReconciliation(reason: string): void;
  onRecorded?(channel: string, count: number, events: readonly ChangeEvent[]): void;
  /** The CDC lease's fence (replicas, subscription-lease.ts): the cursor moves only under it. */
  fence?(): LeaseFence;
}

export function createChangeIntake(deps: ChangeIntakeDeps) {
  const window = createSendWindow(deps.coalesceWindowMs);
  return async function recordChangeEvents(
    channel: string,
    events: readonly ChangeEvent[],
  ): Promise<void> {
    if (events.length === 0) return;
    const triage = triageChangeEvents(events, {
      clientName: deps.clientName,
      mappedTriggerFields: deps.mappedTriggerFields?.(),
    });
    const at = deps.now().getTime();
    const notBefore = (opportunityId: string) => new Date(window.dueAt(opportunityId, at));
    const items: OutboundRequest[] = triage.requests.map((r) => ({
      ...r,
      notBefore: notBefore(r.opportunityId),
    }));
    if (triage.junctionIdsToResolve.length > 0) {
      if (deps.resolveJunctionParents) {
        // Before the transaction: a failure here rejects the batch and the subscriber retries it.
        const parents = await deps.resolveJunctionParents(triage.junctionIdsToResolve);
        for (const opportunityId of new Set(parents.values())) {
          items.push({ opportunityId, reason: 'solutions', notBefore: notBefore(opportunityId) });
        }
      } else {
        deps.requestReconciliation('solution rows changed without a parent id');
      }
    }
    const lastReplayId = Math.max(...events.map((e) => e.replayId));
    await deps.store.recordChangeEvents(channel, lastReplayId, items, deps.fence?.());
    if (triage.needsReconciliation)
      deps.requestReconciliation('CDC overflow or gap without record ids');
    deps.logger.debug(
      {
        event: 'sync.cdc.recorded',
        channel,
        replayId: lastReplayId,
        enqueued: items.length,
        dropped: triage.dropped,
      },
      'change events recorded',
    );
    deps.onRecorded?.(channel, items.length, events);
  };
}
