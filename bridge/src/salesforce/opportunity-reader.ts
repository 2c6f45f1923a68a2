import type { Connection } from 'jsforce';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { OpportunitySnapshot } from '../schemas/opportunity';
import type { SalesforceConnection } from './connection';
import { countryCodeField, createOrgFacts, type OrgFacts } from './org-facts';
import {
  byIdsQuery,
  changedSinceQuery,
  type SnapshotQueryOptions,
  toOpportunitySnapshot,
} from './opportunity-snapshot';

/**
 * One SOQL statement must stay under 100,000 characters; 200 ids of 18 characters keep the `IN`
 * list far below that and match the 200-record composite write-back batch.
 * https://developer.salesforce.com/docs/atlas.en-us.salesforce_app_limits_cheatsheet.meta/salesforce_app_limits_cheatsheet/salesforce_app_limits_platform_soslsoql.htm
 */
export const MAX_IDS_PER_QUERY = 200;

export interface OpportunityReaderOptions {
  salesforce: Pick<SalesforceConnection, 'run'>;
  /** BRIDGE_COUNTRY_FIELD, e.g. `Account.BillingCountry`. */
  countryField: string;
  logger: Logger;
  /** Shared with inbound-records so the org is described once. */
  orgFacts?: () => Promise<OrgFacts>;
  /** The fields the admin's field mapping adds, as it stands at each read (sync/field-map-source.ts). */
  mappedFields?: () => readonly string[];
}

export interface OpportunityReader {
  /** Current state of these opportunities, in ⌈n/200⌉ queries; unknown or deleted ids are absent. */
  readOpportunities(ids: readonly string[]): Promise<OpportunitySnapshot[]>;
  /**
   * Reconciliation: id and SystemModstamp of every synced opportunity changed at or after the
   * watermark (all when undefined), oldest first, all pages. The engine reads them in batches.
   */
  listChangedSince(
    systemModstamp: string | undefined,
    options?: { pageSize?: number },
  ): Promise<{ id: string; systemModstamp: string }[]>;
}

type Row = Record<string, unknown>;

const changedRowSchema = z.object({ Id: z.string(), SystemModstamp: z.string() });

async function queryAllPages(conn: Connection, soql: string, pageSize?: number): Promise<Row[]> {
  const headers: Record<string, string> = pageSize
    ? { 'Sforce-Query-Options': `batchSize=${pageSize}` }
    : {};
  let page = await conn.query<Row>(soql, { headers, autoFetch: false });
  const rows = [...page.records];
  while (!page.done && page.nextRecordsUrl) {
    // The query locator keeps the batch size chosen by the first request.
    page = await conn.queryMore<Row>(page.nextRecordsUrl);
    rows.push(...page.records);
  }
  return rows;
}

export function createOpportunityReader(options: OpportunityReaderOptions): OpportunityReader {
  const { salesforce, countryField, logger } = options;
  const orgFacts = options.orgFacts ?? createOrgFacts({ salesforce, logger });

  function toSnapshots(
    rows: Row[],
    org: OrgFacts,
    mappedFields: readonly string[],
  ): OpportunitySnapshot[] {
    const field = countryCodeField(countryField, org);
    return rows.map((row) =>
      toOpportunitySnapshot(row, {
        countryField: field,
        orgCurrency: org.orgCurrency,
        mappedFields,
      }),
    );
  }

  return {
    async readOpportunities(ids) {
      const unique = [...new Set(ids)];
      if (unique.length === 0) return [];
      const org = await orgFacts();
      const mappedFields = options.mappedFields?.() ?? [];
      const query: SnapshotQueryOptions = {
        countryField: countryCodeField(countryField, org),
        multiCurrency: org.multiCurrency,
        mappedFields,
      };
      const snapshots: OpportunitySnapshot[] = [];
      for (let start = 0; start < unique.length; start += MAX_IDS_PER_QUERY) {
        const chunk = unique.slice(start, start + MAX_IDS_PER_QUERY);
        const rows = await salesforce.run('read opportunities', (conn) =>
          queryAllPages(conn, byIdsQuery(chunk, query)),
        );
        snapshots.push(...toSnapshots(rows, org, mappedFields));
      }
      return snapshots;
    },

    async listChangedSince(systemModstamp, { pageSize } = {}) {
      const soql = changedSinceQuery(systemModstamp);
      const rows = await salesforce.run('list changed opportunities', (conn) =>
        queryAllPages(conn, soql, pageSize),
      );
      return rows
        .map((row) => changedRowSchema.parse(row))
        .map((row) => ({ id: row.Id, systemModstamp: row.SystemModstamp }));
    },
  };
}
