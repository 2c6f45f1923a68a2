import type { Connection } from 'jsforce';
import { connect, emulatorForFile, restAs, seedDeal } from './helpers';

describe('salesforce emulator: REST sObject resources', () => {
  const emu = emulatorForFile();
  let conn: Connection;
  beforeEach(async () => {
    conn = await connect(emu);
  });

  const rest = restAs(emu, () => conn);

  it('lists API versions without a session', async () => {
    const res = await fetch(`${emu.url}/services/data`);
    const versions = (await res.json()) as Array<{ version: string; url: string }>;
    expect(versions).toContainEqual({
      label: 'v62.0',
      url: '/services/data/v62.0',
      version: '62.0',
    });
  });

  it('an unsupported version answers 404 NOT_FOUND', async () => {
    const res = await fetch(`${emu.url}/services/data/v99.0/sobjects`, {
      headers: { authorization: `Bearer ${conn.accessToken}` },
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual([
      { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
    ]);
  });

  it('describes custom and standard objects from force-app metadata merged with the built-ins', async () => {
    const global = await conn.describeGlobal();
    const names = global.sobjects.map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'Opportunity',
        'Account',
        'Contact',
        'User',
        'Co_Sell_Solution__c',
        'Microsoft_Solution__c',
      ]),
    );
    expect(names).not.toContain('CurrencyType'); // single-currency org

    const opp = await conn.sobject('Opportunity').describe();
    expect(opp.keyPrefix).toBe('006');
    const field = (n: string) => opp.fields.find((f) => f.name === n);
    expect(field('Referral_Currency__c')).toMatchObject({
      type: 'picklist',
      restrictedPicklist: true,
      custom: true,
      picklistValues: expect.arrayContaining([
        expect.objectContaining({ value: 'EUR', active: true }),
      ]),
    });
    expect(field('Partner_Center_Referral_Id__c')).toMatchObject({
      type: 'string',
      length: 64,
      externalId: true,
      unique: true,
    });
    expect(field('Co_Sell_Customer_Contact__c')).toMatchObject({
      type: 'reference',
      referenceTo: ['Contact'],
      relationshipName: 'Co_Sell_Customer_Contact__r',
    });
    expect(field('Co_Sell_Solution_Count__c')).toMatchObject({
      calculated: true,
      updateable: false,
    });
    expect(field('StageName')?.picklistValues?.map((p) => p.value)).toEqual(
      expect.arrayContaining(['Closed Won', 'Closed Lost']),
    );
    expect(field('CurrencyIsoCode')).toBeUndefined();
    expect(opp.childRelationships).toContainEqual(
      expect.objectContaining({
        childSObject: 'Co_Sell_Solution__c',
        field: 'Opportunity__c',
        relationshipName: 'Co_Sell_Solutions__r',
        cascadeDelete: true,
      }),
    );
    const css = await conn.sobject('Co_Sell_Solution__c').describe();
    expect(css.fields.find((f) => f.name === 'Opportunity__c')).toMatchObject({
      nillable: false,
      relationshipName: 'Opportunity__r',
    });
  });

  it('creates, retrieves, updates and deletes with 18-character ids; 15-character ids work too', async () => {
    const { opportunityId } = await seedDeal(conn);
    expect(opportunityId).toMatch(/^006[0-9A-Za-z]{15}$/);
    const rec = await conn.sobject('Opportunity').retrieve(opportunityId.slice(0, 15));
    expect(rec).toMatchObject({
      Id: opportunityId,
      Name: 'Deal',
      IsClosed: false,
      Probability: 10,
      Sync_with_Partner_Center__c: false,
    });
    expect(rec.CreatedDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);

    await conn.sobject('Opportunity').update({ Id: opportunityId, StageName: 'Closed Won' });
    const won = await conn.sobject('Opportunity').retrieve(opportunityId);
    expect(won).toMatchObject({
      StageName: 'Closed Won',
      IsClosed: true,
      IsWon: true,
      Probability: 100,
    });

    const res = await rest(`/sobjects/Opportunity/${opportunityId}?fields=Name,Amount`);
    expect(await res.json()).toEqual({
      attributes: {
        type: 'Opportunity',
        url: `/services/data/v62.0/sobjects/Opportunity/${opportunityId}`,
      },
      Name: 'Deal',
      Amount: 5000,
    });

    await conn.sobject('Opportunity').destroy(opportunityId);
    const gone = await rest(`/sobjects/Opportunity/${opportunityId}`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual([
      { message: 'entity is deleted', errorCode: 'ENTITY_IS_DELETED', fields: [] },
    ]);
  });

  it('NOT_FOUND for an id that never existed', async () => {
    const res = await rest('/sobjects/Opportunity/0065g00000NOPE1AAA');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual([
      { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
    ]);
  });

  it('REQUIRED_FIELD_MISSING names every missing required field', async () => {
    await expect(conn.sobject('Opportunity').create({ Name: 'x' })).rejects.toMatchObject({
      errorCode: 'REQUIRED_FIELD_MISSING',
      message: 'Required fields are missing: [CloseDate, StageName]',
      data: { fields: ['CloseDate', 'StageName'] },
    });
  });

  it('field errors: unknown field, restricted picklist, too long, malformed id, read-only field, bad JSON type', async () => {
    const { opportunityId } = await seedDeal(conn);
    const opp = conn.sobject('Opportunity');
    await expect(opp.update({ Id: opportunityId, Nope__c: 1 })).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: "No such column 'Nope__c' on sobject of type Opportunity",
    });
    await expect(opp.update({ Id: opportunityId, StageName: 'Dreaming' })).rejects.toMatchObject({
      errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      data: { fields: ['StageName'] },
    });
    await expect(opp.update({ Id: opportunityId, Name: 'x'.repeat(121) })).rejects.toMatchObject({
      errorCode: 'STRING_TOO_LONG',
    });
    await expect(opp.update({ Id: opportunityId, AccountId: 'bogus' })).rejects.toMatchObject({
      errorCode: 'MALFORMED_ID',
      data: { fields: ['AccountId'] },
    });
    await expect(opp.update({ Id: opportunityId, IsWon: true })).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
    });
    await expect(opp.update({ Id: opportunityId, Amount: 'lots' })).rejects.toMatchObject({
      errorCode: 'JSON_PARSER_ERROR',
    });
    const res = await rest(`/sobjects/Opportunity/${opportunityId}`, {
      method: 'PATCH',
      body: '{not json',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual([expect.objectContaining({ errorCode: 'JSON_PARSER_ERROR' })]);
  });

  it('DUPLICATE_VALUE on a unique external id, case-insensitively', async () => {
    const { opportunityId } = await seedDeal(conn, 'A');
    const other = await seedDeal(conn, 'B');
    await conn
      .sobject('Opportunity')
      .update({ Id: opportunityId, Partner_Center_Referral_Id__c: 'REF-1' });
    await expect(
      conn
        .sobject('Opportunity')
        .update({ Id: other.opportunityId, Partner_Center_Referral_Id__c: 'ref-1' }),
    ).rejects.toMatchObject({
      errorCode: 'DUPLICATE_VALUE',
      message: `duplicate value found: Partner_Center_Referral_Id__c duplicates value on record with id: ${opportunityId}`,
    });
  });

  it('upsert by external id: 201 created, then 200 updated (API 46+), then GET by external id', async () => {
    const { accountId } = await seedDeal(conn);
    const body = {
      Name: 'From PC',
      StageName: 'Qualification',
      CloseDate: '2030-01-01',
      AccountId: accountId,
    };
    const created = await conn
      .sobject('Opportunity')
      .upsert({ ...body, Partner_Center_Referral_Id__c: 'R-9' }, 'Partner_Center_Referral_Id__c');
    expect(created).toMatchObject({ success: true, created: true });
    const updated = await conn
      .sobject('Opportunity')
      .upsert(
        { Amount: 42, Partner_Center_Referral_Id__c: 'R-9' },
        'Partner_Center_Referral_Id__c',
      );
    expect(updated).toMatchObject({ success: true, created: false, id: created.id });
    const res = await rest('/sobjects/Opportunity/Partner_Center_Referral_Id__c/R-9');
    expect(await res.json()).toMatchObject({ Id: created.id, Amount: 42, Name: 'From PC' });
    const bad = await rest('/sobjects/Opportunity/Name/x', { method: 'PATCH', body: '{}' });
    expect(bad.status).toBe(404);
    expect(await bad.json()).toEqual([
      {
        errorCode: 'NOT_FOUND',
        message: 'Provided external ID field does not exist or is not accessible: Name',
      },
    ]);
  });

  it('replication: sobjects/{type}/updated and /deleted list ids changed in a time window', async () => {
    const start = new Date(Date.now() - 60_000).toISOString();
    const { opportunityId } = await seedDeal(conn, 'Kept');
    const gone = await seedDeal(conn, 'Gone');
    await conn.sobject('Opportunity').destroy(gone.opportunityId);
    const end = new Date(Date.now() + 60_000).toISOString();
    const updated = (await conn.sobject('Opportunity').updated(start, end)) as {
      ids: string[];
      latestDateCovered: string;
    };
    expect(updated.ids).toEqual([opportunityId]);
    expect(updated.latestDateCovered).toMatch(/:00\.000\+0000$/);
    const deleted = (await conn.sobject('Opportunity').deleted(start, end)) as {
      deletedRecords: Array<{ id: string; deletedDate: string }>;
    };
    expect(deleted.deletedRecords).toEqual([
      { id: gone.opportunityId, deletedDate: expect.any(String) },
    ]);
  });
});
