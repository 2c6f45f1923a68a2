import type { Connection } from 'jsforce';
import type { Logger } from 'pino';
import { z } from 'zod';
import { PermanentError } from '../errors';
import { inboundReadinessProblems, type NewRecords, type SalesforceUserRef } from '../mapping';
import type { SalesforceConnection } from './connection';
import { countryFieldName } from './opportunity-snapshot';
import { countryCodeField, createOrgFacts, type OrgFacts } from './org-facts';
import { soqlEquals, soqlString } from './soql';

/**
 * How an incoming referral's customer finds its Account (BRIDGE_ACCOUNT_MATCHING, R18):
 * `name-and-country` reuses the oldest account with that name and country, `name` the oldest
 * with that name, `always-create` creates a new account for every referral.
 */
export type AccountMatch = 'name-and-country' | 'name' | 'always-create';

export interface InboundRecordsOptions {
  salesforce: Pick<SalesforceConnection, 'run'>;
  /** BRIDGE_COUNTRY_FIELD, e.g. `Account.BillingCountry`. */
  countryField: string;
  /** Default `name-and-country`: two customers can share a name in different countries. */
  accountMatch?: AccountMatch;
  logger: Logger;
  orgFacts?: () => Promise<OrgFacts>;
}

export interface LinkedOpportunity {
  id: string;
  syncEnabled: boolean;
  syncStatus: string | null;
}

export interface InboundRecords {
  /** Active Salesforce users with these emails (R4), in batches of 200. */
  findUsersByEmail(emails: readonly string[]): Promise<SalesforceUserRef[]>;
  orgCurrency(): Promise<OrgFacts>;
  /** The opportunity that carries this referral id, if any. */
  findOpportunityByReferralId(referralId: string): Promise<LinkedOpportunity | null>;
  /**
   * R18, idempotent: find-or-create the Account (per AccountMatch) and Contact (email), UPSERT the
   * Opportunity by Partner_Center_Referral_Id__c, link its solutions, then switch sync on. A
   * repeated delivery, or a retry after a crash at any step, finds what exists and finishes.
   */
  createOrLinkOpportunity(
    referralId: string,
    records: NewRecords,
  ): Promise<{ opportunityId: string; created: boolean }>;
}

const MAX_IN_VALUES = 200;
const idRow = z.object({ Id: z.string() });
const opportunityRow = z.object({
  Id: z.string(),
  Sync_with_Partner_Center__c: z.boolean().nullish(),
  Partner_Center_Sync_Status__c: z.string().nullish(),
});

async function firstId(conn: Connection, soql: string): Promise<string | null> {
  const result = await conn.query<Record<string, unknown>>(soql);
  const row = result.records[0];
  return row ? idRow.parse(row).Id : null;
}

function saved(
  result: { success: boolean; id?: string | null; errors?: unknown[] },
  what: string,
): string {
  if (!result.success || !result.id) {
    throw new PermanentError(
      `Salesforce did not save the ${what}: ${JSON.stringify(result.errors ?? [])}`,
      'salesforce',
    );
  }
  return result.id;
}

