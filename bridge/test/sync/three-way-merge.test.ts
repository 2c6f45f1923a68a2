import fc from 'fast-check';
import { changedInPartnerCenter } from '../../src/sync/three-way-merge';

/**
 * The three-way merge decides, per field, whose edit survives. `planned`: fields where the new
 * referral differs from Salesforce; `fromLastSynced`: fields where the last synced referral
 * differs from Salesforce (what the seller changed since).
 */
describe('changedInPartnerCenter (three-way merge, inbound side)', () => {
  it('keeps a field only Partner Center changed', () => {
    expect(changedInPartnerCenter({ Description: 'theirs' }, { Amount: 1 })).toEqual({
      Description: 'theirs',
    });
  });

  it('drops a field only the seller changed (the referral still holds the old value)', () => {
    expect(changedInPartnerCenter({ Amount: 100 }, { Amount: 100 })).toEqual({});
  });

  it('a field both changed goes to the newer side', () => {
    expect(changedInPartnerCenter({ Description: 'theirs' }, { Description: 'base' })).toEqual({
      Description: 'theirs',
    });
    expect(
      changedInPartnerCenter(
        { Description: 'theirs' },
        { Description: 'base' },
        { salesforceIsNewer: true },
      ),
    ).toEqual({});
  });

  it('with nothing synced before, everything that differs is applied', () => {
    expect(changedInPartnerCenter({ Amount: 5, Description: 'x' }, null)).toEqual({
      Amount: 5,
      Description: 'x',
    });
  });

  it('property: never writes a field the seller changed and Partner Center did not, never drops one only Partner Center changed', () => {
    const field = fc.constantFrom('Amount', 'CloseDate', 'Description', 'Partner_Center_Status__c');
    const value = fc.oneof(fc.integer(), fc.string(), fc.constant(null));
    fc.assert(
      fc.property(
        fc.dictionary(field, value),
        fc.dictionary(field, value),
        fc.boolean(),
        (planned, fromLastSynced, salesforceIsNewer) => {
          const result = changedInPartnerCenter(planned, fromLastSynced, { salesforceIsNewer });
          for (const [name, v] of Object.entries(planned)) {
            const sellerOnly = name in fromLastSynced && Object.is(fromLastSynced[name], v);
            const partnerCenterOnly = !(name in fromLastSynced);
            if (sellerOnly) expect(result).not.toHaveProperty(name);
            if (partnerCenterOnly) expect(result[name]).toBe(v);
          }
          for (const name of Object.keys(result)) expect(planned).toHaveProperty(name);
        },
      ),
    );
  });
});
