import { resolve } from 'node:path';
import type { Connection } from 'jsforce';
import { connectAs, control, emulatorForFile } from './helpers';

const REPOSITORY_FORCE_APP = resolve(__dirname, '../../../force-app');
const ADMIN = 'admin@cosell.example';

/**
 * R11/R16: the customer-country rule (Co_Sell_Requires_Account_Country) with and without State
 * and Country/Territory Picklists, through jsforce as a seller would save. With the picklists
 * BillingCountryCode holds the ISO code and BillingCountry the country's name.
 */
describe('salesforce emulator: State and Country/Territory Picklists and the country rule', () => {
  const emu = emulatorForFile({ forceAppDir: REPOSITORY_FORCE_APP });
  let admin: Connection;
  beforeEach(async () => {
    admin = await connectAs(emu, ADMIN);
  });

  const picklists = (on: boolean) =>
    control(emu, 'POST', '/settings', { stateAndCountryPicklists: on });
  const account = async (fields: Record<string, unknown>) => {
    const saved = await admin.sobject('Account').create({ Name: 'Contoso', ...fields });
    return String(saved.id);
  };
  /** A deal of `accountId` with a solution linked; turning sync on as the seller would runs the rules. */
  const syncOn = async (accountId: string) => {
    const deal = await admin.sobject('Opportunity').create({
      Name: 'Contoso migration',
      StageName: 'Prospecting',
      CloseDate: '2030-06-30',
      Amount: 1000,
      AccountId: accountId,
    });
    const solution = await admin
      .sobject('Microsoft_Solution__c')
      .create({ Name: 'Azure Migrate', Solution_Id__c: `SOL-${String(deal.id)}` });
    await admin
      .sobject('Co_Sell_Solution__c')
      .create({ Opportunity__c: deal.id, Microsoft_Solution__c: solution.id });
    return admin
      .sobject('Opportunity')
      .update({ Id: String(deal.id), Sync_with_Partner_Center__c: true });
  };
  const refusedByCountryRule = (promise: Promise<unknown>) =>
    expect(promise).rejects.toMatchObject({
      errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: expect.stringContaining('Billing Country'),
    });

  it('without the picklists: Account has no BillingCountryCode and the rule wants a two-letter code', async () => {
    const describe = await admin.sobject('Account').describe();
    expect(describe.fields.map((f) => f.name)).not.toContain('BillingCountryCode');
    await refusedByCountryRule(syncOn(await account({})));
    await refusedByCountryRule(syncOn(await account({ BillingCountry: 'se' })));
    await expect(syncOn(await account({ BillingCountry: 'SE' }))).resolves.toMatchObject({
      success: true,
    });
  });

  it('with the picklists: the code and the name follow each other, an unknown country is refused', async () => {
    await picklists(true);
    const describe = await admin.sobject('Account').describe();
    const code = describe.fields.find((f) => f.name === 'BillingCountryCode');
    expect(code).toMatchObject({ type: 'picklist', restrictedPicklist: true });
    expect(code?.picklistValues).toContainEqual(
      expect.objectContaining({ value: 'SE', label: 'Sweden' }),
    );

    const byCode = await account({ BillingCountryCode: 'SE' });
    const byName = await account({ BillingCountry: 'Norway' });
    const rows = await admin.query<{
      Id: string;
      BillingCountry: string;
      BillingCountryCode: string;
    }>(
      `SELECT Id, BillingCountry, BillingCountryCode FROM Account WHERE Id IN ('${byCode}', '${byName}') ORDER BY BillingCountryCode`,
    );
    expect(rows.records.map((r) => [r.BillingCountryCode, r.BillingCountry])).toEqual([
      ['NO', 'Norway'],
      ['SE', 'Sweden'],
    ]);
    // A code is not a country name: "SE" in BillingCountry is refused, as Salesforce does.
    await expect(account({ BillingCountry: 'SE' })).rejects.toMatchObject({
      errorCode: 'FIELD_INTEGRITY_EXCEPTION',
    });
  });

  it('with the picklists: the rule passes a picked country (its name) and still stops a blank one', async () => {
    await picklists(true);
    await refusedByCountryRule(syncOn(await account({})));
    await expect(syncOn(await account({ BillingCountryCode: 'SE' }))).resolves.toMatchObject({
      success: true,
    });
  });
});
