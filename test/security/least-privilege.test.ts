/**
 * Issue 7, Salesforce side, proven at run time through the Salesforce emulator's field-level and
 * object security (it enforces the package's permission set XML; emulators/salesforce/README.md):
 *
 * - The integration user sees exactly the package fields and objects the bridge uses
 *   (SALESFORCE_FIELDS), can edit only the ones it writes, and nothing more. The static twin of
 *   this check over the XML lives in test/metadata; this one asks the org, through jsforce describe
 *   as that user, so a grant the emulator honours but the XML test misreads would still fail.
 * - A seller without the seller permission set cannot read the co-sell data the components show;
 *   with it, they can read it but cannot write what only the bridge writes.
 */
import type { Connection } from 'jsforce';
import { SALESFORCE_FIELDS } from '../../bridge/src/mapping/salesforce-fields';
import {
  connectAsUsername,
  startSalesforceEmulatorProcess,
  uniqueSuffix,
  type EmulatorProcess,
  type SalesforceControl,
} from '../support';

interface DescribedField {
  name: string;
  custom: boolean;
  updateable: boolean;
  createable: boolean;
}

// Custom objects and custom metadata types (the admin's field mapping, read by the bridge).
const isCustom = (name: string) => name.endsWith('__c') || name.endsWith('__mdt');
const allUsed = [...new Set([...SALESFORCE_FIELDS.read, ...SALESFORCE_FIELDS.written])];
const objectsUsed = [...new Set(allUsed.map((f) => f.split('.')[0] ?? ''))].sort();

describe('least privilege on the Salesforce side (through the emulator)', () => {
  let salesforce: EmulatorProcess<SalesforceControl>;
  let integration: Connection;

  beforeAll(async () => {
    salesforce = await startSalesforceEmulatorProcess();
    const users = await salesforce.control.users();
    integration = await connectAsUsername(
      salesforce.url,
      salesforce.control,
      users.integration.username,
    );
  }, 60_000);

  afterAll(async () => {
    await salesforce?.stop();
  });

  it('R2: the integration user can see exactly the custom objects the bridge uses', async () => {
    const global = await integration.describeGlobal();
    const visibleCustom = global.sobjects
      .filter((o) => o.custom && o.queryable)
      .map((o) => o.name)
      .sort();
    expect(visibleCustom).toEqual(objectsUsed.filter(isCustom));
  });

  it.each(objectsUsed)(
    'R2: %s — visible custom fields = fields the bridge uses; editable ⊆ fields it writes',
    async (object) => {
      const describe = await integration.sobject(object).describe();
      const fields = describe.fields as unknown as DescribedField[];
      const visible = fields
        .filter((f) => f.custom)
        .map((f) => `${object}.${f.name}`)
        .sort();
      const used = allUsed.filter((f) => f.startsWith(`${object}.`) && isCustom(f)).sort();
      // Reads beyond use, and uses without a grant, both fail here.
      expect({ object, visible }).toEqual({ object, visible: used });
      const written = new Set<string>(SALESFORCE_FIELDS.written);
      const editableBeyondWrites = fields
        .filter((f) => f.custom && (f.updateable || f.createable))
        .map((f) => `${object}.${f.name}`)
        .filter((f) => !written.has(f));
      expect(editableBeyondWrites).toEqual([]);
    },
  );

  it('the check can fail: what describe shows comes from the permission set (unassigned → no package field)', async () => {
    const users = await salesforce.control.users();
    await salesforce.control.setPermissionSet(
      'Co_Sell_Bridge_Integration',
      false,
      users.integration.username,
    );
    try {
      const describe = await integration.sobject('Opportunity').describe();
      expect(describe.fields.filter((f) => f.custom).map((f) => f.name)).toEqual([]);
    } finally {
      await salesforce.control.setPermissionSet(
        'Co_Sell_Bridge_Integration',
        true,
        users.integration.username,
      );
    }
  });

  describe('a seller without the seller permission set', () => {
    let username: string;
    let seller: Connection;
    let opportunityId: string;

    beforeAll(async () => {
      username = `seller.${uniqueSuffix()}@cosell.example`;
      const userId = await salesforce.control.createRecord(
        'User',
        { Username: username, LastName: 'Newhire', Email: username, Alias: 'newhire' },
        'admin@cosell.example',
      );
      seller = await connectAsUsername(salesforce.url, salesforce.control, username);
      const accountId = await salesforce.control.createRecord('Account', {
        Name: `Fabrikam ${uniqueSuffix()}`,
        BillingCountry: 'US',
      });
      opportunityId = await salesforce.control.createRecord('Opportunity', {
        Name: 'Co-sell deal',
        AccountId: accountId,
        StageName: 'Qualification',
        CloseDate: '2030-01-01',
        Partner_Center_Sync_Status__c: 'Synced',
        // Opportunity is Private in the emulated org: the seller sees the deals they own.
        OwnerId: userId,
      });
    }, 60_000);

    it('R2: cannot read the sync fields, the audit or the solutions; standard fields still work', async () => {
      await expect(
        seller.query(
          `SELECT Id, Partner_Center_Sync_Status__c FROM Opportunity WHERE Id = '${opportunityId}'`,
        ),
      ).rejects.toMatchObject({ errorCode: 'INVALID_FIELD' });
      for (const object of [
        'Co_Sell_Sync_Event__c',
        'Microsoft_Solution__c',
        'Co_Sell_Solution__c',
      ]) {
        await expect(seller.query(`SELECT Id FROM ${object}`)).rejects.toMatchObject({
          errorCode: 'INVALID_TYPE',
        });
      }
      const describe = await seller.sobject('Opportunity').describe();
      expect(describe.fields.filter((f) => f.custom).map((f) => f.name)).toEqual([]);
      const own = await seller.query(
        `SELECT Id, Name FROM Opportunity WHERE Id = '${opportunityId}'`,
      );
      expect(own.totalSize).toBe(1);
    });

    it('R2/R10: with Co_Sell_Seller it reads the co-sell data but cannot write what only the bridge writes', async () => {
      await salesforce.control.setPermissionSet('Co_Sell_Seller', true, username);
      const result = await seller.query<{ Partner_Center_Sync_Status__c: string }>(
        `SELECT Id, Partner_Center_Sync_Status__c FROM Opportunity WHERE Id = '${opportunityId}'`,
      );
      expect(result.records[0]?.Partner_Center_Sync_Status__c).toBe('Synced');
      await expect(seller.query('SELECT Id FROM Co_Sell_Sync_Event__c')).resolves.toBeDefined();
      const update = await seller
        .sobject('Opportunity')
        .update({ Id: opportunityId, Partner_Center_Referral_Id__c: 'forged-referral' })
        .catch((error: unknown) => error);
      expect(JSON.stringify(update)).toMatch(/INVALID_FIELD_FOR_INSERT_UPDATE|INVALID_FIELD/);
    });
  });
});
