/**
 * R13 recovery sweeps. Salesforce: every sync-enabled opportunity whose SystemModstamp moved since
 * the watermark is enqueued (covers an expired replay window, gap overflows, a first start).
 * Partner Center: every referral updated since the watermark goes into the inbox (covers missed
 * webhooks). Watermarks advance only after the work is durably queued.
 */
import type { Logger } from 'pino';
import { compareInstants, syncedFields } from '../mapping';
import type { OpportunitySnapshot } from '../schemas';
import type { ReferralsClient } from '../partner-center';
import type { OpportunityReader } from '../salesforce';
import type { ReferralLink, StateStore } from '../store';
import type { SyncMapping } from './mapping-adapter';
import { isOwnListedState } from './echo';
import { linkOf } from './referral-result';
import { PARTNER_CENTER_WATERMARK, SALESFORCE_WATERMARK } from './watermarks';
import { isoToMillis } from './webhook-intake';

export { PARTNER_CENTER_WATERMARK, SALESFORCE_WATERMARK };
export const CATCH_UP_EVENT = 'catch-up';

/**
 * SystemModstamp is stamped at commit start; a long transaction can commit after a later one
 * that the previous sweep already saw. Re-reading a minute of overlap costs a query, not calls.
 */
const SALESFORCE_OVERLAP_MS = 60_000;

/** Opportunities read per query while sweeping (the SOQL IN-list batch of the reader). */
const SWEEP_READ_BATCH = 200;

/**
 * Pure: true when the outbound worker would find nothing to do for this opportunity: linked to
 * the referral we last sent or saw, valid, no field to patch against that referral, and the
 * write-back fields already in place. Anything else (no stored referral, a create intent, a
 * problem to report, a diff) is not in sync and goes to the worker, which decides as always.
 * The comparison is the worker's own (mapping.planUpdate, write-back.syncedFields), so a sweep
 * never skips what the worker would have sent.
 */
export function alreadyInSync(
  snapshot: OpportunitySnapshot,
  link: ReferralLink | undefined,
  mapping: Pick<SyncMapping, 'validateForSubmit' | 'planUpdate' | 'referralLink'>,
  now: Date,
): boolean {
  if (!snapshot.syncEnabled || !link?.referral || !link.referralId) return false;
  if (snapshot.referralId !== null && snapshot.referralId !== link.referralId) return false;
  if (mapping.validateForSubmit(snapshot).length > 0) return false;
  const plan = mapping.planUpdate(link.referral, snapshot);
  if (plan.operations.length > 0 || plan.problems.length > 0) return false;
  return syncedFields(snapshot, link.referral, mapping.referralLink(link.referral), now) === null;
}

export function createReconciler(deps: {
  store: Pick<StateStore, 'getWatermark' | 'setWatermark' | 'enqueueOutbound' | 'getLink'>;
  reader: Pick<OpportunityReader, 'listChangedSince' | 'readOpportunities'>;
  mapping: Pick<SyncMapping, 'validateForSubmit' | 'planUpdate' | 'referralLink'>;
  now: () => Date;
  logger: Logger;
}) {
  /**
   * The ids among `ids` that need the worker. Re-checking here (one SOQL per 200 ids, a local
   * link read each) instead of queueing every id keeps a restart after a busy day from working
   * through thousands of no-op jobs (each a claim, a lease and a completion on disk).
   */
  async function needingWork(ids: readonly string[]): Promise<string[]> {
    const needed: string[] = [];
    for (let start = 0; start < ids.length; start += SWEEP_READ_BATCH) {
      const chunk = ids.slice(start, start + SWEEP_READ_BATCH);
      const snapshots = new Map(
        (await deps.reader.readOpportunities(chunk)).map((snapshot) => [snapshot.id, snapshot]),
      );
      for (const id of chunk) {
        const snapshot = snapshots.get(id);
        // Gone since it was listed: the worker records that (it reads again and skips).
        if (!snapshot) {
          needed.push(id);
          continue;
        }
        if (!alreadyInSync(snapshot, await deps.store.getLink(id), deps.mapping, deps.now()))
          needed.push(id);
      }
    }
    return needed;
  }

  return async function reconcile(
    reason: string,
  ): Promise<{ enqueued: number; checked: number; watermark: string | null }> {
    const stored = await deps.store.getWatermark(SALESFORCE_WATERMARK);
    const since = stored
      ? new Date(Math.max(0, isoToMillis(stored) - SALESFORCE_OVERLAP_MS)).toISOString()
      : undefined;
    const rows = await deps.reader.listChangedSince(since);
    const ids = await needingWork(rows.map((row) => row.id));
    const at = deps.now();
    if (ids.length > 0) {
      await deps.store.enqueueOutbound(
        ids.map((opportunityId) => ({ opportunityId, reason: 'reconcile', notBefore: at })),
      );
    }
    let newest = stored ?? null;
    for (const row of rows) {
      if (newest === null || compareInstants(row.systemModstamp, newest) > 0)
        newest = row.systemModstamp;
    }
    if (newest !== null && newest !== stored)
      await deps.store.setWatermark(SALESFORCE_WATERMARK, newest);
    deps.logger.info(
      {
        event: 'sync.reconcile',
        reason,
        since: since ?? 'the beginning',
        checked: rows.length,
        enqueued: ids.length,
        watermark: newest,
      },
      'reconciliation sweep done',
    );
    return { enqueued: ids.length, checked: rows.length, watermark: newest };
  };
}

