/**
 * Inbound (Partner Center → Salesforce). Webhooks only say "referral X changed", so the worker
 * reads the referral once (several deliveries for one referral share that read) and applies it
 * only when it is newer than what we already applied: duplicate and out-of-order deliveries are
 * harmless. The catch-up sweep hands over referrals it already listed, without a second read.
 */
import type { Logger } from 'pino';
import { PermanentError, PreconditionFailedError } from '../errors';
import type { BackoffPolicy } from '../retry';
import {
  compareInstants,
  decideInbound,
  inboundAppliedFields,
  isOpportunityId,
  isSyncBookkeepingField,
} from '../mapping';
import { ReferralSchema, type OpportunitySnapshot, type Referral } from '../schemas';
import { withWarnings } from './audit-message';
import { decideFailure, type FailureDecision } from './failure-policy';
import { linkOf } from './outbound-worker';
import type { ReferralsClient } from '../partner-center';
import type { InboundRecords, OpportunityReader, SalesforceWriter } from '../salesforce';
import type { AuditEvent } from '../schemas';
import type { InboxItem, StateStore } from '../store';
import type { SyncMapping } from './mapping-adapter';
import type { OutboundInFlight } from './outbound-in-flight';
import { CATCH_UP_EVENT } from './reconcile';
import { normaliseReferralResult } from './referral-result';
import { partnerCenterChanges } from './three-way-merge';
import { isOwnEcho } from './webhook-intake';
import { inboundOutcomeLine, writeOutcomeLine } from './outcome-log';

export interface InboundDeps {
  store: StateStore;
  reader: OpportunityReader;
  writer: SalesforceWriter;
  inbound: InboundRecords;
  referrals: ReferralsClient;
  mapping: SyncMapping;
  logger: Logger;
  now: () => Date;
  batchSize: number;
  maxPreconditionRetries: number;
  backoff: BackoffPolicy;
  /** The outbound worker's sends in progress: an echo of one is judged once it has settled. */
  outboundInFlight?: OutboundInFlight;
  onOutcome?: (outcome: InboundOutcome['kind']) => void;
}

export type InboundOutcome =
  | { kind: 'applied'; opportunityId: string; message: string; apiCalls: number }
  | { kind: 'created'; opportunityId: string; message: string; apiCalls: number }
  | { kind: 'stale'; apiCalls: number }
  | { kind: 'ignored'; opportunityId: string | null; message: string; apiCalls: number }
  | {
      kind: 'failed';
      decision: FailureDecision;
      opportunityId?: string | null;
      apiCalls: number;
    };

/**
 * How long an inbound delivery waits for an outbound send of the same opportunity to finish before
 * it is read anyway. Our PATCH's echo arrives within milliseconds of its response, so a healthy
 * send settles well inside this.
 */
const ECHO_SETTLE_WAIT_MS = 2_000;

export interface InboundBatchResult {
  claimed: number;
  referrals: number;
  applied: number;
  created: number;
  stale: number;
  ignored: number;
  failed: number;
}