export function createInboundRecords(options: InboundRecordsOptions): InboundRecords {
  const { salesforce, logger } = options;
  const accountMatch = options.accountMatch ?? 'name-and-country';
  const orgFacts = options.orgFacts ?? createOrgFacts({ salesforce, logger });

  async function findOpportunityByReferralId(
    referralId: string,
  ): Promise<LinkedOpportunity | null> {
    return salesforce.run('find opportunity by referral id', async (conn) => {
      const result = await conn.query<Record<string, unknown>>(
        `SELECT Id, Sync_with_Partner_Center__c, Partner_Center_Sync_Status__c FROM Opportunity WHERE Partner_Center_Referral_Id__c = ${soqlString(referralId)} LIMIT 1`,
      );
      const row = result.records[0];
      if (!row) return null;
      const parsed = opportunityRow.parse(row);
      return {
        id: parsed.Id,
        syncEnabled: parsed.Sync_with_Partner_Center__c ?? false,
        syncStatus: parsed.Partner_Center_Sync_Status__c ?? null,
      };
    });
  }

  /**
   * The account this referral's customer matches. `always-create` matches only the account an
   * earlier attempt created for this very referral (keyed by Account.Partner_Center_Referral_Id__c),
   * so a retry after a crash between the account create and the opportunity upsert finds it
   * instead of creating a second one. The name modes need no key: a retry matches by name.
   */
  function accountLookup(
    referralId: string,
    account: NewRecords['account'],
    countryField: string,
  ): string {
    switch (accountMatch) {
      case 'always-create':
        return `SELECT Id FROM Account WHERE Partner_Center_Referral_Id__c = ${soqlString(referralId)} LIMIT 1`;
      case 'name':
        return `SELECT Id FROM Account WHERE Name = ${soqlString(account.name)} ORDER BY CreatedDate ASC LIMIT 1`;
      case 'name-and-country':
        return `SELECT Id FROM Account WHERE Name = ${soqlString(account.name)} AND ${countryField} ${soqlEquals(account.country)} ORDER BY CreatedDate ASC LIMIT 1`;
    }
  }

  async function findOrCreateAccount(
    referralId: string,
    account: NewRecords['account'],
  ): Promise<string> {
    // With State and Country/Territory Picklists the code goes in …CountryCode (…Country takes
    // only the country's name there).
    const countryField = countryFieldName(countryCodeField(options.countryField, await orgFacts()));
    return salesforce.run('find or create account', async (conn) => {
      const existing = await firstId(conn, accountLookup(referralId, account, countryField));
      if (existing) return existing;
      const created = await conn.sobject('Account').create({
        Name: account.name,
        [countryField]: account.country,
        BillingStreet: account.street,
        BillingCity: account.city,
        BillingState: account.state,
        BillingPostalCode: account.postalCode,
        Partner_Center_Referral_Id__c: referralId,
      });
      logger.info(
        { event: 'salesforce.account_created', accountId: created.id, referralId, accountMatch },
        'created an account for an inbound referral',
      );
      return saved(created, 'account');
    });
  }

  async function findOrCreateContact(
    accountId: string,
    contact: NonNullable<NewRecords['contact']>,
  ): Promise<string> {
    return salesforce.run('find or create contact', async (conn) => {
      // Without an email the name under the same account is the best available key.
      const existing = await firstId(
        conn,
        contact.email
          ? `SELECT Id FROM Contact WHERE AccountId = ${soqlString(accountId)} AND Email = ${soqlString(contact.email)} LIMIT 1`
          : `SELECT Id FROM Contact WHERE AccountId = ${soqlString(accountId)} AND FirstName ${soqlEquals(contact.firstName)} AND LastName = ${soqlString(contact.lastName)} LIMIT 1`,
      );
      if (existing) return existing;
      const created = await conn.sobject('Contact').create({
        AccountId: accountId,
        FirstName: contact.firstName,
        LastName: contact.lastName,
        Email: contact.email,
        Phone: contact.phone,
      });
      return saved(created, 'contact');
    });
  }

  async function linkSolutions(
    opportunityId: string,
    solutionIds: readonly string[],
  ): Promise<void> {
    const wanted = [...new Set(solutionIds)].slice(0, MAX_IN_VALUES);
    if (wanted.length === 0) return;
    await salesforce.run('link solutions', async (conn) => {
      const solutions = await conn.query<Record<string, unknown>>(
        `SELECT Id, Solution_Id__c FROM Microsoft_Solution__c WHERE Solution_Id__c IN (${wanted.map(soqlString).join(', ')})`,
      );
      const linked = await conn.query<Record<string, unknown>>(
        `SELECT Microsoft_Solution__c FROM Co_Sell_Solution__c WHERE Opportunity__c = ${soqlString(opportunityId)}`,
      );
      const already = new Set(linked.records.map((row) => String(row.Microsoft_Solution__c)));
      const missing = solutions.records
        .map((row) => idRow.parse(row).Id)
        .filter((id) => !already.has(id));
      const unknown = wanted.filter(
        (id) => !solutions.records.some((row) => row.Solution_Id__c === id),
      );
      if (unknown.length > 0) {
        logger.warn(
          { event: 'salesforce.unknown_solutions', opportunityId, solutionIds: unknown },
          'referral names solutions that are not in Microsoft_Solution__c; import them with `cosell solutions import`',
        );
      }
      if (missing.length === 0) return;
      const results = await conn.sobject('Co_Sell_Solution__c').create(
        missing.map((id) => ({ Opportunity__c: opportunityId, Microsoft_Solution__c: id })),
        { allOrNone: true },
      );
      results.forEach((result) => saved(result, 'co-sell solution link'));
    });
  }

  /**
   * Validation rules (R11) refuse sync without a solution, country, amount, … . A referral may
   * lack them; then sync goes on in status Error with what to complete, so the seller sees exactly
   * what is missing instead of the record staying invisible. The rules exempt the bridge's own
   * writes (Co_Sell_Bridge_Writes), so the bridge names the problems itself (`problems`); where
   * an org still refuses (the permission not assigned), Salesforce's own message is used.
   */
  async function enableSync(opportunityId: string, problems: readonly string[]): Promise<void> {
    const incomplete = (reason: string) => ({
      Partner_Center_Sync_Status__c: 'Error',
      Partner_Center_Sync_Message__c: `Created from a Partner Center referral; complete before it can sync: ${reason}`,
    });
    try {
      await salesforce.run('switch sync on', async (conn) => {
        const result = await conn.sobject('Opportunity').update({
          Id: opportunityId,
          Sync_with_Partner_Center__c: true,
          ...(problems.length > 0 ? incomplete(problems.join(' ')) : {}),
        });
        saved(result, 'sync switch');
      });
    } catch (error) {
      if (!(error instanceof PermanentError) || error.code !== 'FIELD_CUSTOM_VALIDATION_EXCEPTION')
        throw error;
      await salesforce.run('switch sync on with an error status', async (conn) => {
        const result = await conn.sobject('Opportunity').update({
          Id: opportunityId,
          Sync_with_Partner_Center__c: true,
          ...incomplete(error.message),
        });
        saved(result, 'sync switch');
      });
    }
  }

  return {
    findUsersByEmail: async (emails) => {
      const unique = [...new Set(emails.map((e) => e.trim().toLowerCase()).filter(Boolean))];
      const users: SalesforceUserRef[] = [];
      for (let start = 0; start < unique.length; start += MAX_IN_VALUES) {
        const chunk = unique.slice(start, start + MAX_IN_VALUES);
        const result = await salesforce.run('find users by email', async (conn) =>
          conn.query<Record<string, unknown>>(
            `SELECT Id, Email FROM User WHERE IsActive = true AND Email IN (${chunk.map(soqlString).join(', ')})`,
          ),
        );
        for (const row of result.records) {
          const user = z.object({ Id: z.string(), Email: z.string().nullish() }).parse(row);
          users.push({ id: user.Id, email: user.Email ?? null });
        }
      }
      return users;
    },

    orgCurrency: () => orgFacts(),

    findOpportunityByReferralId,

    async createOrLinkOpportunity(referralId, records) {
      const existing = await findOpportunityByReferralId(referralId);
      if (existing?.syncEnabled) return { opportunityId: existing.id, created: false };

      let opportunityId: string;
      let created = false;
      if (existing) {
        // A previous attempt stopped after the upsert: finish it.
        opportunityId = existing.id;
      } else {
        const accountId = await findOrCreateAccount(referralId, records.account);
        const contactId = records.contact
          ? await findOrCreateContact(accountId, records.contact)
          : null;
        const result = await salesforce.run('upsert opportunity by referral id', (conn) =>
          conn.sobject('Opportunity').upsert(
            {
              ...records.opportunity,
              AccountId: accountId,
              ...(records.team.ownerId ? { OwnerId: records.team.ownerId } : {}),
              ...(contactId ? { Co_Sell_Customer_Contact__c: contactId } : {}),
              Partner_Center_Referral_Id__c: referralId,
              // Sync goes on after the solutions are linked: the validation rules need them.
              Sync_with_Partner_Center__c: false,
            },
            'Partner_Center_Referral_Id__c',
          ),
        );
        created = result.created === true;
        opportunityId =
          result.id ??
          (await findOpportunityByReferralId(referralId))?.id ??
          saved(result, 'opportunity');
        logger.info(
          { event: 'salesforce.inbound_opportunity', opportunityId, referralId, created },
          created
            ? 'created an opportunity for a Partner Center referral'
            : 'linked an opportunity to a Partner Center referral',
        );
      }
      await linkSolutions(opportunityId, records.solutionIds);
      await enableSync(opportunityId, inboundReadinessProblems(records));
      return { opportunityId, created };
    },
  };
}
