/**
 * R13 recovery sweeps. Salesforce: every sync-enabled opportunity whose SystemModstamp moved since
 * the watermark is enqueued (covers an expired replay window, gap overflows, a first start).
 * Partner Center: every referral updated since the watermark goes into the inbox (covers missed
 * webhooks). Watermarks advance only after the work is durably queued.
 */
import type { Logger } from 'pino';
import { compareInstants } from '../mapping';
import type { OpportunityReader, ReferralsApi, SyncStore } from './ports';
import { isoToMillis } from './webhook-intake';

export const SALESFORCE_WATERMARK = 'salesforce.systemModstamp';
export const PARTNER_CENTER_WATERMARK = 'partner-center.updatedDateTime';
export const CATCH_UP_EVENT = 'catch-up';

/**
 * SystemModstamp is stamped at commit start; a long transaction can commit after a later one
 * that the previous sweep already saw. Re-reading a minute of overlap costs a query, not calls.
 */
const SALESFORCE_OVERLAP_MS = 60_000;

export function createReconciler(deps: {
  store: Pick<SyncStore, 'getWatermark' | 'setWatermark' | 'enqueueOutbound'>;
  reader: Pick<OpportunityReader, 'listChangedSince'>;
  now: () => Date;
  logger: Logger;
}) {
  return async function reconcile(
    reason: string,
  ): Promise<{ enqueued: number; watermark: string | null }> {
    const stored = await deps.store.getWatermark(SALESFORCE_WATERMARK);
    const since = stored
      ? new Date(Math.max(0, isoToMillis(stored) - SALESFORCE_OVERLAP_MS)).toISOString()
      : undefined;
    const rows = await deps.reader.listChangedSince(since);
    const at = deps.now();
    if (rows.length > 0) {
      await deps.store.enqueueOutbound(
        rows.map((row) => ({ opportunityId: row.id, reason: 'reconcile', notBefore: at })),
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
        enqueued: rows.length,
        watermark: newest,
      },
      'reconciliation sweep done',
    );
    return { enqueued: rows.length, watermark: newest };
  };
}

export function createPartnerCenterCatchUp(deps: {
  store: Pick<SyncStore, 'getWatermark' | 'setWatermark' | 'recordWebhook' | 'getLinkByReferral'>;
  referrals: Pick<ReferralsApi, 'listUpdatedSince'>;
  now: () => Date;
  logger: Logger;
  /** How far back the very first catch-up looks (no watermark yet). */
  initialLookbackMs: number;
  pageSize: number;
}) {
  return async function catchUpPartnerCenter(): Promise<{
    listed: number;
    queued: number;
    watermark: string | null;
  }> {
    const stored = await deps.store.getWatermark(PARTNER_CENTER_WATERMARK);
    const since = stored ?? new Date(deps.now().getTime() - deps.initialLookbackMs).toISOString();
    let newest = stored ?? null;
    let listed = 0;
    let queued = 0;
    for await (const referral of deps.referrals.listUpdatedSince(since, {
      pageSize: deps.pageSize,
    })) {
      listed += 1;
      const link = await deps.store.getLinkByReferral(referral.id);
      const known = link?.updatedDateTime ?? null;
      if (!(known && compareInstants(referral.updatedDateTime, known) <= 0)) {
        // The listed referral rides along as the body, so the worker needs no second read.
        const isNew = await deps.store.recordWebhook({
          dedupeKey: `${CATCH_UP_EVENT}|${referral.id}|${referral.updatedDateTime ?? ''}`,
          eventName: CATCH_UP_EVENT,
          referralId: referral.id,
          resourceChangeUtc: referral.updatedDateTime ?? null,
          receivedAt: deps.now(),
          body: JSON.stringify(referral),
        });
        if (isNew) queued += 1;
      }
      if (
        referral.updatedDateTime &&
        (newest === null || compareInstants(referral.updatedDateTime, newest) > 0)
      ) {
        newest = referral.updatedDateTime;
        await deps.store.setWatermark(PARTNER_CENTER_WATERMARK, newest);
      }
    }
    deps.logger.info(
      { event: 'sync.catch_up', since, listed, queued, watermark: newest },
      'Partner Center catch-up done',
    );
    return { listed, queued, watermark: newest };
  };
}