export function createInboundWorker(deps: InboundDeps) {
  const { store, referrals, mapping, logger } = deps;

  /** Full-precision comparison: Partner Center times carry seven fractional digits. */
  function isNewer(referral: Referral, knownUpdatedDateTime: string | null | undefined): boolean {
    if (!knownUpdatedDateTime || !referral.updatedDateTime) return true;
    return compareInstants(referral.updatedDateTime, knownUpdatedDateTime) > 0;
  }

  /**
   * Writes the referral's fields to the opportunity. An opportunity in Error keeps its status and
   * message: the seller still has to fix what stops the outbound sync (and the package's rules
   * would refuse "Synced" on it), but Partner Center's news (e.g. Won) is applied regardless.
   */
  async function applyFields(snapshot: OpportunitySnapshot, fields: Record<string, unknown>) {
    if (Object.keys(fields).length === 0) return;
    const [result] = await deps.writer.writeBack([
      { id: snapshot.id, fields: inboundAppliedFields(snapshot, fields, deps.now()) },
    ]);
    if (result && !result.success) {
      throw (
        result.failure ??
        new PermanentError(
          `Salesforce refused the update of opportunity ${snapshot.id}: ${result.error ?? 'unknown error'}`,
          'salesforce',
        )
      );
    }
  }

  async function audit(record: Omit<AuditEvent, 'occurredAt' | 'direction'>) {
    await store.enqueueAudit({
      ...record,
      direction: 'Inbound',
      occurredAt: deps.now().toISOString(),
    });
  }

  /** Writes the referral's id back as its CRM id (R18); re-reads once per lost If-Match race. */
  async function writeCrmId(referral: Referral, eTag: string | null, opportunityId: string) {
    let calls = 0;
    let current = referral;
    let tag = eTag;
    for (let attempt = 0; ; attempt += 1) {
      try {
        calls += 1;
        const result = await referrals.patch(
          current.id,
          [{ op: 'replace', path: '/externalReferenceId', value: opportunityId }],
          tag ? { ifMatch: tag } : {},
        );
        const next = normaliseReferralResult(result);
        if (next) return { ...next, calls };
        // 204, as documented: our change is known, the new eTag is not (read when needed).
        deps.outboundInFlight?.expectEcho(current.id);
        return {
          referral: { ...current, externalReferenceId: opportunityId, eTag: null },
          eTag: null,
          calls,
        };
      } catch (error) {
        if (!(error instanceof PreconditionFailedError) || attempt >= deps.maxPreconditionRetries)
          throw error;
        calls += 1;
        const fresh = await referrals.get(current.id);
        deps.outboundInFlight?.forgetEchoes(current.id);
        current = fresh.referral;
        tag = fresh.eTag ?? fresh.referral.eTag ?? null;
        if (current.externalReferenceId === opportunityId)
          return { referral: current, eTag: tag, calls };
      }
    }
  }

  /** Apply one referral state; `readCalls` is what it cost to obtain it (0 from catch-up). */
  async function applyReferral(
    referral: Referral,
    eTag: string | null,
    readCalls: number,
    attempt = 1,
  ): Promise<InboundOutcome> {
    let calls = readCalls;
    let knownOpportunityId: string | null = null;
    try {
      const link = await store.getLinkByReferral(referral.id);
      knownOpportunityId = link?.opportunityId ?? null;
      if (link && !isNewer(referral, link.updatedDateTime))
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
          message: withWarnings(
            changed.length > 0
              ? `Applied referral ${referral.id}: ${changed.join(', ')}`
              : `Referral ${referral.id} checked: nothing to change`,
            planned.warnings,
          ),
          apiCalls: calls,
        };
      }

      // R18: a deal created in Partner Center (or by Microsoft) has no CRM id yet. The upsert by
      // referral id makes a repeat harmless; the link is stored before the CRM id is written
      // back, so a crash in between resumes here instead of creating anything twice.
      const emails = (referral.team ?? [])
        .map((member) => member.email?.trim())
        .filter((email): email is string => Boolean(email));
      const [users, currency] = await Promise.all([
        emails.length > 0 ? deps.inbound.findUsersByEmail(emails) : Promise.resolve([]),
        deps.inbound.orgCurrency(),
      ]);
      const records = mapping.newRecords(referral, { users, ...currency, now: deps.now() });
      const { opportunityId } = await deps.inbound.createOrLinkOpportunity(referral.id, records);
      knownOpportunityId = opportunityId;
      await store.saveLink({
        ...linkOf(opportunityId, referral, eTag),
        updatedDateTime: link?.updatedDateTime ?? null,
      });
      const written = await writeCrmId(referral, eTag, opportunityId);
      calls += written.calls;
      // Store the state after our own PATCH, so its referral-updated webhook is recognised as ours.
      await store.saveLink(linkOf(opportunityId, written.referral, written.eTag));
      const created = (await deps.reader.readOpportunities([opportunityId]))[0];
      const planned = created ? mapping.planInbound(written.referral, created) : null;
      if (created && planned) await applyFields(created, planned.updates);
      return {
        kind: 'created',
        opportunityId,
        message: withWarnings(
          `Opportunity ${opportunityId} created or linked for referral ${referral.id}; CRM ID written back to Partner Center`,
          [...records.warnings, ...(planned?.warnings ?? [])],
        ),
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

  async function recordOutcome(referralId: string, outcome: InboundOutcome) {
    deps.onOutcome?.(outcome.kind);
    writeOutcomeLine(logger, inboundOutcomeLine(referralId, outcome));
    switch (outcome.kind) {
      case 'applied':
      case 'created':
        await audit({
          opportunityId: outcome.opportunityId,
          outcome: 'Success',
          message: outcome.message,
          referralId,
          apiCalls: outcome.apiCalls,
        });
        break;
      case 'ignored':
        await audit({
          opportunityId: outcome.opportunityId,
          outcome: 'Ignored',
          message: outcome.message,
          referralId,
          apiCalls: outcome.apiCalls,
        });
        break;
      case 'failed':
        await audit({
          opportunityId: outcome.opportunityId ?? null,
          outcome: 'Error',
          message: outcome.decision.message,
          referralId,
          apiCalls: outcome.apiCalls,
        });
        break;
      case 'stale':
        break;
    }
  }

  /**
   * Catch-up items carry the referral as listed; when a group holds only those, the newest listed
   * state is used without another read. A webhook in the group means "changed since": read it.
   */
  function listedReferral(group: readonly InboxItem[]): Referral | null {
    let newest: Referral | null = null;
    for (const item of group) {
      if (item.eventName !== CATCH_UP_EVENT || !item.body) return null;
      let parsed: ReturnType<typeof ReferralSchema.safeParse>;
      try {
        parsed = ReferralSchema.safeParse(JSON.parse(item.body));
      } catch {
        return null;
      }
      if (!parsed.success) return null;
      if (
        newest === null ||
        compareInstants(parsed.data.updatedDateTime, newest.updatedDateTime) > 0
      ) {
        newest = parsed.data;
      }
    }
    return newest;
  }

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
    const unexplained = group.filter((item) => !isOwnEcho(item.resourceChangeUtc, link));
    if (unexplained.length > 0) {
      // Changes newer than the stored state: echoes of our 204 PATCHes (whose times we cannot
      // know), if that many are expected. A listed (catch-up) state is never taken as one.
      if (
        !link ||
        !deps.outboundInFlight ||
        unexplained.some((i) => i.eventName === CATCH_UP_EVENT)
      )
        return false;
      const times = unexplained.map((item) => item.resourceChangeUtc ?? '');
      if (!deps.outboundInFlight.takeEchoes(referralId, times)) return false;
    }
    const failures = await store.listFailures();
    return !failures.some((f) => f.direction === 'inbound' && f.key === referralId);
  }

  /**
   * Our own create fires referral-created, which can be claimed before the create's answer (the
   * new referral id) is stored: no link names the referral yet. Wait (bounded) for the creates in
   * flight, i.e. sends whose link is still only a create intent, then look again. Skipping the
   * read stays safe: it happens only if the stored state is at least as new as the change the
   * delivery reports (isOwnEcho); a referral that is not ours still has no link and is read, at
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

  /** Claims one batch of inbox items; one read per distinct referral. */
  async function processInbound(): Promise<InboundBatchResult> {
    const result: InboundBatchResult = {
      claimed: 0,
      referrals: 0,
      applied: 0,
      created: 0,
      stale: 0,
      ignored: 0,
      failed: 0,
    };
    const items = await store.claimInbox(deps.batchSize, deps.now());
    result.claimed = items.length;
    const byReferral = new Map<string, InboxItem[]>();
    for (const item of items)
      byReferral.set(item.referralId, [...(byReferral.get(item.referralId) ?? []), item]);
    for (const [referralId, group] of byReferral) {
      result.referrals += 1;
      let outcome: InboundOutcome;
      // Only a read made after the claim covers the referral's other waiting deliveries; a
      // listed state may predate them (the listing ran before they came) and an echo is no read.
      let readAfterClaim = false;
      const attempts = Math.max(...group.map((g) => g.attempts)) + 1;
      try {
        const listed = listedReferral(group);
        if (listed) {
          deps.outboundInFlight?.forgetEchoes(referralId);
          outcome = await applyReferral(listed, listed.eTag ?? null, 0, attempts);
        } else if (await onlyOwnEchoes(referralId, group, items.length >= deps.batchSize)) {
          logger.debug({ event: 'sync.webhook.echo', referralId }, 'echo of our own change');
          outcome = { kind: 'stale', apiCalls: 0 };
        } else {
          const { referral, eTag } = await referrals.get(referralId);
          readAfterClaim = true;
          // The state read covers our earlier changes: their echoes now compare by time.
          deps.outboundInFlight?.forgetEchoes(referralId);
          outcome = await applyReferral(referral, eTag ?? referral.eTag ?? null, 1, attempts);
        }
      } catch (error) {
        outcome = {
          kind: 'failed',
          decision: decideFailure(error, attempts, deps.now(), deps.backoff),
          apiCalls: 1,
        };
      }
      await recordOutcome(referralId, outcome);
      for (const item of group) {
        if (outcome.kind === 'failed') {
          const { decision } = outcome;
          await store.failInbox(item, {
            error: decision.message,
            permanent: decision.kind === 'permanent',
            retryAt: decision.kind === 'permanent' ? null : decision.retryAt,
          });
        } else {
          await store.completeInbox(item, deps.now(), { coversEarlier: readAfterClaim });
        }
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

  return { processInbound, applyReferral, recordOutcome };
}
