/**
 * Which opportunity a Co_Sell_Solution__c row belongs to, for change events that did not carry
 * `Opportunity__c` (an UPDATE body holds only changed fields). One query per 200 rows.
 */
import { z } from 'zod';
import type { SalesforceConnection } from './connection';
import { soqlString } from './soql';

/** Resolves solution junction rows to their opportunity (events that did not carry it). */
export type JunctionParentResolver = (
  junctionIds: readonly string[],
) => Promise<ReadonlyMap<string, string>>;

const MAX_IDS_PER_QUERY = 200;
const rowSchema = z.object({ Id: z.string(), Opportunity__c: z.string().nullish() });

export function createJunctionParentResolver(
  salesforce: Pick<SalesforceConnection, 'run'>,
): JunctionParentResolver {
  return async (junctionIds) => {
    const parents = new Map<string, string>();
    for (let start = 0; start < junctionIds.length; start += MAX_IDS_PER_QUERY) {
      const ids = junctionIds.slice(start, start + MAX_IDS_PER_QUERY);
      const soql = `SELECT Id, Opportunity__c FROM Co_Sell_Solution__c WHERE Id IN (${ids.map(soqlString).join(', ')})`;
      const result = await salesforce.run('read solution rows', async (conn) =>
        conn.query<Record<string, unknown>>(soql),
      );
      for (const record of result.records) {
        const row = rowSchema.parse(record);
        if (row.Opportunity__c) parents.set(row.Id, row.Opportunity__c);
      }
    }
    return parents;
  };
}
