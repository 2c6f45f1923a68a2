/**
 * Judging a webhook against the right state: our PATCH's referral-updated (our create's
 * referral-created) can arrive before the outbound worker has stored what the PATCH (create)
 * returned, so the webhook intake and the inbound worker both wait here, bounded, for the sends
 * it may belong to, and then ask echo.ts, which owns the rules.
 */
import type { ReferralLink, StateStore } from '../store';
import { isOwnEcho, onlyEchoesOfOurWrites, type EchoExpectations } from './echo';
import type { OutboundInFlight } from './outbound-in-flight';

/**
 * How long a delivery waits for an outbound send of the same opportunity to finish before it is
 * recorded (intake) or read (inbound worker) anyway. Our PATCH's echo arrives within
 * milliseconds of its response, so a healthy send settles well inside this; a send held up by a
 * slow or failing Partner Center must not hold back a Microsoft change. At intake it also bounds
 * how long the webhook waits for its 2xx: Microsoft documents no timeout for the webhook call
 * (our emulator, like common webhook senders, gives up after 10 s), so this stays far below it.
 */
export const ECHO_SETTLE_WAIT_MS = 2_000;

export interface EchoSettleDeps {
  store: Pick<StateStore, 'getLink' | 'getLinkByReferral'>;
  /** The outbound worker's sends in progress; without it only the time rule applies. */
  outboundInFlight?: OutboundInFlight;
  /** The echoes expected for our 204 PATCHes (echo.ts). */
  echoes?: EchoExpectations;
  /** Defaults to ECHO_SETTLE_WAIT_MS. */
  settleWaitMs?: number;
}

/** One delivery as echo.ts judges it. */
export interface EchoCandidate {
  resourceChangeUtc: string | null;
  source: 'webhook' | 'catch-up';
}

export function createEchoSettle(deps: EchoSettleDeps) {
  const { store } = deps;
  const waitMs = deps.settleWaitMs ?? ECHO_SETTLE_WAIT_MS;

  /**
   * True when every delivery is the echo of our own write, judged by echo.ts against the link as
   * stored once the sends it may belong to have finished. False (record it, read it) when any
   * of them is not, or when such a send has not finished within the wait.
   */
  async function onlyOwnEchoes(
    referralId: string,
    deliveries: readonly EchoCandidate[],
  ): Promise<boolean> {
    if (deliveries.some((item) => !item.resourceChangeUtc)) return false;
    let link = await store.getLinkByReferral(referralId);
    // Proven by time already: a later save can only make the stored state newer.
    if (link && deliveries.every((item) => isOwnEcho(item.resourceChangeUtc, link))) return true;
    const inFlight = deps.outboundInFlight;
    if (!inFlight) return onlyEchoesOfOurWrites(referralId, deliveries, link, undefined);
    if (!link) {
      link = await linkAfterCreatesInFlight(referralId, inFlight);
    } else if (inFlight.sending(link.opportunityId)) {
      if (!(await inFlight.settled(link.opportunityId, waitMs))) return false;
      link = await store.getLinkByReferral(referralId);
    }
    return onlyEchoesOfOurWrites(referralId, deliveries, link, deps.echoes);
  }

  /**
   * Our own create fires referral-created before the create's answer (the new referral id) may
   * be stored: no link names the referral yet. Wait for the creates in flight, i.e. sends whose
   * link is still only a create intent, then look again. Skipping the read stays safe: it
   * happens only if the stored state is at least as new as the change the delivery reports
   * (echo.ts); a referral that is not ours still has no link and is recorded and read, at most
   * the wait later. A create committed before a crash cannot be told from a Microsoft-created
   * referral after the restart, so that one is still read (once).
   */
  async function linkAfterCreatesInFlight(
    referralId: string,
    inFlight: OutboundInFlight,
  ): Promise<ReferralLink | undefined> {
    const creating: string[] = [];
    for (const opportunityId of inFlight.active()) {
      if ((await store.getLink(opportunityId))?.referralId === null) creating.push(opportunityId);
    }
    const settled = await Promise.all(
      creating.map((opportunityId) => inFlight.settled(opportunityId, waitMs)),
    );
    if (!settled.every(Boolean)) return undefined;
    return store.getLinkByReferral(referralId);
  }

  return { onlyOwnEchoes };
}