export function createPartnerCenterCatchUp(deps: {
  store: Pick<
    StateStore,
    | 'getWatermark'
    | 'setWatermark'
    | 'recordDelivery'
    | 'getLinkByReferral'
    | 'saveLink'
    | 'getOutbound'
  >;
  referrals: Pick<ReferralsClient, 'listUpdatedSince'>;
  now: () => Date;
  logger: Logger;
  /** How far back the very first catch-up looks (no watermark yet). */
  initialLookbackMs: number;
  /** Durable progress after this many listed referrals (the service chooses its page size). */
  saveEvery: number;
}) {
  return async function catchUpPartnerCenter(): Promise<{
    listed: number;
    queued: number;
    watermark: string | null;
  }> {
    const stored = await deps.store.getWatermark(PARTNER_CENTER_WATERMARK);
    const since = stored ?? new Date(deps.now().getTime() - deps.initialLookbackMs).toISOString();
    let newest = stored ?? null;
    let saved = stored ?? null;
    let listed = 0;
    let queued = 0;
    let learned = 0;
    const saveProgress = async () => {
      if (newest === null || newest === saved) return;
      await deps.store.setWatermark(PARTNER_CENTER_WATERMARK, newest);
      saved = newest;
    };
    for await (const referral of deps.referrals.listUpdatedSince(since)) {
      listed += 1;
      const link = await deps.store.getLinkByReferral(referral.id);
      const changed = !notNewerThan(link?.updatedDateTime ?? null, referral);
      if (
        changed &&
        link?.referral &&
        isOwnListedState(link.referral, referral) &&
        // Not while a send of this opportunity may be in flight: its own save comes next.
        !(await deps.store.getOutbound(link.opportunityId))
      ) {
        // Our own 204 PATCH, now with the time and eTag it got: stored as the base, not read.
        await deps.store.saveLink(linkOf(link.opportunityId, referral, referral.eTag ?? null), {
          syncLater: true,
        });
        learned += 1;
      } else if (changed) {
        // The listed referral rides along, so the worker needs no second read.
        const isNew = await deps.store.recordDelivery({
          source: 'catch-up',
          dedupeKey: `${CATCH_UP_EVENT}|${referral.id}|${referral.updatedDateTime ?? ''}`,
          referralId: referral.id,
          resourceChangeUtc: referral.updatedDateTime ?? null,
          receivedAt: deps.now(),
          referral,
        });
        if (isNew) queued += 1;
      }
      if (
        referral.updatedDateTime &&
        (newest === null || compareInstants(referral.updatedDateTime, newest) > 0)
      ) {
        newest = referral.updatedDateTime;
      }
      // Durable progress every `saveEvery` referrals, not per referral: every referral up to
      // here is queued (or known), so a crash re-lists at most that many. Per referral it was
      // one disk sync each, ~12 s for the 1,500 referrals a restart after a busy day lists.
      if (listed % deps.saveEvery === 0) await saveProgress();
    }
    await saveProgress();
    deps.logger.info(
      { event: 'sync.catch_up', since, listed, queued, learned, watermark: newest },
      'Partner Center catch-up done',
    );
    return { listed, queued, watermark: newest };
  };
}

/** The listed change is not newer than the state stored for it. */
function notNewerThan(
  known: string | null,
  referral: { updatedDateTime?: string | null },
): boolean {
  return Boolean(known && compareInstants(referral.updatedDateTime, known) <= 0);
}
