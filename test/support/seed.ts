/**
 * Seed factories for realistic co-sell data: customer accounts with ISO countries, contacts,
 * co-sell-ready solutions present in both Salesforce and the Partner Center emulator, and
 * opportunities with sync on or off. Records are inserted through the Salesforce emulator's
 * UI-like control route, so to the bridge they are a seller's changes.
 */
import type { Json, PartnerCenterControl, SalesforceControl } from './control-clients';

let sequence = 0;
/** A short token unique in this process, so records of different tests never collide. */
export function uniqueSuffix(): string {
  sequence += 1;
  return `${process.pid.toString(36)}${sequence.toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** A close date `days` from today (UTC), as Salesforce dates are written. */
export function dateInDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The bridge's integration user in the emulated org: the only one the validation rules let leave
 * a synced record incomplete (it holds Co_Sell_Bridge_Writes), so tests seed invalid synced deals
 * as this user.
 */
export const INTEGRATION_USERNAME = 'bridge@cosell.example';

export interface SolutionSeed {
  /** Microsoft_Solution__c record id. */
  recordId: string;
  /** Partner Center solution id (Solution_Id__c). */
  solutionId: string;
  name: string;
}

export interface OpportunitySeed {
  accountId: string;
  name?: string;
  amount?: number | null;
  closeDate?: string | null;
  stageName?: string;
  /** Turned on after the solutions are linked (validation rules need them first). */
  sync?: boolean;
  currency?: string | null;
  helpNeeded?: string | null;
  contactId?: string | null;
  visibility?: 'Private' | 'Shared with Microsoft sellers';
  /** Microsoft_Solution__c record ids linked through Co_Sell_Solution__c. */
  solutionRecordIds?: string[];
  /** Any further Opportunity fields, written with the insert. */
  fields?: Json;
  /**
   * Insert as this user instead of the seller: e.g. the bridge's integration user, the only one
   * the validation rules let leave a synced record invalid (Co_Sell_Bridge_Writes).
   */
  as?: string;
}

export interface CoSellDeal {
  accountId: string;
  contactId: string;
  solution: SolutionSeed;
  opportunityId: string;
  name: string;
}

export class Seeder {
  constructor(
    readonly salesforce: SalesforceControl,
    readonly partnerCenter: PartnerCenterControl,
  ) {}

  /** A co-sell-ready solution known to Partner Center and kept as Microsoft_Solution__c. */
  async solution(options: { solutionId?: string; name?: string } = {}): Promise<SolutionSeed> {
    const suffix = uniqueSuffix().toUpperCase();
    const solutionId = options.solutionId ?? `SOL-E2E-${suffix}`;
    const name = options.name ?? `Contoso Analytics on Azure ${suffix}`;
    await this.partnerCenter.addSolution({ id: solutionId, name });
    const recordId = await this.salesforce.createRecord('Microsoft_Solution__c', {
      Name: name,
      Solution_Id__c: solutionId,
      Is_Active__c: true,
    });
    return { recordId, solutionId, name };
  }

  async account(
    options: { name?: string; country?: string | null; fields?: Json } = {},
  ): Promise<string> {
    return this.salesforce.createRecord('Account', {
      Name: options.name ?? `Fabrikam Retail ${uniqueSuffix()}`,
      BillingCountry: options.country === undefined ? 'US' : options.country,
      ...options.fields,
    });
  }

  async contact(options: {
    accountId: string;
    email?: string;
    lastName?: string;
    firstName?: string;
  }): Promise<string> {
    const suffix = uniqueSuffix();
    return this.salesforce.createRecord('Contact', {
      AccountId: options.accountId,
      FirstName: options.firstName ?? 'Alex',
      LastName: options.lastName ?? `Buyer ${suffix}`,
      Email: options.email ?? `alex.buyer.${suffix}@fabrikam.example`,
    });
  }

  async opportunity(seed: OpportunitySeed): Promise<string> {
    const id = await this.salesforce.createRecord(
      'Opportunity',
      {
        Name: seed.name ?? `Fabrikam cloud migration ${uniqueSuffix()}`,
        AccountId: seed.accountId,
        StageName: seed.stageName ?? 'Qualification',
        CloseDate: seed.closeDate === undefined ? dateInDays(60) : seed.closeDate,
        Amount: seed.amount === undefined ? 120_000 : seed.amount,
        Referral_Currency__c: seed.currency === undefined ? 'USD' : seed.currency,
        ...(seed.helpNeeded ? { Co_Sell_Help_Needed__c: seed.helpNeeded } : {}),
        ...(seed.contactId ? { Co_Sell_Customer_Contact__c: seed.contactId } : {}),
        ...(seed.visibility ? { Partner_Center_Visibility__c: seed.visibility } : {}),
        ...seed.fields,
      },
      seed.as,
    );
    const solutions = seed.solutionRecordIds ?? [];
    if (solutions.length > 0) {
      await this.salesforce.createRecords(
        'Co_Sell_Solution__c',
        solutions.map((solutionId) => ({ Opportunity__c: id, Microsoft_Solution__c: solutionId })),
        seed.as,
      );
    }
    if (seed.sync) await this.salesforce.updateRecord(id, { Sync_with_Partner_Center__c: true });
    return id;
  }

  /** A complete, valid co-sell deal: account (US), contact, solution, opportunity (sync on unless told). */
  async coSellDeal(
    options: Partial<OpportunitySeed> & { country?: string; solution?: SolutionSeed } = {},
  ): Promise<CoSellDeal> {
    const accountId =
      options.accountId ?? (await this.account({ country: options.country ?? 'US' }));
    const contactId = options.contactId ?? (await this.contact({ accountId }));
    const solution = options.solution ?? (await this.solution());
    const name = options.name ?? `Fabrikam cloud migration ${uniqueSuffix()}`;
    const opportunityId = await this.opportunity({
      ...options,
      name,
      accountId,
      contactId,
      solutionRecordIds: options.solutionRecordIds ?? [solution.recordId],
      sync: options.sync ?? true,
    });
    return { accountId, contactId, solution, opportunityId, name };
  }

  /**
   * A referral as Microsoft would create it for the partner (no CRM id unless given), valid for
   * the emulator: customer with country, deal value, currency, closing date, and a co-sell-ready
   * solution (Microsoft shares with partners only through one; the emulator's default
   * `SOL-EMU-0001-AZR` unless a seeded one is named).
   */
  microsoftReferralBody(overrides: Json = {}, solutionId = 'SOL-EMU-0001-AZR'): Json {
    const suffix = uniqueSuffix();
    return {
      name: `Northwind modern workplace ${suffix}`,
      qualification: 'SalesQualified',
      customerProfile: {
        name: `Northwind Traders ${suffix}`,
        address: {
          addressLine1: '1 Harbour Way',
          city: 'Seattle',
          state: 'WA',
          postalCode: '98101',
          country: 'US',
        },
        size: '10to50employees',
        team: [
          {
            firstName: 'Nina',
            lastName: 'Northwind',
            email: `nina.${suffix}@northwind.example`,
            phoneNumber: '+1 206 555 0100',
          },
        ],
      },
      consent: {
        consentToShareInfoWithOthers: true,
        consentToContact: true,
        consentToMicrosoftToContactSpecificPartners: true,
        consentToShareReferralWithMicrosoftSellers: true,
      },
      details: {
        dealValue: 80_000,
        currency: 'USD',
        closingDateTime: `${dateInDays(90)}T00:00:00Z`,
        notes: 'Customer asked Microsoft for a partner to run the migration.',
        requirements: { solutions: [{ id: solutionId }] },
      },
      ...overrides,
    };
  }
}
