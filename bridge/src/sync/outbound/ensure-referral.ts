/**
 * Outbound step 1: make sure the opportunity's referral exists and know the state to diff against.
 * The create is idempotent across crashes: a create intent is stored durably before the POST, and
 * an attempt that finds one looks the referral up by externalReferenceId (= opportunity id) first.
 */
import {
  AccessDeniedError,
  AuthenticationError,
  BudgetExhaustedError,
  PermanentError,
  TransientError,
} from '../../errors';
import type { Warning } from '../../mapping';
import type { OpportunitySnapshot, Referral } from '../../schemas';
import type { ReferralLink, ReferralLinkUpdate } from '../../store';
import { withWarnings } from '../audit-message';
import { saveSentReferral } from './sent-referral';
import type { OutboundDeps } from './deps';
import type { CallCounter } from './outcome';

/** The link row of a referral that may or may not exist yet (create sent, outcome unknown). */
export function createIntent(opportunityId: string, at: Date): ReferralLinkUpdate {
  return { opportunityId, referralId: null, createIntentAt: at.toISOString() };
}

export function hasCreateIntent(link: Pick<ReferralLink, 'createIntentAt'> | undefined): boolean {
  return Boolean(link?.createIntentAt);
}

/**
 * Errors after which Partner Center certainly holds no new referral: refused before sending
 * (budget), or answered with a refusal. A timeout or 5xx is ambiguous and keeps the intent.
 */
export function provablyNotCreated(error: unknown): boolean {
  return (
    error instanceof BudgetExhaustedError ||
    error instanceof PermanentError ||
    error instanceof AccessDeniedError ||
    error instanceof AuthenticationError ||
    (error instanceof TransientError && error.retryAfterMs !== undefined)
  );
}

export interface KnownReferral {
  referral: Referral;
  eTag: string | null;
  /**
   * The store already holds exactly this referral and eTag as the opportunity's base (it was
   * stored, or this attempt stored it): a send with nothing to patch need not store it again.
   */
  stored: boolean;
  /** Set when this attempt created or linked the referral (already audited with its link). */
  linked?: { message: string; warnings: readonly Warning[] };
}

type Deps = Pick<OutboundDeps, 'store' | 'referrals' | 'mapping' | 'now'>;

/**
 * The referral to send the change to, and its base: the stored state when there is one, else one
 * read; an opportunity without a referral gets one created (or found, after a crash).
 * `intentSavedByBatch`: the link is exactly the intent this batch saved before any create.
 */
export async function ensureReferral(
  deps: Deps,
  snapshot: OpportunitySnapshot,
  link: ReferralLink | undefined,
  calls: CallCounter,
  intentSavedByBatch: boolean,
): Promise<KnownReferral> {
  const referralId = link?.referralId ?? snapshot.referralId;
  if (referralId && link?.referral && link.referralId === referralId) {
    return { referral: link.referral, eTag: link.eTag, stored: true };
  }
  if (referralId) {
    // Linked in Salesforce but nothing stored here (new store, resync): one read to diff against.
    const fresh = await calls.track(deps.referrals.get(referralId));
    return {
      referral: fresh.referral,
      eTag: fresh.eTag ?? fresh.referral.eTag ?? null,
      stored: false,
    };
  }
  const result = await createOrFind(deps, snapshot, link, calls, intentSavedByBatch);
  // Audited in the transaction that stores the link: a crash before the batch's audits (or the
  // write-back) cannot leave a created referral without its audit event (R10). What the create
  // changed or doubts (cut text, a past Close Date) goes into the audit and the seller's message,
  // as an update's warnings do.
  const message = withWarnings(
    result.created
      ? `Created referral ${result.referral.id}`
      : `Linked referral ${result.referral.id}, created by an earlier attempt`,
    result.warnings,
  );
  calls.markAudited();
  await saveSentReferral(deps.store, snapshot.id, result.referral, result.eTag, {
    opportunityId: snapshot.id,
    direction: 'Outbound',
    outcome: 'Success',
    message,
    referralId: result.referral.id,
    apiCalls: calls.audited,
    occurredAt: deps.now().toISOString(),
  });
  return {
    referral: result.referral,
    eTag: result.eTag,
    stored: true,
    linked: { message, warnings: result.warnings },
  };
}

/**
 * Idempotent create (crash safety): the intent is persisted before the call; when an intent is
 * found, an earlier attempt may have created the referral before crashing (or timing out), so
 * look it up by externalReferenceId (= opportunity id) first. A create that was provably never
 * carried out (refused before sending, or rejected by Partner Center) clears the intent, so the
 * retry does not pay for a lookup.
 */
async function createOrFind(
  deps: Deps,
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
  const { store, referrals } = deps;
  if (!intentSavedByBatch && link && link.referralId === null && hasCreateIntent(link)) {
    const found = await calls.track(referrals.findByExternalReferenceId(snapshot.id));
    if (found) return { referral: found, eTag: found.eTag ?? null, created: false, warnings: [] };
  }
  const { body, warnings } = deps.mapping.toReferralCreate(
    snapshot,
    deps.now().toISOString().slice(0, 10),
  );
  if (!intentSavedByBatch) {
    await store.saveLink(createIntent(snapshot.id, deps.now()));
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
      await store.saveLink({ opportunityId: snapshot.id, createIntentAt: null });
    }
    throw error;
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
export async function saveCreateIntents(
  deps: Pick<OutboundDeps, 'store' | 'mapping' | 'now'>,
  snapshots: readonly OpportunitySnapshot[],
): Promise<Map<string, string>> {
  const creates: ReferralLinkUpdate[] = [];
  for (const snapshot of snapshots) {
    if (!snapshot.syncEnabled || snapshot.referralId) continue;
    if (deps.mapping.validateForSubmit(snapshot).length > 0) continue;
    const link = await deps.store.getLink(snapshot.id);
    if (link?.referralId || hasCreateIntent(link)) continue;
    creates.push(createIntent(snapshot.id, deps.now()));
  }
  if (creates.length === 0) return new Map();
  const saved = await deps.store.saveLinks(creates);
  return new Map(saved.map((link) => [link.opportunityId, link.updatedAt]));
}
