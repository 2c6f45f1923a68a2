import type { Logger } from 'pino';
import type { Connection } from 'jsforce';
import type { SalesforceConnection } from './connection';
import { toBridgeError } from './salesforce-errors';
import { PermanentError } from '../errors';

/**
 * Organization.DefaultCurrencyIsoCode is only a fallback for mapping (the referral currency
 * field comes first), so an org or emulator that refuses the query must not stop every read:
 * log it and go on without a corporate currency.
 */
async function readCorporateCurrency(conn: Connection, logger: Logger): Promise<string | null> {
  try {
    const org = await conn.query<{ DefaultCurrencyIsoCode?: string | null }>(
      'SELECT DefaultCurrencyIsoCode FROM Organization LIMIT 1',
    );
    return org.records[0]?.DefaultCurrencyIsoCode ?? null;
  } catch (error) {
    const mapped = toBridgeError(error, 'read the corporate currency');
    if (!(mapped instanceof PermanentError)) throw mapped;
    logger.warn(
      { event: 'salesforce.org_currency_unavailable', err: mapped.message },
      'cannot read Organization.DefaultCurrencyIsoCode; referral currency must come from the opportunity',
    );
    return null;
  }
}

export interface OrgFacts {
  /** CurrencyIsoCode exists on Opportunity only when multi-currency is enabled (R3). */
  multiCurrency: boolean;
  /** Organization.DefaultCurrencyIsoCode (the corporate currency). */
  orgCurrency: string | null;
  /**
   * Account fields that exist in this org. `BillingCountryCode` and the other `…CountryCode`
   * fields exist only with State and Country/Territory Picklists (then `BillingCountry` holds the
   * country's name), so this says which field holds the ISO code (countryCodeField).
   */
  accountFields: ReadonlySet<string>;
}

/**
 * The field to read and write the customer's ISO country code in: the configured
 * `Account.…Country` field's `…CountryCode` twin where the org has State and Country/Territory
 * Picklists, else the configured field itself (e.g. `Account.BillingCountry`, or a custom field).
 */
export function countryCodeField(
  configured: string,
  facts: Pick<OrgFacts, 'accountFields'>,
): string {
  const name = configured.slice('Account.'.length);
  return /Country$/.test(name) && facts.accountFields.has(`${name}Code`)
    ? `${configured}Code`
    : configured;
}

/**
 * Read the org's currency and address setup once per process (two describes and one query) and
 * share it: it
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
        const account = await conn.describe$('Account');
        const accountFields = new Set(account.fields.map((field) => field.name));
        const countryPicklists = accountFields.has('BillingCountryCode');
        const orgCurrency = await readCorporateCurrency(conn, options.logger);
        options.logger.info(
          { event: 'salesforce.org_facts', multiCurrency, orgCurrency, countryPicklists },
          'read org currency and address settings',
        );
        return { multiCurrency, orgCurrency, accountFields };
      })
      .catch((error: unknown) => {
        // Not cached: the next caller tries again (e.g. after a transient failure).
        facts = undefined;
        throw error;
      });
    return facts;
  };
}
