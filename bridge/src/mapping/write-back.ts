/**
 * Pure: the Opportunity fields the sync engine writes back after talking to Partner Center, and
 * whether the record already shows them (no write = no Salesforce call and no CDC event).
 */
import type { OpportunitySnapshot, Referral } from '../schemas';
import type { Problem } from './result';

/** Long text, but keep what we write short enough to read on the record page. */
const MESSAGE_LIMIT = 4_000;

export function truncateMessage(message: string): string {
  return message.length > MESSAGE_LIMIT ? `${message.slice(0, MESSAGE_LIMIT - 1)}…` : message;
}

/** One line per problem, the fix first: this is what the seller reads (R11, R16, R17). */
export function formatProblems(problems: readonly Problem[]): string {
  return truncateMessage(problems.map((p) => p.fix).join('\n'));
}

/** Fields after a successful sync; null when the opportunity already says exactly this. */
export function syncedFields(
  snapshot: OpportunitySnapshot,
  referral: Referral,
  link: string | null,
  now: Date,
  /** What the seller should know although it synced (cut text, a past Close Date). */
  notice: string | null = null,
): Record<string, unknown> | null {
  const wanted = {
    Partner_Center_Referral_Id__c: referral.id,
    Partner_Center_Engagement_Id__c: referral.engagementId ?? null,
    Partner_Center_Status__c: referral.status ?? null,
    Partner_Center_Substatus__c: referral.substatus ?? null,
    Partner_Center_Sync_Status__c: 'Synced',
  };
  const current = {
    Partner_Center_Referral_Id__c: snapshot.referralId,
    Partner_Center_Engagement_Id__c: snapshot.engagementId,
    Partner_Center_Status__c: snapshot.partnerCenterStatus,
    Partner_Center_Substatus__c: snapshot.partnerCenterSubstatus,
    Partner_Center_Sync_Status__c: snapshot.syncStatus,
  };
  const same = (Object.keys(wanted) as (keyof typeof wanted)[]).every(
    (key) => (wanted[key] ?? null) === (current[key] ?? null),
  );
  const answered = answeredFields(snapshot, referral);
  // The snapshot does not carry the current message, so a notice is always written.
  if (same && notice === null && answered === null) return null;
  return {
    ...wanted,
    ...answered,
    ...(link ? { Partner_Center_Referral_Link__c: link } : {}),
    Partner_Center_Sync_Message__c: notice === null ? null : truncateMessage(notice),
    Partner_Center_Last_Synced__c: now.toISOString(),
  };
}

/**
 * Once Partner Center no longer waits for an answer (accepted, declined, expired, …) a decision on
 * the opportunity has been applied or overtaken: clear it (the package's rule then locks it), and
 * drop the expires-soon flag. Null when there is nothing to clear.
 */
export function answeredFields(
  snapshot: Pick<OpportunitySnapshot, 'decision' | 'partnerCenterStatus'>,
  referral: Pick<Referral, 'status'>,
): Record<string, boolean | null> | null {
  if (referral.status === 'New') return null;
  const fields: Record<string, boolean | null> = {};
  if (snapshot.decision !== null) fields.Co_Sell_Decision__c = null;
  if (snapshot.partnerCenterStatus === 'New') fields.Partner_Center_Expires_Soon__c = false;
  return Object.keys(fields).length > 0 ? fields : null;
}

/**
 * Fields that report a problem. Written on every failed attempt that follows a data change: the
 * snapshot does not carry the old message, and the new one may name a different fix.
 */
export function problemFields(
  status: 'Error' | 'Pending' | 'Ignored',
  message: string,
): Record<string, unknown> {
  return {
    Partner_Center_Sync_Status__c: status,
    Partner_Center_Sync_Message__c: truncateMessage(message),
  };
}

/**
 * Fields written with an inbound change: Synced and the time, except on an opportunity in Error,
 * which keeps its status and message (the seller still has to fix what stops the outbound sync,
 * and the package's rules would refuse "Synced" on it) but gets Partner Center's news regardless.
 */
export function inboundAppliedFields(
  snapshot: Pick<OpportunitySnapshot, 'syncStatus'>,
  fields: Record<string, unknown>,
  now: Date,
): Record<string, unknown> {
  const status =
    snapshot.syncStatus === 'Error'
      ? {}
      : { Partner_Center_Sync_Status__c: 'Synced', Partner_Center_Sync_Message__c: null };
  return { ...fields, ...status, Partner_Center_Last_Synced__c: now.toISOString() };
}

/** The sync's own bookkeeping fields: written with every change, never news for the audit. */
export function isSyncBookkeepingField(field: string): boolean {
  return field.startsWith('Partner_Center_Sync') || field === 'Partner_Center_Last_Synced__c';
}
