// The engine's mapping with an admin's field mapping (Co_Sell_Field_Map__mdt): a custom field
// travels out on create and update and comes back in, through its value map; a narrowed
// built-in row stops its field; the shipped mapping changes nothing (the existing suites).
import { fieldMapFromRecords, SHIPPED_FIELD_MAP, type FieldMapRecord } from '../../src/mapping';
import { createSyncMapping } from '../../src/sync';
import { referral, snapshot } from '../mapping/fixtures';
import { shippedFieldMapRecords } from '../../../scripts/field-map-records';

const SIZE: FieldMapRecord = {
  DeveloperName: 'CustomerSize',
  Salesforce_Field__c: 'Opportunity.Customer_Size__c',
  Referral_Path__c: '/customerProfile/size',
  Direction__c: 'Both',
  Value_Map__c: 'Small=10to50employees\nMedium=50to1000employees',
};

const mappingWith = (records: FieldMapRecord[]) => {
  const { rules, problems } = fieldMapFromRecords(records);
  expect(problems).toEqual([]);
  return createSyncMapping({ countryField: 'Account.BillingCountry', fieldMap: () => rules });
};

describe('createSyncMapping with the admin field mapping', () => {
  const mapping = mappingWith([...shippedFieldMapRecords(), SIZE]);

  it('sends a mapped custom field in the create body, through its value map', () => {
    const { body } = mapping.toReferralCreate(
      snapshot({ mapped: { Customer_Size__c: 'Small' } }),
      '2020-01-01',
    );
    expect(body.customerProfile).toMatchObject({ size: '10to50employees' });
  });

  it('patches the referral when only the mapped field changed', () => {
    const current = referral({
      customerProfile: { ...referral().customerProfile, size: '10to50employees' },
    });
    const plan = mapping.planUpdate(current, snapshot({ mapped: { Customer_Size__c: 'Medium' } }));
    expect(plan.problems).toEqual([]);
    expect(plan.operations).toContainEqual({
      op: 'replace',
      path: '/customerProfile/size',
      value: '50to1000employees',
    });
    const same = mapping.planUpdate(current, snapshot({ mapped: { Customer_Size__c: 'Small' } }));
    expect(same.operations.filter((o) => o.path.startsWith('/customerProfile'))).toEqual([]);
  });

  it('writes the Partner Center value back into the Salesforce field', () => {
    const incoming = referral({
      customerProfile: { ...referral().customerProfile, size: '50to1000employees' },
    });
    const plan = mapping.planInbound(incoming, snapshot({ mapped: { Customer_Size__c: 'Small' } }));
    expect(plan.updates).toMatchObject({ Customer_Size__c: 'Medium' });
    expect(mapping.mappedTriggerFields?.()).toEqual(new Set(['Customer_Size__c']));
  });

  it('a built-in row narrowed to Outbound no longer writes its field inbound', () => {
    const narrowed = mappingWith(
      shippedFieldMapRecords().map((r) =>
        r.DeveloperName === 'Notes' ? { ...r, Direction__c: 'Outbound' } : r,
      ),
    );
    const incoming = referral({ details: { ...referral().details, notes: 'from Microsoft' } });
    const s = snapshot({ description: 'ours' });
    expect(
      createSyncMapping({ countryField: 'Account.BillingCountry' }).planInbound(incoming, s)
        .updates,
    ).toHaveProperty('Description', 'from Microsoft');
    expect(narrowed.planInbound(incoming, s).updates).not.toHaveProperty('Description');
  });

  it('the shipped records give the same decisions as no field map at all', () => {
    const shipped = createSyncMapping({
      countryField: 'Account.BillingCountry',
      fieldMap: () => SHIPPED_FIELD_MAP,
    });
    const plain = createSyncMapping({ countryField: 'Account.BillingCountry' });
    const s = snapshot({ amount: 1234, description: 'changed' });
    expect(shipped.planUpdate(referral(), s)).toEqual(plain.planUpdate(referral(), s));
    expect(shipped.planInbound(referral(), s)).toEqual(plain.planInbound(referral(), s));
  });
});
