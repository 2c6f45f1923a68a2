import { z } from 'zod';
import type { SalesforceConnection } from './connection';
import { assertRecordIds } from './opportunity-snapshot';
import { soqlString } from './soql';

/** What the seller sees on the opportunity right now (R10), for `cosell explain`. */
export interface OpportunitySyncState {
  opportunityId: string;
  name: string;
  syncEnabled: boolean;
  syncStatus: string | null;
  syncMessage: string | null;
  lastSynced: string | null;
  referralId: string | null;
}

const row = z.object({
  Id: z.string(),
  Name: z.string().nullish(),
  Sync_with_Partner_Center__c: z.boolean().nullish(),
  Partner_Center_Sync_Status__c: z.string().nullish(),
  Partner_Center_Sync_Message__c: z.string().nullish(),
  Partner_Center_Last_Synced__c: z.string().nullish(),
  Partner_Center_Referral_Id__c: z.string().nullish(),
});

/** One query through jsforce; null when no such opportunity exists (or the id is not one). */
export async function readOpportunitySyncState(
  salesforce: Pick<SalesforceConnection, 'run'>,
  opportunityId: string,
): Promise<OpportunitySyncState | null> {
  try {
    assertRecordIds([opportunityId]);
  } catch {
    return null;
  }
  const result = await salesforce.run('read sync state', async (conn) =>
    conn.query<Record<string, unknown>>(
      `SELECT Id, Name, Sync_with_Partner_Center__c, Partner_Center_Sync_Status__c, Partner_Center_Sync_Message__c, Partner_Center_Last_Synced__c, Partner_Center_Referral_Id__c FROM Opportunity WHERE Id = ${soqlString(opportunityId)} LIMIT 1`,
    ),
  );
  const first = result.records[0];
  if (!first) return null;
  const parsed = row.parse(first);
  return {
    opportunityId: parsed.Id,
    name: parsed.Name ?? '',
    syncEnabled: parsed.Sync_with_Partner_Center__c ?? false,
    syncStatus: parsed.Partner_Center_Sync_Status__c ?? null,
    syncMessage: parsed.Partner_Center_Sync_Message__c ?? null,
    lastSynced: parsed.Partner_Center_Last_Synced__c ?? null,
    referralId: parsed.Partner_Center_Referral_Id__c ?? null,
  };
}
