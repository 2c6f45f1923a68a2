/**
 * Reads the end-to-end tests share: an opportunity's sync fields and audit events through the
 * seller's jsforce connection, referrals through the Partner Center control API, and waiting for
 * the bridge to reach a state.
 */
import type { Connection } from 'jsforce';
import type { Json, PartnerCenterControl } from '../support';
import { waitForValue, type WaitOptions } from '../support';

/** Cross-process work on a 2-core machine shared with other suites: generous, never fixed. */
export const E2E_TIMEOUT_MS = 60_000;
export const SYNC_DEADLINE: WaitOptions = { timeoutMs: 30_000, intervalMs: 200 };

export interface SyncedOpportunity {
  Id: string;
  Name: string;
  Amount: number | null;
  StageName: string;
  CloseDate: string | null;
  OwnerId: string;
  AccountId: string | null;
  Description: string | null;
  Sync_with_Partner_Center__c: boolean;
  Partner_Center_Referral_Id__c: string | null;
  Partner_Center_Engagement_Id__c: string | null;
  Partner_Center_Status__c: string | null;
  Partner_Center_Substatus__c: string | null;
  Partner_Center_Sync_Status__c: string | null;
  Partner_Center_Sync_Message__c: string | null;
  Partner_Center_Last_Synced__c: string | null;
  Microsoft_CRM_Id__c: string | null;
  Referral_Currency__c: string | null;
}

const OPPORTUNITY_FIELDS = [
  'Id',
  'Name',
  'Amount',
  'StageName',
  'CloseDate',
  'OwnerId',
  'AccountId',
  'Description',
  'Sync_with_Partner_Center__c',
  'Partner_Center_Referral_Id__c',
  'Partner_Center_Engagement_Id__c',
  'Partner_Center_Status__c',
  'Partner_Center_Substatus__c',
  'Partner_Center_Sync_Status__c',
  'Partner_Center_Sync_Message__c',
  'Partner_Center_Last_Synced__c',
  'Microsoft_CRM_Id__c',
  'Referral_Currency__c',
].join(', ');

export async function readOpportunity(seller: Connection, id: string): Promise<SyncedOpportunity> {
  const result = await seller.query<SyncedOpportunity>(
    `SELECT ${OPPORTUNITY_FIELDS} FROM Opportunity WHERE Id = '${id}'`,
  );
  const record = result.records[0];
  if (!record) throw new Error(`opportunity ${id} not found`);
  return record;
}

export async function findOpportunities(
  seller: Connection,
  where: string,
): Promise<SyncedOpportunity[]> {
  const result = await seller.query<SyncedOpportunity>(
    `SELECT ${OPPORTUNITY_FIELDS} FROM Opportunity WHERE ${where}`,
  );
  return result.records;
}

/** Waits until the opportunity satisfies `accept`; the timeout message shows its last state. */
export function waitForOpportunity(
  seller: Connection,
  id: string,
  accept: (o: SyncedOpportunity) => boolean,
  description: string,
  options: WaitOptions = {},
): Promise<SyncedOpportunity> {
  return waitForValue(() => readOpportunity(seller, id), accept, {
    ...SYNC_DEADLINE,
    description,
    ...options,
  });
}

export interface SyncEvent {
  Id: string;
  Opportunity__c: string | null;
  Direction__c: string;
  Outcome__c: string;
  Message__c: string | null;
  Referral_Id__c: string | null;
  Api_Calls__c: number | null;
  Occurred_At__c: string | null;
}

/**
 * Audit records: an opportunity's sync events, or (`unlinked`) the admin-only events about no
 * opportunity, which have no Opportunity__c.
 */
export async function syncEvents(
  seller: Connection,
  where: string,
  object: 'Co_Sell_Sync_Event__c' | 'Co_Sell_Unlinked_Event__c' = 'Co_Sell_Sync_Event__c',
): Promise<SyncEvent[]> {
  const opportunity = object === 'Co_Sell_Sync_Event__c' ? 'Opportunity__c, ' : '';
  const result = await seller.query<SyncEvent>(
    `SELECT Id, ${opportunity}Direction__c, Outcome__c, Message__c, Referral_Id__c, Api_Calls__c, Occurred_At__c FROM ${object} WHERE ${where}`,
  );
  return result.records;
}

/** Referrals whose externalReferenceId is the opportunity id (what the bridge creates). */
export async function referralsFor(
  partnerCenter: PartnerCenterControl,
  opportunityId: string,
): Promise<Json[]> {
  return (await partnerCenter.referrals()).filter((r) => r.externalReferenceId === opportunityId);
}

export async function referralById(
  partnerCenter: PartnerCenterControl,
  id: string,
): Promise<Json | undefined> {
  return (await partnerCenter.referrals()).find((r) => r.id === id);
}

/** Partner Center Referrals API writes (create + update) since the last emulator reset. */
export async function referralWrites(partnerCenter: PartnerCenterControl): Promise<number> {
  return partnerCenter.countRequests(
    (key) =>
      (key.startsWith('POST ') || key.startsWith('PATCH ')) &&
      key.includes('/v1.0/engagements/referrals'),
  );
}

/** Every Referrals API request (reads included) since the last emulator reset. */
export async function referralCalls(partnerCenter: PartnerCenterControl): Promise<number> {
  return partnerCenter.countRequests((key) => key.includes('/v1.0/engagements/referrals'));
}

/**
 * A barrier through the whole outbound pipeline: a seller edit of `sentinelOpportunityId` (already
 * synced) that must reach Partner Center. CDC is delivered in order, so once the sentinel's new
 * amount is on its referral, every change event committed before the edit has been triaged.
 * This is how a test proves that something did NOT happen, without sleeping. Costs one PATCH.
 */
export async function outboundBarrier(
  stack: {
    salesforce: { control: { updateRecord(id: string, fields: Json): Promise<void> } };
    partnerCenter: { control: PartnerCenterControl };
  },
  sentinelOpportunityId: string,
): Promise<void> {
  const amount = 10_000 + Math.floor(Math.random() * 1_000_000);
  await stack.salesforce.control.updateRecord(sentinelOpportunityId, { Amount: amount });
  await waitForValue(
    () => referralsFor(stack.partnerCenter.control, sentinelOpportunityId),
    (refs) => refs.some((r) => (r.details as Json | undefined)?.dealValue === amount),
    { ...SYNC_DEADLINE, description: `the sentinel referral to carry deal value ${amount}` },
  );
}
