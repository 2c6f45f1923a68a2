/**
 * Inbound (Partner Center → Salesforce). Webhooks only say "referral X changed", so the worker
 * reads the referral once (several deliveries for one referral share that read) and applies it
 * only when it is newer than what we already applied: duplicate and out-of-order deliveries are
 * harmless. The catch-up sweep hands over referrals it already listed, without a second read.
 *
 * A delivery's steps, each its own module: intake (webhook-intake.ts: verified webhook → inbox
 * row, deduplicated) → claim and group per referral (inbox-group.ts) → filter our own echoes
 * (inbound-echoes.ts) → read → apply the referral (apply-referral.ts, shared with the outbound
 * 412 path; create-from-referral.ts when it has no CRM id) → record and settle
 * (inbound-outcome.ts).
 */
import type { Logger } from 'pino';
import type { ReferralsClient } from '../partner-center';
import type { BackoffPolicy } from '../retry';
import type { InboxItem, StateStore } from '../store';
import type { ReferralApplier } from './apply-referral';
import { decideFailure } from './failure-policy';
import { createInboundEchoFilter } from './inbound-echoes';
import {
  emptyInboundBatchResult,
  inboxSettlementOf,
  type InboundBatchResult,
  type InboundOutcome,
} from './inbound-outcome';
import { groupByReferral, listedReferral } from './inbox-group';
import type { EchoExpectations } from './echo';
import type { OutboundInFlight } from './outbound-in-flight';

export type { InboundBatchResult, InboundOutcome } from './inbound-outcome';

export interface InboundDeps {
  store: StateStore;
  referrals: Pick<ReferralsClient, 'get'>;
  /** Applies a referral state to Salesforce (the step both directions share). */
  applier: ReferralApplier;
  logger: Logger;
  now: () => Date;
  batchSize: number;
  backoff: BackoffPolicy;
  /** The outbound worker's sends in progress: an echo of one is judged once it has settled. */
  outboundInFlight?: OutboundInFlight;
  /** The echoes expected for our 204 PATCHes; a read state makes them compare by time. */
  echoes?: EchoExpectations;
  /** How long a delivery waits for a send of its opportunity (echo-settle.ts). */
  settleWaitMs?: number;
}

export function createInboundWorker(deps: InboundDeps) {
  const { store, referrals, applier, logger } = deps;
  const echoes = createInboundEchoFilter(deps);

  /**
   * One referral's claimed deliveries → its outcome. Only a read made after the claim covers the
   * referral's other waiting deliveries; a listed state may predate them (the listing ran before
   * they came) and an echo is no read.
   */
  async function handleReferral(
    referralId: string,
    group: readonly InboxItem[],
    batchWasFull: boolean,
  ): Promise<{ outcome: InboundOutcome; readAfterClaim: boolean }> {
    const attempts = Math.max(...group.map((g) => g.attempts)) + 1;
    try {
      const listed = listedReferral(group);
      if (listed) {
        deps.echoes?.forget(referralId);
        const outcome = await applier.apply(listed, listed.eTag ?? null, 0, attempts);
        return { outcome, readAfterClaim: false };
      }
      if (await echoes.onlyOwnEchoes(referralId, group, batchWasFull)) {
        logger.debug({ event: 'sync.webhook.echo', referralId }, 'echo of our own change');
        return { outcome: { kind: 'stale', apiCalls: 0 }, readAfterClaim: false };
      }
      const { referral, eTag } = await referrals.get(referralId);
      // The state read covers our earlier changes: their echoes now compare by time.
      deps.echoes?.forget(referralId);
      const outcome = await applier.apply(referral, eTag ?? referral.eTag ?? null, 1, attempts);
      return { outcome, readAfterClaim: true };
    } catch (error) {
      const decision = decideFailure(error, attempts, deps.now(), deps.backoff);
      return { outcome: { kind: 'failed', decision, apiCalls: 1 }, readAfterClaim: false };
    }
  }

  /** Claims one batch of inbox items; one read per distinct referral. */
  async function processInbound(): Promise<InboundBatchResult> {
    const items = await store.claimInbox(deps.batchSize, deps.now());
    const result = emptyInboundBatchResult(items.length);
    for (const [referralId, group] of groupByReferral(items)) {
      result.referrals += 1;
      const { outcome, readAfterClaim } = await handleReferral(
        referralId,
        group,
        items.length >= deps.batchSize,
      );
      await applier.record(referralId, outcome);
      const settlement = inboxSettlementOf(outcome, readAfterClaim);
      for (const item of group) {
        if (settlement.kind === 'fail') await store.failInbox(item, settlement.failure);
        else
          await store.completeInbox(item, deps.now(), { coversEarlier: settlement.coversEarlier });
      }
      result[outcome.kind] += 1;
      if (outcome.kind === 'failed') {
        logger.warn(
          { event: 'sync.inbound.failed', referralId, err: outcome.decision.message },
          'inbound referral failed',
        );
      }
    }
    return result;
  }

  return { processInbound };
}
