// How the running bridge follows the admin's field mapping: applied once, unchanged records cost
// no describe, an invalid mapping keeps the last valid one and is checked again at the next poll
// (its fix may be a permission rather than a record).
import pino from 'pino';
import type { FieldMapRecord } from '../../src/mapping';
import type { SalesforceConnection } from '../../src/salesforce';
import { createFieldMapSource } from '../../src/sync/field-map-source';
import { shippedFieldMapRecords } from '../../../scripts/field-map-records';

const SIZE: FieldMapRecord = {
  DeveloperName: 'CustomerSize',
  Salesforce_Field__c: 'Opportunity.Customer_Size__c',
  Referral_Path__c: '/customerProfile/size',
  Direction__c: 'Both',
};

function fakeOrg() {
  const org = { granted: false, describes: 0, records: shippedFieldMapRecords() };
  const conn = {
    describe: async () => {
      org.describes += 1;
      return {
        fields: org.granted
          ? [{ name: 'Customer_Size__c', type: 'picklist', updateable: true, picklistValues: [] }]
          : [],
      };
    },
  };
  const salesforce = {
    run: (_op: string, work: (c: unknown) => Promise<unknown>) => work(conn),
  } as unknown as SalesforceConnection;
  return { org, salesforce };
}

const sourceOver = (salesforce: SalesforceConnection, read: () => Promise<FieldMapRecord[]>) =>
  createFieldMapSource({ salesforce, logger: pino({ level: 'silent' }), intervalMs: 60_000, read });

describe('field map source', () => {
  it('applies the records once and re-reads unchanged ones without describing', async () => {
    const { org, salesforce } = fakeOrg();
    const source = sourceOver(salesforce, async () => org.records);
    expect(await source.refresh()).toBe('applied');
    expect(await source.refresh()).toBe('unchanged');
    expect(org.describes).toBe(0);
    expect(source.rules()).toHaveLength(16);
  });

  it('keeps the last valid mapping while a record is invalid, and applies it once the field is granted', async () => {
    const { org, salesforce } = fakeOrg();
    const source = sourceOver(salesforce, async () => org.records);
    await source.refresh();
    org.records = [...org.records, SIZE];
    expect(await source.refresh()).toBe('invalid');
    expect(source.rules().some((r) => r.name === 'CustomerSize')).toBe(false);
    org.granted = true; // the admin assigns the permission set; no record changed
    expect(await source.refresh()).toBe('applied');
    expect(source.rules().some((r) => r.name === 'CustomerSize')).toBe(true);
  });

  it('keeps the current mapping when the records cannot be read', async () => {
    const { salesforce } = fakeOrg();
    const source = sourceOver(salesforce, async () => {
      throw new Error('INVALID_TYPE: sObject type Co_Sell_Field_Map__mdt is not supported');
    });
    expect(await source.refresh()).toBe('unreadable');
    expect(source.rules()).toHaveLength(16);
  });
});
