import type { Logger } from 'pino';
import type { SalesforceConnection } from './connection';

export interface OrgFacts {
  /** CurrencyIsoCode exists on Opportunity only when multi-currency is enabled (R3). */
  multiCurrency: boolean;
  /** Organization.DefaultCurrencyIsoCode (the corporate currency). */
  orgCurrency: string | null;
}

/**
 * Read the org's currency setup once per process (a describe and one query) and share it: it
 * decides which fields the reader may select, so asking per read would cost calls for nothing.
 */
export function createOrgFacts(options: {
  salesforce: Pick<SalesforceConnection, 'run'>;
  logger: Logger;
}): () => Promise<OrgFacts> {
  let facts: Promise<OrgFacts> | undefined;
  return () => {
    facts ??= options.salesforce
      .run('read org currency settings', async (conn) => {
        const describe = await conn.describe$('Opportunity');
        const multiCurrency = describe.fields.some((field) => field.name === 'CurrencyIsoCode');
        const org = await conn.query<{ DefaultCurrencyIsoCode?: string | null }>(
          'SELECT DefaultCurrencyIsoCode FROM Organization LIMIT 1',
        );
        const orgCurrency = org.records[0]?.DefaultCurrencyIsoCode ?? null;
        options.logger.info(
          { event: 'salesforce.org_facts', multiCurrency, orgCurrency },
          'read org currency settings',
        );
        return { multiCurrency, orgCurrency };
      })
      .catch((error: unknown) => {
        // Not cached: the next caller tries again (e.g. after a transient failure).
        facts = undefined;
        throw error;
      });
    return facts;
  };
}
