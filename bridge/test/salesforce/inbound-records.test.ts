import type { NewRecords } from '../../src/mapping';
import {
  createInboundRecords,
  createOpportunityReader,
  type SalesforceConnection,
} from '../../src/salesforce';
import { connectBridge, control, seed, silentLogger, emulatorForFile } from './emulator-harness';

function referralRecords(overrides: Partial<NewRecords> = {}): NewRecords {
  return {
    account: {
      name: 'Fabrikam',
      country: 'SE',
      street: 'Kungsgatan 1',
      city: 'Stockholm',
      state: null,
      postalCode: '111 43',
    },
    contact: {
      firstName: 'Grace',
      lastName: 'Hopper',
      email: 'grace@fabrikam.example',
      phone: null,
    },
    opportunity: {
      Name: 'Fabrikam data platform',
      StageName: 'Prospecting',
      CloseDate: '2026-09-30',
      Amount: 50000,
      Referral_Currency__c: 'USD',
    },
    team: { ownerId: null, matched: [], unmatched: [] },
    solutionIds: ['SOL-1'],
    warnings: [],
    ...overrides,
  };
}

describe('inbound records (R18) against the emulator', () => {
  const emulator = emulatorForFile();
  let salesforce: SalesforceConnection;

  beforeEach(async () => {
    salesforce = await connectBridge(emulator);
    await seed(emulator, 'Microsoft_Solution__c', [
      { Name: 'Fabrikam Data', Solution_Id__c: 'SOL-1', Is_Active__c: true },
    ]);
  });

  const count = async (soql: string) =>
    (await salesforce.run('count', async (conn) => conn.query(soql))).totalSize;

  it('R18: creates account, contact and a synced opportunity once; a repeated delivery links the same one', async () => {
    const inbound = createInboundRecords({
      salesforce,
      countryField: 'Account.BillingCountry',
      logger: silentLogger,
    });

    const first = await inbound.createOrLinkOpportunity('ref-123', referralRecords());
    const again = await inbound.createOrLinkOpportunity('ref-123', referralRecords());

    expect(first.created).toBe(true);
    expect(again).toEqual({ opportunityId: first.opportunityId, created: false });
    expect(
      await count("SELECT Id FROM Opportunity WHERE Partner_Center_Referral_Id__c = 'ref-123'"),
    ).toBe(1);
    expect(await count("SELECT Id FROM Account WHERE Name = 'Fabrikam'")).toBe(1);
    expect(await count("SELECT Id FROM Contact WHERE Email = 'grace@fabrikam.example'")).toBe(1);
    const reader = createOpportunityReader({
      salesforce,
      countryField: 'Account.BillingCountry',
      logger: silentLogger,
    });
    const [snapshot] = await reader.readOpportunities([first.opportunityId]);
    expect(snapshot).toMatchObject({
      syncEnabled: true,
      referralId: 'ref-123',
      amount: 50000,
      account: { name: 'Fabrikam', country: 'SE' },
      customerContact: { email: 'grace@fabrikam.example' },
      solutions: [{ solutionId: 'SOL-1', name: 'Fabrikam Data' }],
    });
    expect(snapshot?.syncStatus).not.toBe('Error');
  });

  it('R18: links an existing account matched by name and country instead of creating one', async () => {
    const [existing] = await seed(emulator, 'Account', [
      { Name: 'Fabrikam', BillingCountry: 'NO' },
      { Name: 'Fabrikam', BillingCountry: 'SE' },
    ]).then((ids) => [ids[1]]);
    const inbound = createInboundRecords({
      salesforce,
      countryField: 'Account.BillingCountry',
      logger: silentLogger,
    });

    const { opportunityId } = await inbound.createOrLinkOpportunity('ref-9', referralRecords());

    const reader = createOpportunityReader({
      salesforce,
      countryField: 'Account.BillingCountry',
      logger: silentLogger,
    });
    const [snapshot] = await reader.readOpportunities([opportunityId]);
    expect(snapshot?.account?.id).toBe(existing);
    expect(await count("SELECT Id FROM Account WHERE Name = 'Fabrikam'")).toBe(2);
  });

  describe('BRIDGE_ACCOUNT_MATCHING: each mode does what the configuration table says', () => {
    const inboundWith = (accountMatch: 'name-and-country' | 'name' | 'always-create') =>
      createInboundRecords({
        salesforce,
        countryField: 'Account.BillingCountry',
        accountMatch,
        logger: silentLogger,
      });
    const accountOf = async (opportunityId: string) =>
      (
        await salesforce.run('read account', async (conn) =>
          conn.query<{ AccountId: string }>(
            `SELECT AccountId FROM Opportunity WHERE Id = '${opportunityId}'`,
          ),
        )
      ).records[0]?.AccountId;

    it('R18 name-and-country: a same-named account in another country is not reused; a new one is created', async () => {
      const [norway] = await seed(emulator, 'Account', [
        { Name: 'Fabrikam', BillingCountry: 'NO' },
      ]);

      const { opportunityId } = await inboundWith('name-and-country').createOrLinkOpportunity(
        'ref-nc',
        referralRecords(),
      );

      const accountId = await accountOf(opportunityId);
      expect(accountId).not.toBe(norway);
      expect(await count("SELECT Id FROM Account WHERE Name = 'Fabrikam'")).toBe(2);
      expect(
        await count(
          `SELECT Id FROM Account WHERE Id = '${accountId}' AND BillingCountry = 'SE' AND Partner_Center_Referral_Id__c = 'ref-nc'`,
        ),
      ).toBe(1);
    });

    it('R18 name: the oldest account with the name is reused whatever its country', async () => {
      const [oldest] = await seed(emulator, 'Account', [
        { Name: 'Fabrikam', BillingCountry: 'NO' },
      ]);
      // A later CreatedDate for the second one, whatever the clock's resolution.
      await control(emulator, 'POST', '/clock', { advanceMs: 1_000 });
      await seed(emulator, 'Account', [{ Name: 'Fabrikam', BillingCountry: 'SE' }]);

      const { opportunityId } = await inboundWith('name').createOrLinkOpportunity(
        'ref-n',
        referralRecords(),
      );

      expect(await accountOf(opportunityId)).toBe(oldest);
      expect(await count("SELECT Id FROM Account WHERE Name = 'Fabrikam'")).toBe(2);
    });

    it('R18 always-create: a new account even when one with the same name and country exists', async () => {
      const [same] = await seed(emulator, 'Account', [{ Name: 'Fabrikam', BillingCountry: 'SE' }]);

      const { opportunityId } = await inboundWith('always-create').createOrLinkOpportunity(
        'ref-ac',
        referralRecords(),
      );

      const accountId = await accountOf(opportunityId);
      expect(accountId).not.toBe(same);
      expect(await count("SELECT Id FROM Account WHERE Name = 'Fabrikam'")).toBe(2);
      expect(
        await count("SELECT Id FROM Account WHERE Partner_Center_Referral_Id__c = 'ref-ac'"),
      ).toBe(1);
    });

    it('R18 always-create: a retry after a failure between the account create and the opportunity upsert reuses that account', async () => {
      const inbound = inboundWith('always-create');
      // The upsert of the opportunity fails once: the account exists, the opportunity does not
      // (as after a crash at that point).
      await control(emulator, 'POST', '/faults', {
        match: {
          method: 'PATCH',
          path: '/services/data/v62.0/sobjects/Opportunity/Partner_Center_Referral_Id__c/',
        },
        respond: {
          status: 500,
          body: [{ errorCode: 'UNKNOWN_EXCEPTION', message: 'simulated crash' }],
        },
        times: 1,
      });
      await expect(
        inbound.createOrLinkOpportunity('ref-crash', referralRecords()),
      ).rejects.toThrow();
      expect(await count("SELECT Id FROM Account WHERE Name = 'Fabrikam'")).toBe(1);
      expect(
        await count("SELECT Id FROM Opportunity WHERE Partner_Center_Referral_Id__c = 'ref-crash'"),
      ).toBe(0);

      const { opportunityId } = await inbound.createOrLinkOpportunity(
        'ref-crash',
        referralRecords(),
      );
      const again = await inbound.createOrLinkOpportunity('ref-crash', referralRecords());

      expect(again.opportunityId).toBe(opportunityId);
      expect(await count("SELECT Id FROM Account WHERE Name = 'Fabrikam'")).toBe(1);
      expect(await count("SELECT Id FROM Contact WHERE Email = 'grace@fabrikam.example'")).toBe(1);
      expect(
        await count("SELECT Id FROM Account WHERE Partner_Center_Referral_Id__c = 'ref-crash'"),
      ).toBe(1);
    });
  });

  it('R11/R18: a referral missing what the validation rules need still lands, with sync on in status Error and the reason', async () => {
    const inbound = createInboundRecords({
      salesforce,
      countryField: 'Account.BillingCountry',
      logger: silentLogger,
    });

    const { opportunityId } = await inbound.createOrLinkOpportunity(
      'ref-nosol',
      referralRecords({ solutionIds: [] }),
    );

    const reader = createOpportunityReader({
      salesforce,
      countryField: 'Account.BillingCountry',
      logger: silentLogger,
    });
    const [snapshot] = await reader.readOpportunities([opportunityId]);
    expect(snapshot).toMatchObject({ syncEnabled: true, syncStatus: 'Error', solutions: [] });
    const message = await salesforce.run('read message', async (conn) =>
      conn.query<{ Partner_Center_Sync_Message__c: string }>(
        `SELECT Partner_Center_Sync_Message__c FROM Opportunity WHERE Id = '${opportunityId}'`,
      ),
    );
    expect(message.records[0]?.Partner_Center_Sync_Message__c).toMatch(/solution/i);
  });

  it('R4: finds active users by email, case-insensitively', async () => {
    const inbound = createInboundRecords({
      salesforce,
      countryField: 'Account.BillingCountry',
      logger: silentLogger,
    });
    const users = await inbound.findUsersByEmail([
      'SELLER@cosell.example',
      'nobody@elsewhere.example',
    ]);
    expect(users).toEqual([{ id: emulator.users.seller, email: 'seller@cosell.example' }]);
  });
});
