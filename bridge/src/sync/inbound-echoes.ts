/**
 * Inbound step "filter echoes": before the worker reads a referral, it asks whether every
 * delivery it claimed for it is only the echo of our own write (a PATCH, or our create's
 * referral-created). Intake already dropped the echoes it could recognise; these are the ones
 * that outran the outbound worker storing the state they name.
 */
import type { InboxItem, StateStore } from '../store';
import { onlyEchoesOfOurWrites, type EchoExpectations } from './echo';
import type { OutboundInFlight } from './outbound-in-flight';

/**
 * How long an inbound delivery waits for an outbound send of the same opportunity to finish before
 * it is read anyway. Our PATCH's echo arrives within milliseconds of its response, so a healthy
 * send settles well inside this.
 */
const ECHO_SETTLE_WAIT_MS = 2_000;

export function createInboundEchoFilter(deps: {
  store: Pick<StateStore, 'getLink' | 'getLinkByReferral' | 'listFailures'>;
  outboundInFlight?: OutboundInFlight;
  echoes?: EchoExpectations;
}) {
  const { store } = deps;

  /**
   * True when every delivery in the group is the echo of our own PATCH, judged against the link
   * as stored once any send for its opportunity has finished (the webhook may have arrived
   * before the outbound worker saved the PATCH's result, so intake could not tell).
   * An echo taken this way completes only its own delivery (no read: it covers nothing else);
   * still, the read is skipped only when the claim was not cut off by the batch size and no
   * earlier delivery for the referral is failing.
   */
  async function onlyOwnEchoes(
    referralId: string,
    group: readonly InboxItem[],
    batchWasFull: boolean,
  ): Promise<boolean> {
    if (batchWasFull || group.some((item) => !item.resourceChangeUtc)) return false;
    let link = await store.getLinkByReferral(referralId);
    if (!link) {
      link = await linkAfterCreatesInFlight(referralId);
    } else if (deps.outboundInFlight) {
      // A send that has not finished by now is stuck (timeouts, retries), not about to save the
      // state its echo names: read the referral rather than hold Microsoft's change behind it.
      if (!(await deps.outboundInFlight.settled(link.opportunityId, ECHO_SETTLE_WAIT_MS)))
        return false;
      link = await store.getLinkByReferral(referralId);
    }
    // The decision is echo.ts's; this step only waits for the state it is judged against.
    if (!onlyEchoesOfOurWrites(referralId, group, link, deps.outboundInFlight && deps.echoes))
      return false;
    const failures = await store.listFailures();
    return !failures.some((f) => f.direction === 'inbound' && f.key === referralId);
  }

  /**
   * Our own create fires referral-created, which can be claimed before the create's answer (the
   * new referral id) is stored: no link names the referral yet. Wait (bounded) for the creates in
   * flight, i.e. sends whose link is still only a create intent, then look again. Skipping the
   * read stays safe: it happens only if the stored state is at least as new as the change the
   * delivery reports (echo.ts); a referral that is not ours still has no link and is read, at
   * most ECHO_SETTLE_WAIT_MS later. A create committed before a crash cannot be told from a
   * Microsoft-created referral after the restart, so that one is still read (once).
   */
  async function linkAfterCreatesInFlight(referralId: string) {
    const inFlight = deps.outboundInFlight;
    if (!inFlight) return undefined;
    const creating: string[] = [];
    for (const opportunityId of inFlight.active()) {
      if ((await store.getLink(opportunityId))?.referralId === null) creating.push(opportunityId);
    }
    const settled = await Promise.all(
      creating.map((opportunityId) => inFlight.settled(opportunityId, ECHO_SETTLE_WAIT_MS)),
    );
    if (!settled.every(Boolean)) return undefined;
    return store.getLinkByReferral(referralId);
  }

  return { onlyOwnEchoes };
}
