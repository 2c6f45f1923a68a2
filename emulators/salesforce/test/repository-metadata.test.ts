import { startSalesforceEmulator } from '../src';
import { connect } from './helpers';

describe("salesforce emulator: the repository's force-app", () => {
  it('loads by default and exposes the contract objects, fields and CDC channels', async () => {
    const emu = await startSalesforceEmulator();
    try {
      const conn = await connect(emu);
      const opp = await conn.sobject('Opportunity').describe();
      const names = opp.fields.map((f) => f.name);
      expect(names).toEqual(
        expect.arrayContaining([
          'Sync_with_Partner_Center__c',
          'Partner_Center_Referral_Id__c',
          'Co_Sell_Solution_Count__c',
        ]),
      );
      expect(opp.childRelationships.map((c) => c.relationshipName)).toContain(
        'Co_Sell_Solutions__r',
      );
      const solution = await conn.sobject('Microsoft_Solution__c').describe();
      expect(solution.fields.map((f) => f.name)).toContain('Solution_Id__c');
      expect(emu.state.org.schema.object('Co_Sell_Solution__c')?.cdcEnabled).toBe(true);
      expect(emu.state.org.schema.object('Opportunity')?.cdcEnabled).toBe(true);
    } finally {
      await emu.stop();
    }
  });
});
