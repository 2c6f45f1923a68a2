/**
 * One outbound job, start to end: the current opportunity, the checks that need no call (sync
 * off, deleted, invalid), then `ensureReferral` and `sendChange`; the answer is an outcome for
 * `settleBatch`. Never throws: a failure becomes a `failed` outcome with its retry decision.
 */
import { answerNote, formatProblems, syncedFields } from '../../mapping';
import type { OpportunitySnapshot } from '../../schemas';
import type { OutboundJob, ReferralLink } from '../../store';
import { withWarnings } from '../audit-message';
import { decideFailure } from '../failure-policy';
import type { OutboundDeps } from './deps';
import { ensureReferral } from './ensure-referral';
import { CallCounter, OPPORTUNITY_GONE, type OutboundOutcome } from './outcome';
import { sendChange } from './send-change';

/** What the batch knows about the job before its own step runs. */
export interface BatchContext {
  snapshot: OpportunitySnapshot | undefined;
  /** When the batch's query read the snapshot. */
  readAt: Date;
  /** `updatedAt` of the create intent the batch saved for this opportunity, if it saved one. */
  intentSavedAt: string | undefined;
}

/**
 * The inbound worker may have written this opportunity after the batch read (it saves the
 * link after applying a referral). Then the snapshot predates Partner Center's newer values
 * and sending it would undo them: read this one record again.
 */
async function currentSnapshot(
  deps: Pick<OutboundDeps, 'store' | 'reader' | 'dealLocks' | 'logger'>,
  job: OutboundJob,
  context: BatchContext,
): Promise<{ snapshot: OpportunitySnapshot | undefined; link: ReferralLink | undefined }> {
  // An apply between its Salesforce write and its base save would pair Partner Center's values
  // with the old base (deal-lock.ts): read once it is done, when the stored base is newer than
  // the batch's read. Only the reads hold the deal: a send stuck on Partner Center must not
  // hold Microsoft's change back (an apply during our PATCH is safe: our plan is already made).
  const read = () => snapshotAndLink(deps, job, context);
  if (!deps.dealLocks) return read();
  return deps.dealLocks.run(job.opportunityId, read, () =>
    deps.logger.debug(
      { event: 'sync.outbound.waits_for_apply', opportunityId: job.opportunityId },
      'waiting for the inbound apply of this opportunity before reading it',
    ),
  );
}

async function snapshotAndLink(
  deps: Pick<OutboundDeps, 'store' | 'reader'>,
  job: OutboundJob,
  context: BatchContext,
): Promise<{ snapshot: OpportunitySnapshot | undefined; link: ReferralLink | undefined }> {
  const { snapshot, readAt, intentSavedAt } = context;
  const link = await deps.store.getLink(job.opportunityId);
  // The batch's own create intent (saved after the read) is no newer Salesforce data.
  if (
    !snapshot ||
    !link ||
    Date.parse(link.updatedAt) < readAt.getTime() ||
    link.updatedAt === intentSavedAt
  )
    return { snapshot, link };
  const [again] = await deps.reader.readOpportunities([job.opportunityId]);
  return { snapshot: again, link };
}

export async function syncOpportunity(
  deps: OutboundDeps,
  job: OutboundJob,
  context: BatchContext,
): Promise<OutboundOutcome> {
  const attempt = job.attempts + 1;
  let snapshot: OpportunitySnapshot | undefined;
  let link: ReferralLink | undefined;
  try {
    ({ snapshot, link } = await currentSnapshot(deps, job, context));
  } catch (error) {
    const decision = decideFailure(error, attempt, deps.now(), deps.backoff);
    return { kind: 'failed', decision, referralId: null, apiCalls: 0 };
  }
  if (!snapshot) return { kind: 'skipped', message: OPPORTUNITY_GONE };
  // R12: only opportunities with "Sync with Partner Center" on are sent.
  if (!snapshot.syncEnabled) return { kind: 'skipped', message: null };
  const problems = deps.mapping.validateForSubmit(snapshot);
  if (problems.length > 0) {
    return {
      kind: 'invalid',
      message: formatProblems(problems),
      referralId: snapshot.referralId,
      apiCalls: 0,
    };
  }
  const calls = new CallCounter();
  let referralId = link?.referralId ?? snapshot.referralId;
  try {
    // Only while the link is still exactly the intent this batch saved.
    const intentSavedByBatch =
      context.intentSavedAt !== undefined && link?.updatedAt === context.intentSavedAt;
    const known = await ensureReferral(deps, snapshot, link, calls, intentSavedByBatch);
    referralId = known.referral.id;
    const sent = await sendChange(
      deps,
      {
        referralId,
        base: known.referral,
        eTag: known.eTag,
        snapshot,
        attempt,
        baseStored: known.stored,
      },
      calls,
    );
    switch (sent.kind) {
      case 'opportunity-gone':
        return { kind: 'skipped', message: OPPORTUNITY_GONE };
      case 'invalid':
        return { kind: 'invalid', message: sent.message, referralId, apiCalls: calls.unaudited };
      case 'failed':
        return { kind: 'failed', decision: sent.decision, referralId, apiCalls: calls.unaudited };
      case 'sent':
        break;
    }
    const { base } = sent;
    const notices = [...(known.linked?.warnings ?? []), ...sent.warnings];
    const fields = syncedFields(
      sent.snapshot,
      base,
      deps.mapping.referralLink(base),
      deps.now(),
      notices.length > 0 ? withWarnings('Synced.', notices) : null,
    );
    if (calls.count === 0) return { kind: 'unchanged', referralId, fields, apiCalls: 0 };
    if (calls.unaudited === 0 && known.linked) {
      return {
        kind: 'synced',
        message: known.linked.message,
        apiCalls: calls.count,
        referralId: base.id,
        fields,
        audited: true,
      };
    }
    if (sent.patchedPaths.length === 0 && link?.referralId === base.id) {
      // Its own referral read again (a one-id resync compares with Partner Center's copy, not
      // ours) and nothing to send: unchanged, at the cost of that read. It read "Linked existing
      // referral" and counted as synced, which told the operator something had been done.
      return { kind: 'unchanged', referralId: base.id, fields, apiCalls: calls.unaudited };
    }
    const updated =
      sent.patchedPaths.length > 0
        ? `Updated referral ${base.id}: ${sent.patchedPaths.join(', ')}`
        : `Linked existing referral ${base.id}`;
    // Issue 19: an accept/decline says so in the audit, not only as /status.
    const answer = answerNote(sent.snapshot, base);
    const message = answer ? `${answer}. ${updated}` : updated;
    return {
      kind: 'synced',
      message: withWarnings(message, sent.warnings),
      apiCalls: calls.unaudited,
      referralId: base.id,
      fields,
      audited: false,
    };
  } catch (error) {
    const decision = decideFailure(error, attempt, deps.now(), deps.backoff);
    return { kind: 'failed', decision, referralId: referralId ?? null, apiCalls: calls.unaudited };
  }
}
