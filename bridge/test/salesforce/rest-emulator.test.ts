import { AccessDeniedError, AuthenticationError } from '../../src/errors';
import {
  checkSchema,
  createOpportunityReader,
  createSalesforceConnection,
  createSalesforceWriter,
  type SalesforceConnection,
} from '../../src/salesforce';
import {
  API_VERSION,
  type ApiCall,
  CLIENT_NAME,
  connectBridge,
  control,
  routeCount,
  seed,
  seedCustomer,
  silentLogger,
  emulatorForFile,
} from './emulator-harness';

const QUERY = 'GET /services/data/vXX.X/query';
const COMPOSITE = 'POST /services/data/vXX.X/composite';

describe('salesforce REST against the emulator (real jsforce over loopback)', () => {
  const emulator = emulatorForFile();
  let salesforce: SalesforceConnection;
  const calls: ApiCall[] = [];

  beforeEach(async () => {
    calls.length = 0;
    salesforce = await connectBridge(emulator, { calls });
  });

  async function seedOpportunities(count: number): Promise<string[]> {
    const { accountId } = await seedCustomer(emulator);
    return seed(
      emulator,
      'Opportunity',
      Array.from({ length: count }, (_, i) => ({
        Name: `Deal ${i}`,
        StageName: 'Prospecting',
        CloseDate: '2026-06-30',
        Amount: 1000 + i,
        AccountId: accountId,
      })),
    );
  }

  it('R1: reads 450 opportunities in 3 queries and counts every call', async () => {
    const ids = await seedOpportunities(450);
    const reader = createOpportunityReader({
      salesforce,
      countryField: 'Account.BillingCountry',
      logger: silentLogger,
    });
    await reader.readOpportunities(ids.slice(0, 1)); // org facts (describe + Organization) are read once, first
    const before = await routeCount(emulator, QUERY);
    calls.length = 0;

    const snapshots = await reader.readOpportunities(ids);

    expect(snapshots).toHaveLength(450);
    expect(new Set(snapshots.map((s) => s.id))).toEqual(new Set(ids));
    expect(snapshots[0]).toMatchObject({
      account: { name: 'Contoso', country: 'SE' },
      syncEnabled: false,
      currencyIsoCode: null,
    });
    expect((await routeCount(emulator, QUERY)) - before).toBe(3);
    expect(calls.map((c) => c.operation)).toEqual(['GET query', 'GET query', 'GET query']);
  });

  it('R1/R10: writes back 450 records and their live-status events in 3 composite calls; a failing record does not fail its batch', async () => {
    const ids = await seedOpportunities(450);
    const writer = createSalesforceWriter({ salesforce, logger: silentLogger });
    const before = await routeCount(emulator, COMPOSITE);

    const results = await writer.writeBack(
      ids.map((id, i) => ({
        id,
        fields: {
          Partner_Center_Referral_Id__c: `ref-${i}`,
          // One record gets a value the restricted picklist refuses.
          Partner_Center_Sync_Status__c: i === 7 ? 'Bogus' : 'Synced',
        },
      })),
    );

    expect((await routeCount(emulator, COMPOSITE)) - before).toBe(3);
    // No other call per batch: the events ride in the same composite request.
    expect(
      calls.filter((c) => c.operation !== 'POST oauth2/token').map((c) => c.operation),
    ).toEqual(['POST composite', 'POST composite', 'POST composite']);
    // One Co_Sell_Sync_Update__e per record, published with its batch (a hint: the record that
    // failed gets one too, and the component re-reads the record).
    const published = emulator.state.events.replay(
      '/event/Co_Sell_Sync_Update__e',
      -2,
      emulator.state.clock.now(),
    );
    const payloads = published.ok ? published.events.map((e) => e.data.payload) : [];
    expect(payloads).toHaveLength(450);
    expect(payloads[8]).toMatchObject({ Opportunity_Id__c: ids[8], Sync_Status__c: 'Synced' });
    expect(results).toHaveLength(450);
    expect(results.filter((r) => r.success)).toHaveLength(449);
    expect(results[7]).toMatchObject({ id: ids[7], success: false });
    expect(results[7]!.error).toMatch(/picklist|Bogus/i);
    const reader = createOpportunityReader({
      salesforce,
      countryField: 'Account.BillingCountry',
      logger: silentLogger,
    });
    const [eighth] = await reader.readOpportunities([ids[8]!]);
    expect(eighth).toMatchObject({ referralId: 'ref-8', syncStatus: 'Synced' });
  });

  it('R10/R17: writes audit events and upserts solutions by Solution_Id__c without duplicates', async () => {
    const [opportunityId] = await seedOpportunities(1);
    const writer = createSalesforceWriter({ salesforce, logger: silentLogger });
    const audit = await writer.writeAuditEvents([
      {
        opportunityId: opportunityId!,
        direction: 'Outbound',
        outcome: 'Success',
        message: 'Referral created',
        referralId: 'ref-1',
        apiCalls: 2,
        occurredAt: '2026-01-02T10:00:00.000Z',
      },
    ]);
    expect(audit[0]).toMatchObject({ success: true });
    const rows = await salesforce.run('read audit', async (conn) =>
      conn.query<{ Outcome__c: string; Api_Calls__c: number }>(
        `SELECT Outcome__c, Api_Calls__c FROM Co_Sell_Sync_Event__c WHERE Opportunity__c = '${opportunityId}'`,
      ),
    );
    expect(rows.records).toEqual([
      expect.objectContaining({ Outcome__c: 'Success', Api_Calls__c: 2 }),
    ]);

    const first = await writer.upsertSolutions([
      { solutionId: 'SOL-1', name: 'Contoso AI (renamed)' },
      { solutionId: 'SOL-2', name: 'Fabrikam Data' },
    ]);
    const again = await writer.upsertSolutions([{ solutionId: 'SOL-2', name: 'Fabrikam Data' }]);
    expect(first.map((r) => [r.success, r.created])).toEqual([
      [true, false],
      [true, true],
    ]);
    expect(again[0]).toMatchObject({ success: true, created: false });
    const solutions = await salesforce.run('read solutions', async (conn) =>
      conn.query<{ Solution_Id__c: string; Name: string }>(
        'SELECT Solution_Id__c, Name FROM Microsoft_Solution__c ORDER BY Solution_Id__c',
      ),
    );
    expect(solutions.records.map((r) => [r.Solution_Id__c, r.Name])).toEqual([
      ['SOL-1', 'Contoso AI (renamed)'],
      ['SOL-2', 'Fabrikam Data'],
    ]);
  });

  it('R2: with the permission set removed, reads fail with AccessDeniedError naming it', async () => {
    const ids = await seedOpportunities(1);
    await control(emulator, 'POST', '/permission-sets', {
      permissionSet: 'Co_Sell_Bridge_Integration',
      assigned: false,
    });
    const reader = createOpportunityReader({
      salesforce,
      countryField: 'Account.BillingCountry',
      logger: silentLogger,
    });

    const failure = await reader.readOpportunities(ids).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(AccessDeniedError);
    expect((failure as AccessDeniedError).missing).toContain('Co_Sell_Bridge_Integration');
    const report = await checkSchema({
      salesforce,
      countryField: 'Account.BillingCountry',
      logger: silentLogger,
    });
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.fix).join('\n')).toContain('Co_Sell_Bridge_Integration');
  });

  it('R3: selects CurrencyIsoCode only when the org is multi-currency', async () => {
    const [single] = await seedOpportunities(1);
    const singleReader = createOpportunityReader({
      salesforce,
      countryField: 'Account.BillingCountry',
      logger: silentLogger,
    });
    expect((await singleReader.readOpportunities([single!]))[0]?.currencyIsoCode).toBeNull();

    await control(emulator, 'POST', '/settings', { multiCurrency: true });
    const multi = await connectBridge(emulator);
    const [euro] = await seed(emulator, 'Opportunity', [
      {
        Name: 'Euro deal',
        StageName: 'Prospecting',
        CloseDate: '2026-06-30',
        Amount: 5,
        CurrencyIsoCode: 'EUR',
      },
    ]);
    const multiReader = createOpportunityReader({
      salesforce: multi,
      countryField: 'Account.BillingCountry',
      logger: silentLogger,
    });
    expect((await multiReader.readOpportunities([euro!]))[0]?.currencyIsoCode).toBe('EUR');
  });

  it('R6: the schema check passes for a deployed package with the permission set assigned', async () => {
    const report = await checkSchema({
      salesforce,
      countryField: 'Account.BillingCountry',
      logger: silentLogger,
    });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checkedObjects).toEqual(
      expect.arrayContaining(['Opportunity', 'Co_Sell_Solution__c', 'Microsoft_Solution__c']),
    );
  });

  it('R7: a wrong client secret fails sign-in with the exact fix', async () => {
    const failure = await connectBridge(emulator, { clientSecret: 'wrong' }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(AuthenticationError);
    expect((failure as Error).message).toContain('SALESFORCE_CLIENT_SECRET');
  });

  it('signs in with the JWT bearer flow (RS256 assertion built with node:crypto)', async () => {
    const jwt = createSalesforceConnection({
      loginUrl: emulator.url,
      apiVersion: API_VERSION,
      auth: {
        mode: 'jwt',
        clientId: 'emulator-client',
        username: 'bridge@cosell.example',
        privateKeyPem: emulator.jwtPrivateKeyPem(),
      },
      clientName: CLIENT_NAME,
      logger: silentLogger,
    });
    await jwt.authorize();
    const identity = await jwt.run('identity', async (conn) =>
      conn.query<{ Id: string }>('SELECT Id FROM User LIMIT 1'),
    );
    expect(identity.records).toHaveLength(1);
  });

  it('R13: an expired token is renewed by re-running the grant, and the refresh is signalled', async () => {
    const ids = await seedOpportunities(2);
    const reader = createOpportunityReader({
      salesforce,
      countryField: 'Account.BillingCountry',
      logger: silentLogger,
    });
    let refreshed = 0;
    salesforce.onTokenRefreshed(() => (refreshed += 1));
    const tokenBefore = salesforce.connection.accessToken;

    await control(emulator, 'POST', '/faults', { expireTokens: true });
    const snapshots = await reader.readOpportunities(ids);

    expect(snapshots).toHaveLength(2);
    expect(refreshed).toBe(1);
    expect(salesforce.connection.accessToken).not.toBe(tokenBefore);
    expect(calls.some((c) => c.operation === 'POST oauth2/token')).toBe(true);
  });

  it('R13: lists synced opportunities changed since a watermark, oldest first, across pages', async () => {
    const ids = await seedOpportunities(260);
    const reader = createOpportunityReader({
      salesforce,
      countryField: 'Account.BillingCountry',
      logger: silentLogger,
    });
    // Status Error lets sync go on without solutions (the validation rules allow it).
    const writer = createSalesforceWriter({ salesforce, logger: silentLogger });
    const synced = ids.slice(0, 250);
    await writer.writeBack(
      synced.map((id) => ({
        id,
        fields: { Sync_with_Partner_Center__c: true, Partner_Center_Sync_Status__c: 'Error' },
      })),
    );
    const pagesBefore = await routeCount(emulator, 'GET /services/data/vXX.X/query/{locator}');

    const all = await reader.listChangedSince(undefined, { pageSize: 200 });

    expect(all.map((r) => r.id).sort()).toEqual([...synced].sort());
    expect(
      (await routeCount(emulator, 'GET /services/data/vXX.X/query/{locator}')) - pagesBefore,
    ).toBe(1);
    const stamps = all.map((r) => Date.parse(r.systemModstamp));
    expect([...stamps].sort((a, b) => a - b)).toEqual(stamps);
    const future = await reader.listChangedSince(new Date(Date.now() + 3_600_000).toISOString());
    expect(future).toEqual([]);
  });
});
