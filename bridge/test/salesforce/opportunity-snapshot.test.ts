import {
  byIdsQuery,
  changedSinceQuery,
  countryFieldName,
  selectClause,
  toOpportunitySnapshot,
} from '../../src/salesforce/opportunity-snapshot';

const row = {
  attributes: {
    type: 'Opportunity',
    url: '/services/data/v62.0/sobjects/Opportunity/006000000000001AAA',
  },
  Id: '006000000000001AAA',
  Name: 'Contoso cloud migration',
  Amount: 125000,
  CloseDate: '2026-03-31',
  StageName: 'Closed Won',
  IsClosed: true,
  IsWon: true,
  Description: null,
  AccountId: '001000000000001AAA',
  OwnerId: '005000000000001AAA',
  LastModifiedDate: '2026-01-02T10:00:00.000+0000',
  SystemModstamp: '2026-01-02T10:00:01.000+0000',
  Sync_with_Partner_Center__c: true,
  Referral_Currency__c: 'EUR',
  Co_Sell_Help_Needed__c: 'TechnicalPresales',
  Partner_Center_Visibility__c: 'Shared with Microsoft sellers',
  Co_Sell_Customer_Contact__c: '003000000000001AAA',
  Partner_Center_Referral_Id__c: null,
  Partner_Center_Sync_Status__c: 'Pending',
  Account: {
    attributes: { type: 'Account' },
    Id: '001000000000001AAA',
    Name: 'Contoso',
    Country_Code__c: 'SE',
    BillingCountry: 'Sweden',
    BillingStreet: null,
    BillingCity: 'Stockholm',
    BillingState: null,
    BillingPostalCode: '111 22',
  },
  Owner: {
    attributes: { type: 'User' },
    Id: '005000000000001AAA',
    Name: 'Ada Seller',
    Email: 'ada@partner.example',
  },
  Co_Sell_Customer_Contact__r: {
    Id: '003000000000001AAA',
    FirstName: 'Grace',
    LastName: 'Hopper',
    Email: 'grace@contoso.example',
    Phone: null,
  },
  Co_Sell_Solutions__r: {
    totalSize: 1,
    done: true,
    records: [
      {
        Id: 'a01000000000001AAA',
        Microsoft_Solution__r: { Solution_Id__c: 'SOL-15974-MQF', Name: 'Contoso AI' },
      },
    ],
  },
};

describe('opportunity SOQL', () => {
  it('selects the configured country field and CurrencyIsoCode only in multi-currency orgs (R3)', () => {
    const single = selectClause({ countryField: 'Account.Country_Code__c', multiCurrency: false });
    expect(single).toContain('Account.Country_Code__c');
    expect(single).not.toContain('CurrencyIsoCode');
    expect(single).toContain('FROM Co_Sell_Solutions__r');
    expect(selectClause({ countryField: 'Account.BillingCountry', multiCurrency: true })).toContain(
      'CurrencyIsoCode',
    );
  });

  it('puts ids in one IN list and refuses anything that is not a record id', () => {
    const soql = byIdsQuery(['006000000000001AAA', '006000000000002'], {
      countryField: 'Account.BillingCountry',
      multiCurrency: false,
    });
    expect(soql).toMatch(/WHERE Id IN \('006000000000001AAA', '006000000000002'\)$/);
    expect(() =>
      byIdsQuery(["006' OR Name != '"], {
        countryField: 'Account.BillingCountry',
        multiCurrency: false,
      }),
    ).toThrow(/not a Salesforce record id/);
  });

  it('rejects a country field that is not one Account field', () => {
    expect(countryFieldName('Account.BillingCountry')).toBe('BillingCountry');
    expect(() => countryFieldName('Owner.Country')).toThrow(/BRIDGE_COUNTRY_FIELD/);
    expect(() => countryFieldName('Account.X, (SELECT Id FROM User)')).toThrow(
      /BRIDGE_COUNTRY_FIELD/,
    );
  });

  it('R13: reconciliation re-reads the watermark second and orders by SystemModstamp, Id', () => {
    expect(changedSinceQuery('2026-01-02T10:00:01.250+0000')).toBe(
      'SELECT Id, SystemModstamp FROM Opportunity WHERE Sync_with_Partner_Center__c = true AND SystemModstamp >= 2026-01-02T10:00:01Z ORDER BY SystemModstamp ASC, Id ASC',
    );
    expect(changedSinceQuery(undefined)).not.toContain('SystemModstamp >=');
    expect(() => changedSinceQuery('yesterday')).toThrow(/watermark/);
  });
});

describe('toOpportunitySnapshot', () => {
  it('converts a SOQL row with relationships and the solutions subquery', () => {
    const snapshot = toOpportunitySnapshot(row, {
      countryField: 'Account.Country_Code__c',
      orgCurrency: 'USD',
    });
    expect(snapshot).toMatchObject({
      id: '006000000000001AAA',
      amount: 125000,
      closeDate: '2026-03-31',
      isWon: true,
      currencyIsoCode: null,
      referralCurrency: 'EUR',
      orgCurrency: 'USD',
      helpNeeded: 'TechnicalPresales',
      visibility: 'Shared with Microsoft sellers',
      syncEnabled: true,
      syncStatus: 'Pending',
      owner: { id: '005000000000001AAA', email: 'ada@partner.example', name: 'Ada Seller' },
      account: {
        id: '001000000000001AAA',
        name: 'Contoso',
        country: 'SE',
        city: 'Stockholm',
        postalCode: '111 22',
      },
      customerContact: {
        id: '003000000000001AAA',
        lastName: 'Hopper',
        email: 'grace@contoso.example',
      },
      solutions: [{ solutionId: 'SOL-15974-MQF', name: 'Contoso AI' }],
    });
  });

  it('reads the default BillingCountry when configured, and handles absent relationships', () => {
    const bare = {
      ...row,
      Account: null,
      Owner: null,
      Co_Sell_Customer_Contact__r: null,
      Co_Sell_Solutions__r: null,
    };
    const snapshot = toOpportunitySnapshot(bare, {
      countryField: 'Account.BillingCountry',
      orgCurrency: null,
    });
    expect(snapshot.account).toBeNull();
    expect(snapshot.customerContact).toBeNull();
    expect(snapshot.solutions).toEqual([]);
    expect(
      toOpportunitySnapshot(row, { countryField: 'Account.BillingCountry', orgCurrency: null })
        .account?.country,
    ).toBe('Sweden');
  });

  it('blank country and unknown picklist values become null rather than bogus data', () => {
    const snapshot = toOpportunitySnapshot(
      {
        ...row,
        Partner_Center_Visibility__c: 'Everyone',
        Account: { ...row.Account, Country_Code__c: '  ' },
      },
      { countryField: 'Account.Country_Code__c', orgCurrency: null },
    );
    expect(snapshot.visibility).toBeNull();
    expect(snapshot.account?.country).toBeNull();
  });

  it('names the record when a row is malformed', () => {
    expect(() =>
      toOpportunitySnapshot(
        { ...row, IsWon: 'yes' },
        { countryField: 'Account.BillingCountry', orgCurrency: null },
      ),
    ).toThrow(/006000000000001AAA/);
  });
});
