/**
 * Inbound step "filter echoes": before the worker reads a referral, it asks whether every
 * delivery it claimed for it is only the echo of our own write (a PATCH, or our create's
 * referral-created). Intake already dropped the echoes it could recognise (webhook-intake.ts);
 * these are the ones it could not: their send did not settle within intake's wait, they were
 * redelivered, or they came from another replica's send.
 */
import type { InboxItem, StateStore } from '../store';
import { createEchoSettle, type EchoSettleDeps } from './echo-settle';

export function createInboundEchoFilter(
  deps: EchoSettleDeps & { store: Pick<StateStore, 'inboundFailing'> },
) {
  const settle = createEchoSettle(deps);

  /**
   * True when every delivery in the group is the echo of our own write, judged once any send it
   * may belong to has finished (echo-settle.ts). An echo taken this way completes only its own
   * delivery (no read: it covers nothing else); still, the read is skipped only when the claim
   * was not cut off by the batch size and no delivery for the referral is failing (one that
   * failed before is read again, never taken as an echo).
   */
  async function onlyOwnEchoes(
    referralId: string,
    group: readonly InboxItem[],
    batchWasFull: boolean,
  ): Promise<boolean> {
    if (batchWasFull) return false;
    if (!(await settle.onlyOwnEchoes(referralId, group))) return false;
    return !(await deps.store.inboundFailing(referralId));
  }

  return { onlyOwnEchoes };
}
