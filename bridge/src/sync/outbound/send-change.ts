/**
 * Outbound step 2: send what Salesforce changed since the state both sides last agreed on, as at
 * most one field-level PATCH. A lost If-Match race (412) is handled here and only here: re-read
 * the referral, bring Partner Center's own changes to Salesforce first (three-way merge), then
 * re-diff and send ours on top, up to `maxPreconditionRetries` times.
 */
import { applyPatchOperations, formatProblems, type Warning } from '../../mapping';
import { backoffDelayMs } from '../../retry';
import type { OpportunitySnapshot, Referral } from '../../schemas';
import { decideFailure, type FailureDecision } from '../failure-policy';
import { patchReferral } from '../patch-referral';
import { saveSentReferral } from './sent-referral';
import { partnerCenterChanges } from '../three-way-merge';
import type { OutboundDeps } from './deps';
import type { CallCounter } from './outcome';

export interface ChangeToSend {
  referralId: string;
  /** The referral as we last sent or saw it: the diff's base and the merge's common ancestor. */
  base: Referral;
  eTag: string | null;
  snapshot: OpportunitySnapshot;
  /** The job's attempt number (a failure's retry time grows with it). */
  attempt: number;
  /**
   * `base` and `eTag` are what the store holds already: with nothing to patch there is nothing
   * to store (a create stored its referral a moment ago; it was a second link write per deal).
   */
  baseStored?: boolean;
}

export type SendChangeResult =
  /** Partner Center holds Salesforce's state (sent now, or nothing to send); base stored. */
  | {
      kind: 'sent';
      base: Referral;
      snapshot: OpportunitySnapshot;
      /** Paths of the PATCH that was answered; empty when nothing was sent. */
      patchedPaths: string[];
      warnings: readonly Warning[];
    }
  /** The change cannot be sent as it is (e.g. an illegal status transition): explained. */
  | { kind: 'invalid'; message: string }
  /** The opportunity disappeared while Partner Center's change was merged into it. */
  | { kind: 'opportunity-gone' }
  | { kind: 'failed'; decision: FailureDecision };

type Deps = Pick<
  OutboundDeps,
  | 'store'
  | 'reader'
  | 'referrals'
  | 'mapping'
  | 'now'
  | 'backoff'
  | 'maxPreconditionRetries'
  | 'echoes'
  | 'applyPartnerCenterChange'
>;

export async function sendChange(
  deps: Deps,
  change: ChangeToSend,
  calls: CallCounter,
): Promise<SendChangeResult> {
  const { referralId } = change;
  let { base, eTag, snapshot } = change;
  // The state both sides last agreed on: what Salesforce changed since is ours to send, what
  // Partner Center changed since is theirs to keep.
  let lastSynced = base;
  let baseStored = change.baseStored ?? false;
  for (let attempt = 0; ; attempt += 1) {
    const plan = deps.mapping.planUpdate(base, snapshot);
    if (plan.problems.length > 0) {
      if (!baseStored) await saveSentReferral(deps.store, snapshot.id, base, eTag);
      return { kind: 'invalid', message: formatProblems(plan.problems) };
    }
    if (plan.operations.length === 0) {
      if (!baseStored) await saveSentReferral(deps.store, snapshot.id, base, eTag);
      return { kind: 'sent', base, snapshot, patchedPaths: [], warnings: [] };
    }
    // If-Match whenever the current eTag is known (after a create or any read); after our own
    // 204 it is not, and the field-level patch goes without (docs/ARCHITECTURE.md).
    const patched = await calls.track(
      patchReferral(deps.referrals, referralId, plan.operations, eTag),
    );
    if (patched.kind === 'patched') {
      if (patched.next) {
        ({ referral: base, eTag } = patched.next);
      } else {
        // 204 No Content, as Microsoft documents: the referral is the base with exactly our
        // operations applied; its new eTag and updatedDateTime are unknown until a read.
        base = { ...applyPatchOperations(base, plan.operations), eTag: null };
        eTag = null;
        deps.echoes?.expect(referralId);
      }
      // After a 204 the inbound side may have stored a state read before our PATCH landed.
      const sent = patched.next ? undefined : plan.operations;
      await saveSentReferral(deps.store, snapshot.id, base, eTag, undefined, sent);
      return {
        kind: 'sent',
        base,
        snapshot,
        patchedPaths: plan.operations.map((op) => op.path),
        warnings: plan.warnings,
      };
    }
    if (attempt >= deps.maxPreconditionRetries) {
      return {
        kind: 'failed',
        decision: decideFailure(patched.error, change.attempt, deps.now(), deps.backoff),
      };
    }
    // Someone (Microsoft, a seller in Partner Center) changed the referral since we last saw it.
    const merged = await mergeTheirChanges(deps, referralId, lastSynced, snapshot, calls, change);
    if (merged.kind !== 'merged') return merged;
    ({ base, eTag, snapshot, lastSynced } = merged);
    baseStored = false;
  }
}

/**
 * After a 412: re-read the referral. If they changed what Salesforce has not got yet, patching on
 * top of it now would either send Salesforce's stale values over theirs or store a base that
 * carries their change unapplied (their webhook would then look like our own echo, and the
 * change would never reach Salesforce). So theirs is applied to Salesforce first (three-way
 * merge, audited as an inbound sync) and the merged record read again; ours is re-diffed on top.
 */
async function mergeTheirChanges(
  deps: Deps,
  referralId: string,
  lastSynced: Referral,
  snapshot: OpportunitySnapshot,
  calls: CallCounter,
  change: ChangeToSend,
): Promise<
  | {
      kind: 'merged';
      base: Referral;
      eTag: string | null;
      snapshot: OpportunitySnapshot;
      lastSynced: Referral;
    }
  | { kind: 'opportunity-gone' }
  | { kind: 'failed'; decision: FailureDecision }
> {
  const fresh = await calls.track(deps.referrals.get(referralId));
  deps.echoes?.forget(referralId);
  const eTag = fresh.eTag ?? fresh.referral.eTag ?? null;
  const theirs = partnerCenterChanges(deps.mapping, fresh.referral, lastSynced, snapshot);
  if (Object.keys(theirs.fields).length === 0) {
    return { kind: 'merged', base: fresh.referral, eTag, snapshot, lastSynced };
  }
  const applied = await deps.applyPartnerCenterChange(fresh.referral, eTag);
  if (applied.kind === 'failed') {
    return { kind: 'failed', decision: afterFailedMerge(applied.decision, change, deps) };
  }
  const [merged] = await deps.reader.readOpportunities([snapshot.id]);
  if (!merged) return { kind: 'opportunity-gone' };
  return {
    kind: 'merged',
    base: fresh.referral,
    eTag,
    snapshot: merged,
    lastSynced: fresh.referral,
  };
}

/**
 * The outbound job's decision when Salesforce could not take Partner Center's change: a
 * permanent refusal parks the job, anything else retries it on the job's own backoff.
 */
export function afterFailedMerge(
  inbound: FailureDecision,
  change: Pick<ChangeToSend, 'attempt'>,
  deps: Pick<Deps, 'now' | 'backoff'>,
): FailureDecision {
  if (inbound.kind === 'permanent') return { kind: 'permanent', message: inbound.message };
  const now = deps.now();
  return {
    kind: 'retry',
    retryAt: new Date(now.getTime() + backoffDelayMs(change.attempt, deps.backoff)),
    message: inbound.message,
  };
}
