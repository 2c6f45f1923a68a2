import type { Connection } from 'jsforce';
import {
  connect,
  control,
  emulatorForFile,
  seedDeal,
  startEmulator,
  connectAs as connectAsUser,
} from './helpers';

describe('salesforce emulator: permission sets (R2) and currency modes (R3)', () => {
  const emu = emulatorForFile();
  let conn: Connection;
  beforeEach(async () => {
    conn = await connect(emu);
  });

  const connectAs = (username: string) => connectAsUser(emu, username);

  const unassign = () =>
    control(emu, 'POST', '/permission-sets', {
      permissionSet: 'Co_Sell_Bridge_Integration',
      assigned: false,
    });

  it('R2: without Co_Sell_Bridge_Integration the co-sell fields and objects answer as Salesforce does', async () => {
    const { opportunityId } = await seedDeal(conn);
    await unassign();
    await expect(
      conn.query('SELECT Id, Sync_with_Partner_Center__c FROM Opportunity'),
    ).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: expect.stringContaining(
        "No such column 'Sync_with_Partner_Center__c' on entity 'Opportunity'",
      ),
    });
    await expect(conn.query('SELECT Id FROM Co_Sell_Solution__c')).rejects.toMatchObject({
      errorCode: 'INVALID_TYPE',
    });
    await expect(
      conn
        .sobject('Opportunity')
        .update({ Id: opportunityId, Partner_Center_Referral_Id__c: 'R-1' }),
    ).rejects.toMatchObject({ errorCode: 'INVALID_FIELD' });
    // Standard fields stay usable, and describe hides what the user cannot see.
    await expect(conn.query('SELECT Id, Name FROM Opportunity')).resolves.toMatchObject({
      totalSize: 1,
    });
    const fields = (await conn.sobject('Opportunity').describe()).fields.map((f) => f.name);
    expect(fields).toContain('StageName');
    expect(fields).not.toContain('Sync_with_Partner_Center__c');
  });

  it('R2: a read-only grant (roll-up) answers INVALID_FIELD_FOR_INSERT_UPDATE; re-assigning restores access', async () => {
    const { opportunityId } = await seedDeal(conn);
    await expect(
      conn.sobject('Opportunity').update({ Id: opportunityId, Co_Sell_Solution_Count__c: 3 }),
    ).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
      data: { fields: ['Co_Sell_Solution_Count__c'] },
    });
    await unassign();
    await control(emu, 'POST', '/permission-sets', {
      permissionSet: 'Co_Sell_Bridge_Integration',
      assigned: true,
    });
    await expect(
      conn.query('SELECT Sync_with_Partner_Center__c FROM Opportunity'),
    ).resolves.toMatchObject({ totalSize: 1 });
  });

  it('R2: assignments are PermissionSetAssignment records; only an admin may create them', async () => {
    const assigned = async () =>
      (
        await conn.query<{ PermissionSet: { Name: string } }>(
          `SELECT PermissionSet.Name FROM PermissionSetAssignment WHERE AssigneeId = '${emu.users.integration}'`,
        )
      ).records.map((r) => r.PermissionSet.Name);
    expect(await assigned()).toEqual(['Co_Sell_Bridge_Integration']);
    await unassign();
    expect(await assigned()).toEqual([]);
    const ps = await conn.query<{ Id: string }>(
      "SELECT Id FROM PermissionSet WHERE Name = 'Co_Sell_Bridge_Integration'",
    );
    const permissionSetId = ps.records[0]?.Id;
    await expect(
      conn
        .sobject('PermissionSetAssignment')
        .create({ AssigneeId: emu.users.integration, PermissionSetId: permissionSetId }),
    ).rejects.toMatchObject({ errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY' });
    const admin = await connectAs('admin@cosell.example');
    await admin
      .sobject('PermissionSetAssignment')
      .create({ AssigneeId: emu.users.integration, PermissionSetId: permissionSetId });
    await expect(
      conn.query('SELECT Sync_with_Partner_Center__c FROM Opportunity'),
    ).resolves.toMatchObject({ totalSize: 0 });
  });

  it('R5: Organization.IsSandbox tells a sandbox from a production org', async () => {
    const org = async () =>
      (
        await conn.query<{ IsSandbox: boolean; Id: string }>(
          'SELECT Id, IsSandbox, OrganizationType FROM Organization',
        )
      ).records;
    const [prod] = await org();
    expect(prod).toMatchObject({ IsSandbox: false, Id: conn.userInfo?.organizationId });
    await control(emu, 'POST', '/settings', { sandbox: true });
    expect((await org())[0]?.IsSandbox).toBe(true);
  });

  it('R3: single-currency orgs have no CurrencyIsoCode (INVALID_FIELD) and no CurrencyType', async () => {
    const org = await conn.query<{ DefaultCurrencyIsoCode: string }>(
      'SELECT DefaultCurrencyIsoCode FROM Organization',
    );
    expect(org.records[0]?.DefaultCurrencyIsoCode).toBe('USD');
    await expect(conn.query('SELECT CurrencyIsoCode FROM Opportunity')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
    });
    await expect(conn.query('SELECT IsoCode FROM CurrencyType')).rejects.toMatchObject({
      errorCode: 'INVALID_TYPE',
    });
  });

  it('R3: multi-currency mode adds CurrencyIsoCode (restricted, corporate default) and CurrencyType rows', async () => {
    await seedDeal(conn, 'Before');
    await control(emu, 'POST', '/settings', { multiCurrency: true });
    const types = await conn.query<{ IsoCode: string; IsCorporate: boolean }>(
      'SELECT IsoCode, ConversionRate, IsCorporate FROM CurrencyType WHERE IsActive = true ORDER BY IsoCode',
    );
    expect(types.records.map((r) => r.IsoCode)).toEqual(['EUR', 'GBP', 'JPY', 'SEK', 'USD']);
    expect(types.records.find((r) => r.IsCorporate)?.IsoCode).toBe('USD');
    const before = await conn.query<{ CurrencyIsoCode: string }>(
      "SELECT CurrencyIsoCode FROM Opportunity WHERE Name = 'Before'",
    );
    expect(before.records[0]?.CurrencyIsoCode).toBe('USD');
    const eur = await conn.sobject('Opportunity').create({
      Name: 'Euro deal',
      StageName: 'Prospecting',
      CloseDate: '2030-01-01',
      CurrencyIsoCode: 'EUR',
    });
    expect(eur.success).toBe(true);
    await expect(
      conn.sobject('Opportunity').create({
        Name: 'x',
        StageName: 'Prospecting',
        CloseDate: '2030-01-01',
        CurrencyIsoCode: 'XXX',
      }),
    ).rejects.toMatchObject({ errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' });
  });

  it('R3: a multi-currency org can start that way with another corporate currency', async () => {
    const other = await startEmulator({ multiCurrency: true, corporateCurrency: 'SEK' });
    try {
      const c = await connect(other);
      const opp = await c
        .sobject('Opportunity')
        .create({ Name: 'x', StageName: 'Prospecting', CloseDate: '2030-01-01' });
      const rec = await c.sobject('Opportunity').retrieve(opp.id as string);
      expect(rec.CurrencyIsoCode).toBe('SEK');
      const org = await c.query<{ DefaultCurrencyIsoCode: string }>(
        'SELECT DefaultCurrencyIsoCode FROM Organization',
      );
      expect(org.records[0]?.DefaultCurrencyIsoCode).toBe('SEK');
    } finally {
      await other.stop();
    }
  });
});
