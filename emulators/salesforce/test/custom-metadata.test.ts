// Custom metadata types as Salesforce serves them: records deployed with the package are read
// with SOQL by a user whose permission set grants the type, never written through the data API.
import { resolve } from 'node:path';
import type { Connection } from 'jsforce';
import { connect, emulatorForFile, restAs } from './helpers';

const FORCE_APP = resolve(__dirname, '../../../force-app');

describe('salesforce emulator: custom metadata records (Co_Sell_Field_Map__mdt)', () => {
  const emu = emulatorForFile({ forceAppDir: FORCE_APP });
  let conn: Connection;
  beforeEach(async () => {
    conn = await connect(emu);
  });

  it('serves the deployed records to SOQL with typed values and stable ids', async () => {
    const soql =
      'SELECT Id, DeveloperName, MasterLabel, Salesforce_Field__c, Direction__c, Sort_Order__c, Value_Map__c FROM Co_Sell_Field_Map__mdt';
    const first = await conn.query<Record<string, unknown>>(soql);
    const amount = first.records.find((r) => r.DeveloperName === 'DealValue');
    expect(amount).toMatchObject({
      MasterLabel: 'Deal value',
      Salesforce_Field__c: 'Opportunity.Amount',
      Direction__c: 'Both',
      Sort_Order__c: 30,
      Value_Map__c: null,
    });
    expect(String(amount?.Id)).toMatch(/^m00/);
    const again = await conn.query<Record<string, unknown>>(soql);
    expect(again.records.map((r) => r.Id).sort()).toEqual(first.records.map((r) => r.Id).sort());
  });

  it('refuses to create or change a record through the REST API', async () => {
    const rest = restAs(emu, () => conn);
    const res = await rest('/sobjects/Co_Sell_Field_Map__mdt', {
      method: 'POST',
      body: JSON.stringify({ Direction__c: 'Both' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual([
      {
        errorCode: 'INVALID_TYPE_FOR_OPERATION',
        message: 'entity type cannot be inserted: Co_Sell_Field_Map__mdt',
      },
    ]);
  });
});
