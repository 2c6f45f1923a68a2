/**
 * The one "apply a referral to Salesforce" step, shared by both directions: the inbound worker
 * applies the state a webhook or the catch-up brought, the outbound worker applies the state a
 * 412 re-read showed before it re-sends its own change on top. Same rules either way: older or
 * equal to what we applied is stale; `decideInbound` says ignore / update / create; an update
 * writes only what Partner Center changed (three-way merge against the stored referral); the
 * link is saved; the outcome is audited (R10).
 */
import { compareInstants, decideInbound, isSyncBookkeepingField } from '../mapping';
import type { BackoffPolicy } from '../retry';
import { isOpportunityId, type OpportunitySnapshot, type Referral } from '../schemas';
import { createApplyFields } from './apply-fields';
import { withWarnings } from './audit-message';
import { createFromReferral } from './create-from-referral';
import type { DealLocks } from './deal-lock';
import { decideFailure } from './failure-policy';
import { inboundAuditOf, type InboundOutcome } from './inbound-outcome';
import type { SyncEngineDeps } from './engine-options';
import type { EchoExpectations } from './echo';
import { inboundOutcomeLine, writeOutcomeLine } from './outcome-log';
import { linkOf } from './referral-result';
import { partnerCenterChanges } from './three-way-merge';

/** The opportunity field whose change is the owner's news (accepted, declined, won, lost). */
const SUBSTATUS_FIELD = 'Partner_Center_Substatus__c';

export type ReferralApplierDeps = Pick<
  SyncEngineDeps,
  'store' | 'reader' | 'writer' | 'inbound' | 'referrals' | 'mapping' | 'logger'
> & {
  now: () => Date;
  maxPreconditionRetries: number;
  backoff: BackoffPolicy;
  /** Where our CRM-id PATCH's echo is expected (echo.ts). */
  echoes?: EchoExpectations;
  /** Shared with the outbound worker: no send of the deal runs while it is applied. */
  dealLocks?: DealLocks;
  onOutcome?: (outcome: InboundOutcome['kind']) => void;
};

export interface ReferralApplier {
  /** Apply one referral state; `readCalls` is what it cost to obtain it (0 when listed). */
  apply(
    referral: Referral,
    eTag: string | null,
    readCalls: number,
    attempt?: number,
  ): Promise<InboundOutcome>;
  /** The outcome's metric, log line and audit event (none for stale). */
  record(referralId: string, outcome: InboundOutcome): Promise<void>;
}

/** Full-precision comparison: Partner Center times carry seven fractional digits. */
export function isNewerThanApplied(
  referral: Referral,
  knownUpdatedDateTime: string | null | undefined,
): boolean {
  if (!knownUpdatedDateTime || !referral.updatedDateTime) return true;
  return compareInstants(referral.updatedDateTime, knownUpdatedDateTime) > 0;
}

export function createReferralApplier(deps: ReferralApplierDeps): ReferralApplier {
  const { store, mapping } = deps;
  const applyFields = createApplyFields(deps);

  async function apply(
    referral: Referral,
    eTag: string | null,
    readCalls: number,
    attempt = 1,
  ): Promise<InboundOutcome> {
    // From its Salesforce write until its base is stored, no send of the deal may read it.
    const crmId = referral.externalReferenceId?.trim();
    const work = () => applyUnlocked(referral, eTag, readCalls, attempt);
    return deps.dealLocks && crmId && isOpportunityId(crmId)
      ? deps.dealLocks.run(crmId, work)
      : work();
  }

  async function applyUnlocked(
    referral: Referral,
    eTag: string | null,
    readCalls: number,
    attempt: number,
  ): Promise<InboundOutcome> {
    let calls = readCalls;
    let knownOpportunityId: string | null = null;
    try {
      const link = await store.getLinkByReferral(referral.id);
      knownOpportunityId = link?.opportunityId ?? null;
      if (link && !isNewerThanApplied(referral, link.updatedDateTime))
        return { kind: 'stale', apiCalls: calls };
      // Only an opportunity id is worth a read; mapping decides what the answer means.
      const crmId = referral.externalReferenceId?.trim() || null;
      const snapshot: OpportunitySnapshot | undefined =
        crmId && isOpportunityId(crmId)
          ? (await deps.reader.readOpportunities([crmId]))[0]
          : undefined;
      const decision = decideInbound(referral, snapshot?.id ?? null);
      if (decision.action === 'ignore') {
        // R12: a CRM id we do not know is someone else's record (another CRM, a deleted
        // opportunity): record why and stop, never loop on it.
        return { kind: 'ignored', opportunityId: null, message: decision.reason, apiCalls: calls };
      }

      if (decision.action === 'update' && snapshot) {
        if (!snapshot.syncEnabled) {
          await store.saveLink(linkOf(snapshot.id, referral, eTag));
          return {
            kind: 'ignored',
            opportunityId: snapshot.id,
            message: `Ignored referral ${referral.id}: "Sync with Partner Center" is off on opportunity ${snapshot.id}`,
            apiCalls: calls,
          };
        }
        knownOpportunityId = snapshot.id;
        const planned = partnerCenterChanges(mapping, referral, link?.referral, snapshot);
        const { fields } = planned;
        await applyFields(snapshot, fields);
        await store.saveLink(linkOf(snapshot.id, referral, eTag));
        const changed = Object.keys(fields).filter((f) => !isSyncBookkeepingField(f));
        return {
          kind: 'applied',
          opportunityId: snapshot.id,
          // A new substatus (accepted, declined, won, lost…) may be news for the owner; the
          // notifier reads the record to tell which.
          ...(changed.includes(SUBSTATUS_FIELD) ? { news: 'status' as const } : {}),
          message: withWarnings(
            changed.length > 0
              ? `Applied referral ${referral.id}: ${changed.join(', ')}`
              : `Referral ${referral.id} checked: nothing to change`,
            planned.warnings,
          ),
          apiCalls: calls,
        };
      }

      const created = await createFromReferral(
        { ...deps, applyFields },
        referral,
        eTag,
        link,
        (opportunityId) => (knownOpportunityId = opportunityId),
      );
      calls += created.calls;
      return {
        kind: 'created',
        opportunityId: created.opportunityId,
        // Created or linked for a referral: news when Microsoft waits for the owner's answer
        // (the notifier reads the record's status to tell).
        news: 'new-referral',
        message: created.message,
        apiCalls: calls,
      };
    } catch (error) {
      return {
        kind: 'failed',
        decision: decideFailure(error, attempt, deps.now(), deps.backoff),
        opportunityId: knownOpportunityId,
        apiCalls: calls,
      };
    }
  }

  async function record(referralId: string, outcome: InboundOutcome): Promise<void> {
    deps.onOutcome?.(outcome.kind);
    writeOutcomeLine(deps.logger, inboundOutcomeLine(referralId, outcome));
    const event = inboundAuditOf(referralId, outcome);
    if (event) {
      await store.enqueueAudit({
        ...event,
        direction: 'Inbound',
        occurredAt: deps.now().toISOString(),
      });
    }
  }

  return { apply, record };
}
