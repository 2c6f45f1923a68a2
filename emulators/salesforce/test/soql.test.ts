import type { Connection } from 'jsforce';
import { connect, control, emulatorForFile, seedDeal } from './helpers';

interface Row {
  Id: string;
  Name: string;
  [k: string]: unknown;
}

describe('salesforce emulator: SOQL query and queryAll', () => {
  const emu = emulatorForFile();
  let conn: Connection;
  let deal: { accountId: string; opportunityId: string };
  beforeEach(async () => {
    conn = await connect(emu);
    deal = await seedDeal(conn, 'Alpha');
    const sol = await conn
      .sobject('Microsoft_Solution__c')
      .create({ Name: 'Azure Widget', Solution_Id__c: 'SOL-1' });
    await conn
      .sobject('Co_Sell_Solution__c')
      .create({ Opportunity__c: deal.opportunityId, Microsoft_Solution__c: sol.id });
    await conn.sobject('Opportunity').create([
      { Name: 'Beta', StageName: 'Closed Won', CloseDate: '2024-01-15', Amount: 100 },
      { Name: 'Gamma', StageName: 'Closed Lost', CloseDate: '2025-03-01' },
    ]);
  });

  it('selects fields, parent relationship fields and child subqueries (null when empty)', async () => {
    const result = await conn.query<Row>(
      'SELECT Id, Name, Account.Name, Account.BillingCountry, (SELECT Id, Microsoft_Solution__r.Solution_Id__c FROM Co_Sell_Solutions__r) FROM Opportunity ORDER BY Name',
    );
    expect(result.totalSize).toBe(3);
    const [alpha, beta] = result.records;
    expect(alpha).toMatchObject({
      Name: 'Alpha',
      Account: { attributes: { type: 'Account' }, Name: 'Alpha Co', BillingCountry: 'SE' },
      Co_Sell_Solutions__r: {
        totalSize: 1,
        done: true,
        records: [{ Microsoft_Solution__r: { Solution_Id__c: 'SOL-1' } }],
      },
    });
    expect(beta).toMatchObject({ Name: 'Beta', Account: null, Co_Sell_Solutions__r: null });
  });

  it('WHERE with AND/OR/NOT, parentheses, IN, LIKE, comparisons, booleans and null', async () => {
    const names = async (where: string) =>
      (
        await conn.query<Row>(`SELECT Name FROM Opportunity WHERE ${where} ORDER BY Name`)
      ).records.map((r) => r.Name);
    expect(await names("StageName IN ('Closed Won', 'Closed Lost')")).toEqual(['Beta', 'Gamma']);
    expect(await names("Name LIKE 'a%'")).toEqual(['Alpha']); // case-insensitive
    expect(await names('Amount > 200')).toEqual(['Alpha']);
    expect(await names('Amount = null')).toEqual(['Gamma']);
    expect(await names("IsWon = true OR (Amount != null AND NOT Name = 'beta')")).toEqual([
      'Alpha',
      'Beta',
    ]);
    expect(await names("Account.BillingCountry = 'SE'")).toEqual(['Alpha']);
    expect(await names('CloseDate < 2025-01-01')).toEqual(['Beta']);
    expect(await names(`Id IN (SELECT Opportunity__c FROM Co_Sell_Solution__c)`)).toEqual([
      'Alpha',
    ]);
    expect(await names(`AccountId = '${deal.accountId.slice(0, 15)}'`)).toEqual(['Alpha']);
  });

  it('date literals TODAY and LAST_N_DAYS:n follow the emulator clock', async () => {
    const count = async (where: string) =>
      (await conn.query(`SELECT COUNT() FROM Opportunity WHERE ${where}`)).totalSize;
    expect(await count('CreatedDate = TODAY')).toBe(3);
    expect(await count('CreatedDate = LAST_N_DAYS:1')).toBe(3);
    await control(emu, 'POST', '/clock', { advanceMs: 3 * 86_400_000 });
    const fresh = await connect(emu);
    const later = await fresh.query(
      'SELECT COUNT() FROM Opportunity WHERE CreatedDate = LAST_N_DAYS:1',
    );
    expect(later.totalSize).toBe(0);
    expect(
      (await fresh.query('SELECT COUNT() FROM Opportunity WHERE CloseDate > TODAY')).totalSize,
    ).toBe(1);
  });

  it('ORDER BY with DESC and NULLS LAST, LIMIT and OFFSET, COUNT()', async () => {
    const rows = await conn.query<Row>(
      'SELECT Name FROM Opportunity ORDER BY Amount DESC NULLS LAST LIMIT 2 OFFSET 1',
    );
    expect(rows.records.map((r) => r.Name)).toEqual(['Beta', 'Gamma']);
    const asc = await conn.query<Row>('SELECT Name FROM Opportunity ORDER BY Amount');
    expect(asc.records.map((r) => r.Name)).toEqual(['Gamma', 'Beta', 'Alpha']); // nulls first by default
    const count = await conn.query('SELECT COUNT() FROM Opportunity WHERE IsClosed = true');
    expect(count).toMatchObject({ totalSize: 2, done: true, records: [] });
  });

  it('pages with nextRecordsUrl; queryMore and autoFetch read every batch', async () => {
    const many = Array.from({ length: 450 }, (_, i) => ({
      Name: `Bulk ${String(i).padStart(3, '0')}`,
    }));
    for (let i = 0; i < many.length; i += 200)
      await conn.sobject('Account').create(many.slice(i, i + 200));
    const first = await fetch(
      `${emu.url}/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id FROM Account')}`,
      {
        headers: {
          authorization: `Bearer ${conn.accessToken}`,
          'sforce-query-options': 'batchSize=200',
        },
      },
    ).then(
      (r) =>
        r.json() as Promise<{
          totalSize: number;
          done: boolean;
          nextRecordsUrl: string;
          records: unknown[];
        }>,
    );
    expect(first).toMatchObject({
      totalSize: 451,
      done: false,
      nextRecordsUrl: expect.stringMatching(/^\/services\/data\/v62\.0\/query\/01g\w+-200$/),
    });
    expect(first.records).toHaveLength(200);
    const second = await conn.queryMore(first.nextRecordsUrl);
    expect(second.records).toHaveLength(200);
    expect(second.done).toBe(false);
    const third = await conn.queryMore(second.nextRecordsUrl ?? '');
    expect(third).toMatchObject({ done: true });
    expect(third.records).toHaveLength(51);

    const all: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      conn
        .query('SELECT Id, Name FROM Account')
        .on('record', (r) => all.push(r))
        .on('end', () => resolve())
        .on('error', reject)
        .run({ autoFetch: true, maxFetch: 10_000 });
    });
    expect(all).toHaveLength(451);
    const unknown = await fetch(`${emu.url}/services/data/v62.0/query/01gNOPE-200`, {
      headers: { authorization: `Bearer ${conn.accessToken}` },
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual([
      expect.objectContaining({ errorCode: 'INVALID_QUERY_LOCATOR' }),
    ]);
  });

  it('queryAll includes deleted records; query does not', async () => {
    await conn.sobject('Opportunity').destroy(deal.opportunityId);
    expect((await conn.query('SELECT COUNT() FROM Opportunity')).totalSize).toBe(2);
    const all = await conn.query<Row>(
      'SELECT Id, IsDeleted FROM Opportunity WHERE IsDeleted = true',
      { scanAll: true },
    );
    expect(all.records).toEqual([
      expect.objectContaining({ Id: deal.opportunityId, IsDeleted: true }),
    ]);
  });

  it('errors: MALFORMED_QUERY, INVALID_FIELD, INVALID_TYPE, bad relationship', async () => {
    await expect(conn.query('SELEC Id FROM Opportunity')).rejects.toMatchObject({
      errorCode: 'MALFORMED_QUERY',
    });
    await expect(conn.query('SELECT Nope__c FROM Opportunity')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: expect.stringContaining("No such column 'Nope__c' on entity 'Opportunity'"),
    });
    await expect(conn.query('SELECT Id FROM Nope__c')).rejects.toMatchObject({
      errorCode: 'INVALID_TYPE',
      message: expect.stringContaining("sObject type 'Nope__c' is not supported"),
    });
    await expect(conn.query('SELECT Nope__r.Name FROM Opportunity')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: expect.stringContaining("Didn't understand relationship 'Nope__r'"),
    });
  });

  it('formula fields are computed when read (SOQL and retrieve) and filterable', async () => {
    await conn
      .sobject('Opportunity')
      .update({ Id: deal.opportunityId, Partner_Center_Referral_Id__c: 'REF-7' });
    const rows = await conn.query<Row>(
      "SELECT Name, Partner_Center_Referral_Link__c FROM Opportunity WHERE Partner_Center_Referral_Link__c LIKE '%REF-7' ",
    );
    expect(rows.records).toEqual([
      expect.objectContaining({
        Name: 'Alpha',
        Partner_Center_Referral_Link__c:
          'https://partner.microsoft.com/dashboard/referrals/v2/leads/REF-7',
      }),
    ]);
    const other = await conn.query<Row>(
      "SELECT Partner_Center_Referral_Link__c FROM Opportunity WHERE Name = 'Beta'",
    );
    expect(other.records[0]?.Partner_Center_Referral_Link__c).toBeNull();
    const describe = await conn.sobject('Opportunity').describe();
    expect(describe.fields.find((f) => f.name === 'Partner_Center_Referral_Link__c')).toMatchObject(
      {
        calculated: true,
        createable: false,
        type: 'url',
      },
    );
  });
});
