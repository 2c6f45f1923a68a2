import { microsoftReferral, waitFor, worldForFile } from './helpers/world';

// Real servers on a shared 2-core machine: each step waits on a condition with its own deadline.
jest.setTimeout(30_000);

/**
 * R16 in an org with State and Country/Territory Picklists: BillingCountry holds the country's
 * name there and BillingCountryCode its ISO code. With the default BRIDGE_COUNTRY_FIELD
 * (Account.BillingCountry) the bridge finds the code field by describe and reads and writes the
 * code there, both ways, with no configuration.
 */
describe('customer country with State and Country/Territory Picklists (R16)', () => {
  const world = worldForFile();

  beforeAll(async () => {
    // Before the bridge's first read: it learns the org's fields once per process.
    await world.sfControl('POST', '/settings', { stateAndCountryPicklists: true });
    await world.ensureSolution();
  });

  it('R16: outbound, the referral gets the ISO code of the picked country', async () => {
    // Picked as a seller does in the UI: by name; Salesforce fills the code.
    const [accountId] = await world.seed('Account', [
      { Name: 'Contoso Sverige', BillingCountry: 'Sweden', BillingCity: 'Stockholm' },
    ]);
    const [contactId] = await world.seed('Contact', [
      { AccountId: accountId, LastName: 'Lind', Email: 'ada.lind@contoso.example' },
    ]);
    const [opportunityId] = await world.seed('Opportunity', [
      {
        Name: 'Contoso cloud migration',
        AccountId: accountId,
        StageName: 'Prospecting',
        CloseDate: '2030-06-30',
        Amount: 50_000,
        Co_Sell_Customer_Contact__c: contactId,
      },
    ]);
    await world.seed('Co_Sell_Solution__c', [
      { Opportunity__c: opportunityId, Microsoft_Solution__c: await world.ensureSolution() },
    ]);
    await world.edit(opportunityId!, { Sync_with_Partner_Center__c: true });

    await world.runtime.engine.resync({ opportunityId: opportunityId! }, { fresh: false });
    await world.runtime.engine.drain();
    const [referral] = (await world.pcReferrals()).filter(
      (r) => r.externalReferenceId === opportunityId,
    );
    expect(referral).toMatchObject({ customerProfile: { address: { country: 'SE' } } });
    expect(await world.read('Opportunity', opportunityId!)).toMatchObject({
      Partner_Center_Sync_Status__c: 'Synced',
    });
  });

  it('R16/R18: inbound, a new account gets the code in BillingCountryCode (and so its name)', async () => {
    const created = await world.pcControl('POST', '/microsoft/referrals', microsoftReferral());
    await world.runtime.engine.catchUpPartnerCenter();
    await world.runtime.engine.drain();
    const crmId = await waitFor(
      async () =>
        (await world.pcReferrals()).find((r) => r.id === created.id)?.externalReferenceId as
          string | undefined,
      'the referral linked to a new opportunity',
    );
    const opportunity = await world.read('Opportunity', crmId);
    const account = await world.read('Account', String(opportunity.AccountId));
    expect(account).toMatchObject({ BillingCountryCode: 'NO', BillingCountry: 'Norway' });
  });
});
