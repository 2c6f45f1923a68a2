import { readOpportunitySyncState, type SalesforceConnection } from '../../src/salesforce';
import { connectBridge, control, type Emulator, seed, startEmulator } from './emulator-harness';

describe('readOpportunitySyncState (cosell explain) against the emulator', () => {
  let emulator: Emulator;
  let salesforce: SalesforceConnection;

  beforeAll(async () => {
    emulator = await startEmulator();
    await control(emulator, 'POST', '/reset', {});
    salesforce = await connectBridge(emulator);
  });
  afterAll(async () => {
    await emulator.stop();
  });

  it('R10: reads the sync toggle, status, message and last sync the seller sees', async () => {
    const [id] = await seed(emulator, 'Opportunity', [
      {
        Name: 'Contoso migration',
        StageName: 'Prospecting',
        CloseDate: '2026-12-31',
        Partner_Center_Sync_Status__c: 'Error',
        Partner_Center_Sync_Message__c: 'Add a co-sell solution.',
      },
    ]);
    expect(await readOpportunitySyncState(salesforce, id!)).toEqual({
      opportunityId: id,
      name: 'Contoso migration',
      syncEnabled: false,
      syncStatus: 'Error',
      syncMessage: 'Add a co-sell solution.',
      lastSynced: null,
      referralId: null,
    });
  });

  it('null for an id no opportunity has, and for text that is not a record id (no query sent)', async () => {
    expect(await readOpportunitySyncState(salesforce, '006000000000000AAA')).toBeNull();
    expect(await readOpportunitySyncState(salesforce, "f0851267' OR Name != '")).toBeNull();
  });
});
