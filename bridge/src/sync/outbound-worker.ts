/**
 * Outbound (Salesforce → Partner Center): claim due jobs, read their opportunities in one batched
 * query, send each change as at most one Partner Center call, then write every result back in
 * one composite call. A job completes only after its write-back, so a crash or a failed write
 * repeats the job, and the repeat costs no Partner Center call (the stored referral matches).
 */
import type { Logger } from 'pino';
import {
  AccessDeniedError,
  AuthenticationError,
  BudgetExhaustedError,
  PermanentError,
  PreconditionFailedError,
  TransientError,
  describeError,
} from '../errors';
import {
  applyPatchOperations,
  compareInstants,
  formatProblems,
  problemFields,
  syncedFields,
  type Warning,
} from '../mapping';
import { backoffDelayMs, type BackoffPolicy } from '../retry';
import type { AuditEvent, OpportunitySnapshot, Referral } from '../schemas';
import type { BudgetGuard } from './budget-guard';
import { withWarnings } from './audit-message';
import { decideFailure, type FailureDecision } from './failure-policy';
import { outboundOutcomeLine, writeOutcomeLine } from './outcome-log';
import type { ReferralsClient } from '../partner-center';
import type { FieldUpdate, OpportunityReader, SalesforceWriter } from '../salesforce';
import type {
  OutboundJob,
  OutboundSettlement,
  ReferralLink,
  ReferralLinkUpdate,
  StateStore,
} from '../store';
import type { SyncMapping } from './mapping-adapter';
import type { OutboundInFlight } from './outbound-in-flight';
import { linkOf, normaliseReferralResult } from './referral-result';
import { partnerCenterChanges } from './three-way-merge';

export interface OutboundDeps {
  store: StateStore;
  reader: OpportunityReader;
  writer: SalesforceWriter;
  referrals: ReferralsClient;
  mapping: SyncMapping;
  budget: BudgetGuard;
  logger: Logger;
  now: () => Date;
  batchSize: number;
  /** How often a lost If-Match race is re-read and retried within one attempt. */
  maxPreconditionRetries: number;
  backoff: BackoffPolicy;
  /**
   * Applies a referral state to Salesforce the way the inbound worker does (three-way merge,
   * link saved, audited); throws when it could not. Used when a 412 shows Partner Center changes
   * that Salesforce has not got yet, so they land before our change is re-sent on top of them.
   */
  applyPartnerCenterChange: (referral: Referral, eTag: string | null) => Promise<void>;
  /** Partner Center calls in flight at once within a batch (default 1). */
  concurrency?: number;
  /** Marks each send in progress, so the inbound worker can recognise its webhook echo (R1). */
  inFlight?: OutboundInFlight;
  onOutcome?: (outcome: OutboundOutcome['kind']) => void;
}

/** Runs `work` over `items` with at most `limit` in flight; results in input order. */
async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** What happened to one job; the worker turns it into store, write-back and audit actions. */
type OutboundOutcome =
  | {
      kind: 'synced';
      message: string;
      apiCalls: number;
      referralId: string;
      fields: Record<string, unknown> | null;
      /** Already audited with the link it stored (a create); the batch adds no second event. */
      audited: boolean;
    }
  | { kind: 'unchanged'; referralId: string; fields: Record<string, unknown> | null }
  | { kind: 'skipped'; message: string | null }
  | { kind: 'invalid'; message: string; referralId: string | null; apiCalls: number }
  | { kind: 'failed'; decision: FailureDecision; referralId: string | null; apiCalls: number };

export interface OutboundBatchResult {
  claimed: number;
  synced: number;
  unchanged: number;
  skipped: number;
  invalid: number;
  failed: number;
}

/** Counts calls made during one job, also when the job ends in an error. */
class CallCounter {
  count = 0;
  async track<T>(call: Promise<T>): Promise<T> {
    this.count += 1;
    return call;
  }
}

