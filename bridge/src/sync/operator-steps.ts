/**
 * What an operator asks of the engine through the CLI (R13, R14, R18): re-send, retry failures,
 * list failures, explain one record. Each only reads the store or queues work for the loops.
 */
import type { BridgeMetrics } from '../metrics';
import type { OpportunityReader } from '../salesforce';
import type { FailureRecord, JournalEntry, ReferralLink, StateStore } from '../store';

export type ResyncSelection = { opportunityId: string } | { all: true } | { since: string };

export interface Explanation {
  id: string;
  link: ReferralLink | null;
  queued: Awaited<ReturnType<StateStore['getOutbound']>> | null;
  failures: FailureRecord[];
  journal: JournalEntry[];
}

export function createOperatorSteps(deps: {
  store: StateStore;
  reader: Pick<OpportunityReader, 'listChangedSince'>;
  metrics?: BridgeMetrics;
  now: () => Date;
  /** New work is queued: wake the loops that take it. */
  wake: (queue: 'outbound' | 'inbound') => void;
}) {
  const { store, now } = deps;

  /** R13: push current Salesforce state again, without the "make a minor edit" workaround. */
  async function resync(
    selection: ResyncSelection,
    opts: { fresh?: boolean } = {},
  ): Promise<number> {
    let ids: string[];
    if ('opportunityId' in selection) ids = [selection.opportunityId];
    else {
      const rows = await deps.reader.listChangedSince(
        'all' in selection ? undefined : selection.since,
      );
      ids = rows.map((row) => row.id);
    }
    const fresh = opts.fresh ?? 'opportunityId' in selection;
    if (fresh) {
      // Forget the stored base so the worker re-reads the referral and diffs against the truth.
      for (const opportunityId of ids) {
        if (await store.getLink(opportunityId))
          await store.saveLink({ opportunityId, referral: null });
      }
    }
    const at = now();
    await store.enqueueOutbound(
      ids.map((opportunityId) => ({ opportunityId, reason: 'resync', notBefore: at })),
    );
    deps.metrics?.eventsReceived.inc({ source: 'operator', type: 'resync' }, ids.length);
    deps.wake('outbound');
    return ids.length;
  }

  /** R14: make failed items due now (one, several, or all). */
  async function retryFailures(selection: {
    ids?: readonly (number | string)[];
    all?: boolean;
  }): Promise<number> {
    const count = await store.retryFailures(selection, now());
    deps.wake('outbound');
    deps.wake('inbound');
    return count;
  }

  async function failures(): Promise<FailureRecord[]> {
    return store.listFailures();
  }

  /** R18: what happened to one opportunity or referral, and why. */
  async function explain(id: string): Promise<Explanation> {
    const link = (await store.getLink(id)) ?? (await store.getLinkByReferral(id)) ?? null;
    const opportunityId = link?.opportunityId ?? id;
    const keys = new Set([id, opportunityId, ...(link?.referralId ? [link.referralId] : [])]);
    const [queued, failureList, journal] = await Promise.all([
      store.getOutbound(opportunityId),
      store.listFailures(),
      store.journal(id),
    ]);
    return {
      id,
      link,
      queued: queued ?? null,
      failures: failureList.filter((f) => keys.has(f.key)),
      journal,
    };
  }

  return { resync, retryFailures, failures, explain };
}
