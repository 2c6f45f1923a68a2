import type { Connection } from 'jsforce';
import { connect, control, emulatorForFile, restAs, seedDeal } from './helpers';

describe('salesforce emulator: sObject Collections, validation rules and roll-up summaries', () => {
  const emu = emulatorForFile();
  let conn: Connection;
  beforeEach(async () => {
    conn = await connect(emu);
  });

  const rest = restAs(emu, () => conn);

  it('creates, updates and deletes arrays through composite/sobjects with per-record results in input order', async () => {
    const created = await conn
      .sobject('Account')
      .create([{ Name: 'A' }, { Name: 'B' }, { BillingCity: 'no name' }]);
    expect(created[0]).toMatchObject({ success: true, id: expect.stringMatching(/^001/) });
    expect(created[1]).toMatchObject({ success: true });
    expect(created[2]).toMatchObject({
      success: false,
      errors: [
        {
          statusCode: 'REQUIRED_FIELD_MISSING',
          message: 'Required fields are missing: [Name]',
          fields: ['Name'],
        },
      ],
    });
    const ids = created.filter((r) => r.success).map((r) => r.id as string);
    const updated = await conn
      .sobject('Account')
      .update(ids.map((Id) => ({ Id, BillingCountry: 'DE' })));
    expect(updated.every((r) => r.success)).toBe(true);
    expect(
      (await conn.query("SELECT COUNT() FROM Account WHERE BillingCountry = 'DE'")).totalSize,
    ).toBe(2);
    const deleted = await conn.sobject('Account').destroy(ids);
    expect(deleted).toEqual(ids.map((id) => ({ id, success: true, errors: [] })));
    const stats = (await control(emu, 'GET', '/stats')).body as {
      requests: Record<string, number>;
    };
    expect(stats.requests).toMatchObject({
      'POST /services/data/vXX.X/composite/sobjects': 1,
      'PATCH /services/data/vXX.X/composite/sobjects': 1,
      'DELETE /services/data/vXX.X/composite/sobjects': 1,
    });
  });

  it('allOrNone rolls every record back and marks the valid ones ALL_OR_NONE_OPERATION_ROLLED_BACK', async () => {
    const results = await conn
      .sobject('Account')
      .create([{ Name: 'Kept?' }, { Phone: '1' }], { allOrNone: true });
    expect(results[0]).toEqual({
      success: false,
      errors: [
        {
          statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
          message:
            'Record rolled back because not all records were valid and the request was using AllOrNone header',
          fields: [],
        },
      ],
    });
    expect(results[1]).toMatchObject({
      success: false,
      errors: [{ statusCode: 'REQUIRED_FIELD_MISSING' }],
    });
    expect((await conn.query('SELECT COUNT() FROM Account')).totalSize).toBe(0);
  });

  it('refuses more than 200 records in one call', async () => {
    const records = Array.from({ length: 201 }, (_, i) => ({
      attributes: { type: 'Account' },
      Name: `A${i}`,
    }));
    const res = await rest('/composite/sobjects', {
      method: 'POST',
      body: JSON.stringify({ allOrNone: false, records }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual([expect.objectContaining({ errorCode: 'EXCEEDED_ID_LIMIT' })]);
    expect((await conn.query('SELECT COUNT() FROM Account')).totalSize).toBe(0);
  });

  it('retrieves arrays (describe then POST composite/sobjects/{type}) and upserts arrays by external id', async () => {
    const created = await conn.sobject('Microsoft_Solution__c').create([
      { Name: 'One', Solution_Id__c: 'S-1' },
      { Name: 'Two', Solution_Id__c: 'S-2' },
    ]);
    const ids = created.map((r) => r.id as string);
    const rows = await conn.sobject('Microsoft_Solution__c').retrieve(ids);
    expect(rows.map((r) => r.Name)).toEqual(['One', 'Two']);
    const upserted = await conn.sobject('Microsoft_Solution__c').upsert(
      [
        { Solution_Id__c: 's-2', Name: 'Two v2' },
        { Solution_Id__c: 'S-3', Name: 'Three' },
      ],
      'Solution_Id__c',
    );
    expect(upserted).toEqual([
      { id: ids[1], success: true, errors: [], created: false },
      { id: expect.stringMatching(/^a0/), success: true, errors: [], created: true },
    ]);
  });

  it('validation rules from metadata answer FIELD_CUSTOM_VALIDATION_EXCEPTION with the display field', async () => {
    const { opportunityId } = await seedDeal(conn);
    await expect(
      conn.sobject('Opportunity').update({ Id: opportunityId, Sync_with_Partner_Center__c: true }),
    ).rejects.toMatchObject({
      errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: 'Add at least one co-sell ready Microsoft solution before syncing.',
      data: { fields: ['Sync_with_Partner_Center__c'] },
    });
    // Cross-object reference (Account.BillingCountry) and an error shown at the top of the page.
    const acct = await conn.sobject('Account').create({ Name: 'No country' });
    const res = await conn.sobject('Opportunity').update({ Id: opportunityId, AccountId: acct.id });
    expect(res.success).toBe(true);
    const contactless = await conn
      .sobject('Opportunity')
      .update({ Id: opportunityId, Co_Sell_Help_Needed__c: 'Technical consultation' })
      .catch((e: unknown) => e);
    expect(contactless).toMatchObject({
      errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: 'Choose a customer contact when you ask Microsoft for help.',
    });
  });

  it('roll-up COUNT: child insert/delete recalculates the master, re-runs its rules and can fail the child write', async () => {
    const { opportunityId, accountId } = await seedDeal(conn);
    void accountId;
    const sol = await conn
      .sobject('Microsoft_Solution__c')
      .create({ Name: 'S', Solution_Id__c: 'S-1' });
    const link = await conn
      .sobject('Co_Sell_Solution__c')
      .create({ Opportunity__c: opportunityId, Microsoft_Solution__c: sol.id });
    const count = async () =>
      (
        (await conn.sobject('Opportunity').retrieve(opportunityId)) as {
          Co_Sell_Solution_Count__c: number;
        }
      ).Co_Sell_Solution_Count__c;
    expect(await count()).toBe(1);
    await conn
      .sobject('Opportunity')
      .update({ Id: opportunityId, Sync_with_Partner_Center__c: true });
    // Removing the last solution would make the synced opportunity invalid: the delete fails.
    await expect(
      conn.sobject('Co_Sell_Solution__c').destroy(link.id as string),
    ).rejects.toMatchObject({
      errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: 'Add at least one co-sell ready Microsoft solution before syncing.',
    });
    expect(await count()).toBe(1);
    await conn
      .sobject('Opportunity')
      .update({ Id: opportunityId, Sync_with_Partner_Center__c: false });
    await conn.sobject('Co_Sell_Solution__c').destroy(link.id as string);
    expect(await count()).toBe(0);
  });

  it('deleting a master cascades to its detail records', async () => {
    const { opportunityId } = await seedDeal(conn);
    const sol = await conn
      .sobject('Microsoft_Solution__c')
      .create({ Name: 'S', Solution_Id__c: 'S-1' });
    await conn
      .sobject('Co_Sell_Solution__c')
      .create({ Opportunity__c: opportunityId, Microsoft_Solution__c: sol.id });
    await conn.sobject('Opportunity').destroy(opportunityId);
    expect((await conn.query('SELECT COUNT() FROM Co_Sell_Solution__c')).totalSize).toBe(0);
  });
});