/** Marks a link row whose referral may or may not exist yet (create sent, outcome unknown). */
export const CREATE_INTENT = 'create-intent';

/**
 * Errors after which Partner Center certainly holds no new referral: refused before sending
 * (budget), or answered with a refusal. A timeout or 5xx is ambiguous and keeps the intent.
 */
function provablyNotCreated(error: unknown): boolean {
  return (
    error instanceof BudgetExhaustedError ||
    error instanceof PermanentError ||
    error instanceof AccessDeniedError ||
    error instanceof AuthenticationError ||
    (error instanceof TransientError && error.retryAfterMs !== undefined)
  );
}

export function createOutboundWorker(deps: OutboundDeps) {
  const { store, referrals, mapping, logger } = deps;

  /**
   * Stores the referral as the new common base, unless the inbound worker stored a newer state of
   * it meanwhile (a Microsoft change applied while this send was in flight): going back to the
   * older state would make that change look unapplied, or its later echo look new.
   */
  async function saveReferral(
    opportunityId: string,
    referral: Referral,
    eTag: string | null,
    audit?: AuditEvent,
  ) {
    const stored = await store.getLink(opportunityId);
    if (
      stored?.referralId === referral.id &&
      compareInstants(stored.updatedDateTime, referral.updatedDateTime) > 0
    ) {
      if (audit) await store.enqueueAudit(audit);
      return;
    }
    // Lazy commit (no disk sync of its own): the batch's settlement, a durable commit, always
    // follows. A power loss that takes this save takes the settlement too, and the job re-runs as
    // after a process crash just before this save: the create intent (saved durably before the
    // create was sent) makes it look the referral up instead of creating a second one.
    await store.saveLink(linkOf(opportunityId, referral, eTag), { syncLater: true, audit });
  }

  /**
   * Idempotent create (crash safety): the intent is persisted before the call; when an intent is
   * found, an earlier attempt may have created the referral before crashing (or timing out), so
   * look it up by externalReferenceId (= opportunity id) first. A create that was provably never
   * carried out (refused before sending, or rejected by Partner Center) clears the intent, so the
   * retry does not pay for a lookup.
   */
  async function createOrFind(
    snapshot: OpportunitySnapshot,
    link: ReferralLink | undefined,
    calls: CallCounter,
    intentSavedByBatch: boolean,
  ): Promise<{
    referral: Referral;
    eTag: string | null;
    created: boolean;
    warnings: readonly Warning[];
  }> {
    if (
      !intentSavedByBatch &&
      link &&
      link.referralId === null &&
      link.payloadHash === CREATE_INTENT
    ) {
      const found = await calls.track(referrals.findByExternalReferenceId(snapshot.id));
      if (found) return { referral: found, eTag: found.eTag ?? null, created: false, warnings: [] };
    }
    const { body, warnings } = mapping.toReferralCreate(
      snapshot,
      deps.now().toISOString().slice(0, 10),
    );
    if (!intentSavedByBatch) {
      await store.saveLink({
        opportunityId: snapshot.id,
        referralId: null,
        payloadHash: CREATE_INTENT,
      });
    }
    try {
      const created = await calls.track(referrals.create(body));
      return {
        referral: created.referral,
        eTag: created.eTag ?? created.referral.eTag ?? null,
        created: true,
        warnings,
      };
    } catch (error) {
      if (provablyNotCreated(error)) {
        await store.saveLink({ opportunityId: snapshot.id, payloadHash: null });
      }
      throw error;
    }
  }

  /**
   * The inbound worker may have written this opportunity after the batch read (it saves the
   * link after applying a referral). Then the snapshot predates Partner Center's newer values
   * and sending it would undo them: read this one record again.
   */
  async function freshSnapshot(
    job: OutboundJob,
    snapshot: OpportunitySnapshot | undefined,
    readAt: Date,
    intentSavedAt: string | undefined,
  ): Promise<{ snapshot: OpportunitySnapshot | undefined; link: ReferralLink | undefined }> {
    const link = await store.getLink(job.opportunityId);
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

  async function syncOne(
    job: OutboundJob,
    batchSnapshot: OpportunitySnapshot | undefined,
    readAt: Date,
    intentSavedAt: string | undefined,
  ): Promise<OutboundOutcome> {
    let snapshot: OpportunitySnapshot | undefined;
    let link: ReferralLink | undefined;
    try {
      ({ snapshot, link } = await freshSnapshot(job, batchSnapshot, readAt, intentSavedAt));
    } catch (error) {
      const decision = decideFailure(error, job.attempts + 1, deps.now(), deps.backoff);
      return { kind: 'failed', decision, referralId: null, apiCalls: 0 };
    }
    if (!snapshot)
      return { kind: 'skipped', message: 'Opportunity not found in Salesforce (deleted?)' };
    // R12: only opportunities with "Sync with Partner Center" on are sent.
    if (!snapshot.syncEnabled) return { kind: 'skipped', message: null };
    const problems = mapping.validateForSubmit(snapshot);
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
    // Calls already audited durably (with the link of a create) within this attempt.
    let auditedCalls = 0;
    let linkMessage = '';
    let createWarnings: readonly Warning[] = [];
    try {
      let base: Referral;
      let eTag: string | null;
      if (!referralId) {
        // Only while the link is still exactly the intent this batch saved.
        const intentSavedByBatch = intentSavedAt !== undefined && link?.updatedAt === intentSavedAt;
        const result = await createOrFind(snapshot, link, calls, intentSavedByBatch);
        base = result.referral;
        eTag = result.eTag;
        referralId = base.id;
        // Audited in the transaction that stores the link: a crash before the batch's audits
        // (or the write-back) cannot leave a created referral without its audit event (R10).
        // What the create changed or doubts (cut text, a past Close Date) goes into the audit
        // and the seller's message, as an update's warnings do.
        createWarnings = result.warnings;
        linkMessage = withWarnings(
          result.created
            ? `Created referral ${base.id}`
            : `Linked referral ${base.id}, created by an earlier attempt`,
          result.warnings,
        );
        auditedCalls = calls.count;
        await saveReferral(snapshot.id, base, eTag, {
          opportunityId: snapshot.id,
          direction: 'Outbound',
          outcome: 'Success',
          message: linkMessage,
          referralId: base.id,
          apiCalls: auditedCalls,
          occurredAt: deps.now().toISOString(),
        });
      } else if (link?.referral && link.referralId === referralId) {
        base = link.referral;
        eTag = link.eTag;
      } else {
        // Linked in Salesforce but nothing stored here (new store, resync): one read to diff against.
        const fresh = await calls.track(referrals.get(referralId));
        base = fresh.referral;
        eTag = fresh.eTag ?? fresh.referral.eTag ?? null;
      }
      // The state both sides last agreed on: what Salesforce changed since is ours to send, what
      // Partner Center changed since is theirs to keep.
      let lastSynced = base;
      let patchedPaths: string[] = [];
      let warnings: readonly Warning[] = [];
      for (let attempt = 0; ; attempt += 1) {
        const plan = mapping.planUpdate(base, snapshot);
        if (plan.problems.length > 0) {
          await saveReferral(snapshot.id, base, eTag);
          return {
            kind: 'invalid',
            message: formatProblems(plan.problems),
            referralId,
            apiCalls: calls.count - auditedCalls,
          };
        }
        if (plan.operations.length === 0) break;
        try {
          // If-Match whenever the current eTag is known (after a create or any read); after our
          // own 204 it is not, and the field-level patch goes without (docs/ARCHITECTURE.md).
          const result = await calls.track(
            referrals.patch(referralId, plan.operations, eTag ? { ifMatch: eTag } : {}),
          );
          const next = normaliseReferralResult(result);
          patchedPaths = plan.operations.map((op) => op.path);
          warnings = plan.warnings;
          if (next) {
            base = next.referral;
            eTag = next.eTag;
          } else {
            // 204 No Content, as Microsoft documents: the referral is the base with exactly our
            // operations applied; its new eTag and updatedDateTime are unknown until a read.
            base = { ...applyPatchOperations(base, plan.operations), eTag: null };
            eTag = null;
            deps.inFlight?.expectEcho(referralId);
          }
          break;
        } catch (error) {
          if (!(error instanceof PreconditionFailedError) || attempt >= deps.maxPreconditionRetries)
            throw error;
          // Someone (Microsoft, a seller in Partner Center) changed the referral since we last
          // saw it: re-read it.
          const fresh = await calls.track(referrals.get(referralId));
          deps.inFlight?.forgetEchoes(referralId);
          const freshETag = fresh.eTag ?? fresh.referral.eTag ?? null;
          const theirs = partnerCenterChanges(mapping, fresh.referral, lastSynced, snapshot);
          if (Object.keys(theirs.fields).length > 0) {
            // They changed what Salesforce has not got yet. Patching on top of it now would
            // either send Salesforce's stale values over theirs or store a base that carries
            // their change unapplied (their webhook would then look like our own echo, and the
            // change would never reach Salesforce). Apply theirs to Salesforce first (three-way
            // merge, audited as an inbound sync), read the merged record, then send ours on top.
            await deps.applyPartnerCenterChange(fresh.referral, freshETag);
            const [merged] = await deps.reader.readOpportunities([snapshot.id]);
            if (!merged)
              return { kind: 'skipped', message: 'Opportunity not found in Salesforce (deleted?)' };
            snapshot = merged;
            lastSynced = fresh.referral;
          }
          base = fresh.referral;
          eTag = freshETag;
        }
      }
      await saveReferral(snapshot.id, base, eTag);
      const notices = [...createWarnings, ...warnings];
      const fields = syncedFields(
        snapshot,
        base,
        mapping.referralLink(base),
        deps.now(),
        notices.length > 0 ? withWarnings('Synced.', notices) : null,
      );
      if (calls.count === 0) return { kind: 'unchanged', referralId, fields };
      if (calls.count === auditedCalls) {
        return {
          kind: 'synced',
          message: linkMessage,
          apiCalls: calls.count,
          referralId: base.id,
          fields,
          audited: true,
        };
      }
      const message =
        patchedPaths.length > 0
          ? `Updated referral ${base.id}: ${patchedPaths.join(', ')}`
          : `Linked existing referral ${base.id}`;
      return {
        kind: 'synced',
        message: withWarnings(message, warnings),
        apiCalls: calls.count - auditedCalls,
        referralId: base.id,
        fields,
        audited: false,
      };
    } catch (error) {
      const decision = decideFailure(error, job.attempts + 1, deps.now(), deps.backoff);
      return {
        kind: 'failed',
        decision,
        referralId: referralId ?? null,
        apiCalls: calls.count - auditedCalls,
      };
    }
  }

  /**
   * Group commit of the batch's create intents: one durable transaction before any create is
   * sent, instead of one disk sync per create. Only for opportunities that will be created
   * (sync on, valid, linked nowhere) and carry no intent of an earlier attempt (that one makes
   * `createOrFind` look the referral up first, so it must stay recognisable). An intent left by
   * a job that then creates nothing (it failed before sending) costs its next attempt one lookup.
   * Returns each saved intent's `updatedAt`, by which the job recognises it as its own.
   */
  async function saveCreateIntents(
    snapshots: readonly OpportunitySnapshot[],
  ): Promise<Map<string, string>> {
    const creates: ReferralLinkUpdate[] = [];
    for (const snapshot of snapshots) {
      if (!snapshot.syncEnabled || snapshot.referralId) continue;
      if (mapping.validateForSubmit(snapshot).length > 0) continue;
      const link = await store.getLink(snapshot.id);
      if (link?.referralId || link?.payloadHash === CREATE_INTENT) continue;
      creates.push({ opportunityId: snapshot.id, referralId: null, payloadHash: CREATE_INTENT });
    }
    if (creates.length === 0) return new Map();
    const saved = await store.saveLinks(creates);
    return new Map(saved.map((link) => [link.opportunityId, link.updatedAt]));
  }

  async function failAll(jobs: readonly OutboundJob[], error: unknown) {
    await store.settleOutbound(
      jobs.map((job) => {
        const decision = decideFailure(error, job.attempts + 1, deps.now(), deps.backoff);
        return {
          job,
          failure: {
            error: decision.message,
            permanent: decision.kind === 'permanent',
            retryAt: decision.kind === 'permanent' ? null : decision.retryAt,
          },
        };
      }),
    );
  }

  /** Claims one batch of due jobs and processes it. Returns what happened (0 claimed = idle). */
  async function processOutbound(): Promise<OutboundBatchResult> {
    const result: OutboundBatchResult = {
      claimed: 0,
      synced: 0,
      unchanged: 0,
      skipped: 0,
      invalid: 0,
      failed: 0,
    };
    const jobs = await store.claimOutbound(deps.batchSize, deps.now());
    result.claimed = jobs.length;
    if (jobs.length === 0) return result;

    let snapshots: OpportunitySnapshot[];
    const readAt = deps.now();
    try {
      snapshots = await deps.reader.readOpportunities([
        ...new Set(jobs.map((j) => j.opportunityId)),
      ]);
    } catch (error) {
      logger.warn(
        { event: 'sync.outbound.read_failed', err: describeError(error) },
        'could not read opportunities',
      );
      await failAll(jobs, error);
      result.failed = jobs.length;
      return result;
    }
    const byId = new Map(snapshots.map((s) => [s.id, s]));
    let intents: Map<string, string>;
    try {
      intents = await saveCreateIntents(snapshots);
    } catch (error) {
      // Nothing was sent: the whole batch waits and retries like a failed read.
      await failAll(jobs, error);
      result.failed = jobs.length;
      return result;
    }

    const writeBacks: FieldUpdate[] = [];
    const settle: { job: OutboundJob; outcome: OutboundOutcome }[] = [];
    const audits: AuditEvent[] = [];
    const at = () => deps.now().toISOString();

    // Different opportunities are independent: a few Partner Center calls in flight at once keep
    // a large batch from queueing behind one slow response. Results stay in claim order.
    const outcomes = await mapWithConcurrency(jobs, deps.concurrency ?? 1, (job) => {
      const send = () =>
        syncOne(job, byId.get(job.opportunityId), readAt, intents.get(job.opportunityId));
      return deps.inFlight ? deps.inFlight.run(job.opportunityId, send) : send();
    });
    jobs.forEach((job, index) => {
      const snapshot = byId.get(job.opportunityId);
      const outcome = outcomes[index]!;
      settle.push({ job, outcome });
      deps.onOutcome?.(outcome.kind);
      writeOutcomeLine(logger, outboundOutcomeLine(job.opportunityId, outcome));
      const base = {
        opportunityId: snapshot ? job.opportunityId : null,
        direction: 'Outbound' as const,
        occurredAt: at(),
      };
      switch (outcome.kind) {
        case 'synced':
          if (outcome.fields) writeBacks.push({ id: job.opportunityId, fields: outcome.fields });
          if (outcome.audited) break;
          audits.push({
            ...base,
            outcome: 'Success',
            message: outcome.message,
            referralId: outcome.referralId,
            apiCalls: outcome.apiCalls,
          });
          break;
        case 'unchanged':
          if (outcome.fields) writeBacks.push({ id: job.opportunityId, fields: outcome.fields });
          // A sweep re-checks records whose SystemModstamp moved (often our own write-back):
          // finding nothing to do there is not an attempt worth a Co_Sell_Sync_Event__c row.
          if (job.reason === 'reconcile' && !outcome.fields) break;
          audits.push({
            ...base,
            outcome: 'Skipped',
            message: 'Nothing to send: Partner Center already has this state',
            referralId: outcome.referralId,
            apiCalls: 0,
          });
          break;
        case 'skipped':
          if (outcome.message) {
            audits.push({
              ...base,
              outcome: 'Skipped',
              message: outcome.message,
              referralId: null,
              apiCalls: 0,
            });
          }
          break;
        case 'invalid':
          writeBacks.push({
            id: job.opportunityId,
            fields: problemFields('Error', outcome.message),
          });
          audits.push({
            ...base,
            outcome: 'Error',
            message: outcome.message,
            referralId: outcome.referralId,
            apiCalls: outcome.apiCalls,
          });
          break;
        case 'failed': {
          const { decision } = outcome;
          // Sellers see a pause or a fix they must make; short transient blips stay in the log.
          // Access and sign-in problems (R2, R7) show as Error at once: someone must act.
          const needsOperator = decision.kind === 'retry' && decision.needsOperator === true;
          if (decision.kind !== 'retry' || needsOperator || job.attempts + 1 >= 3) {
            const status = decision.kind === 'permanent' || needsOperator ? 'Error' : 'Pending';
            writeBacks.push({
              id: job.opportunityId,
              fields: problemFields(status, decision.message),
            });
          }
          audits.push({
            ...base,
            outcome: 'Error',
            message: decision.message,
            referralId: outcome.referralId,
            apiCalls: outcome.apiCalls,
          });
          break;
        }
      }
    });

    // Audit first: it is only local and durable, so even a failed write-back leaves a trace (R10).
    // One transaction (one disk sync) for the whole batch, not one per job.
    if (audits.length > 0) await deps.store.enqueueAudits(audits);

    const writeFailures = new Map<string, string>();
    if (writeBacks.length > 0) {
      try {
        const results = await deps.writer.writeBack(writeBacks);
        for (const r of results)
          if (!r.success) writeFailures.set(r.id, r.error ?? 'write-back failed');
      } catch (error) {
        for (const w of writeBacks) writeFailures.set(w.id, describeError(error));
        logger.warn(
          { event: 'sync.outbound.write_back_failed', err: describeError(error) },
          'write-back failed',
        );
      }
    }

    // Every job of the batch is settled in one store transaction: one disk sync per batch
    // instead of one per job. Still after the write-back, so a crash before this commit runs the
    // whole batch again, and the repeat costs no Partner Center call (the stored referral matches).
    const settlements: OutboundSettlement[] = settle.map(({ job, outcome }) => {
      const writeError = writeFailures.get(job.opportunityId);
      if (outcome.kind === 'failed') {
        const { decision } = outcome;
        result.failed += 1;
        return {
          job,
          failure: {
            error: decision.message,
            permanent: decision.kind === 'permanent',
            retryAt: decision.kind === 'permanent' ? null : decision.retryAt,
          },
        };
      }
      if (outcome.kind === 'invalid') {
        // Waits for a data change (which re-enqueues) or an operator (R14).
        result.invalid += 1;
        return { job, failure: { error: outcome.message, permanent: true, retryAt: null } };
      }
      if (writeError && outcome.kind !== 'skipped') {
        // Partner Center has the change and the store knows it: the retry only writes back.
        result.failed += 1;
        return {
          job,
          failure: {
            error: `Salesforce write-back failed: ${writeError}`,
            permanent: false,
            retryAt: new Date(
              deps.now().getTime() + backoffDelayMs(job.attempts + 1, deps.backoff),
            ),
          },
        };
      }
      result[outcome.kind] += 1;
      return { job };
    });
    await store.settleOutbound(settlements);
    logger.debug({ event: 'sync.outbound.batch', ...result }, 'outbound batch done');
    return result;
  }

  return { processOutbound };
}
