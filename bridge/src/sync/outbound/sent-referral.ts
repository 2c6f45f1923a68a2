/**
 * Storing what Partner Center holds after an outbound send: the referral as the new common base
 * of the three-way merge.
 */
import { applyPatchOperations, compareInstants } from '../../mapping';
import type { AuditEvent, JsonPatchOperation, Referral } from '../../schemas';
import type { StateStore } from '../../store';
import { linkOf } from '../referral-result';

/**
 * Stores the referral as the new common base, unless the inbound worker stored a newer state of
 * it meanwhile (a Microsoft change applied while this send was in flight): going back to the
 * older state would make that change look unapplied, or its later echo look new. That state may
 * have been read before our PATCH landed, so the operations a 204 answered (`sentOperations`) go
 * on top of it: without them the next read took our own values for Partner Center's change and
 * wrote them over a newer seller edit (bridge/test/sync/sent-base-race.test.ts).
 */
export async function saveSentReferral(
  store: StateStore,
  opportunityId: string,
  referral: Referral,
  eTag: string | null,
  audit?: AuditEvent,
  sentOperations?: readonly JsonPatchOperation[],
): Promise<void> {
  const stored = await store.getLink(opportunityId);
  if (
    stored?.referralId === referral.id &&
    compareInstants(stored.updatedDateTime, referral.updatedDateTime) > 0
  ) {
    if (stored.referral && sentOperations && sentOperations.length > 0) {
      // Its eTag may predate our PATCH: cleared, as after any 204 (docs/ARCHITECTURE.md).
      const merged = { ...applyPatchOperations(stored.referral, sentOperations), eTag: null };
      await store.saveLink(linkOf(opportunityId, merged, null), { syncLater: true, audit });
      return;
    }
    if (audit) await store.enqueueAudit(audit);
    return;
  }
  // Lazy commit (no disk sync of its own): the batch's settlement, a durable commit, always
  // follows. A power loss that takes this save takes the settlement too, and the job re-runs as
  // after a process crash just before this save: the create intent (saved durably before the
  // create was sent) makes it look the referral up instead of creating a second one.
  await store.saveLink(linkOf(opportunityId, referral, eTag), { syncLater: true, audit });
}
