import { isOpportunityId, isSalesforceId, toSalesforceId18 } from '../../src/schemas';

describe('Salesforce record ids: 15 → 18 characters', () => {
  it.each([
    // Worked examples of the published algorithm (CASESAFEID).
    ['a0D30000001n7Pi', 'a0D30000001n7PiEAI'],
    ['0019000000B98de', '0019000000B98deAAB'],
    ['006000000000000', '006000000000000AAA'],
    ['ABCDEABCDEABCDE', 'ABCDEABCDEABCDE555'],
  ])('%s → %s', (short, full) => {
    expect(toSalesforceId18(short)).toBe(full);
    // Already 18: unchanged.
    expect(toSalesforceId18(full)).toBe(full);
  });

  it('ids differing only in case get different suffixes (that is the point of the 18)', () => {
    expect(toSalesforceId18('001C000000o92OI')).not.toBe(toSalesforceId18('001c000000o92oi'));
    expect(toSalesforceId18('001C000000o92OI').toLowerCase()).not.toBe(
      toSalesforceId18('001c000000o92oi').toLowerCase(),
    );
  });

  it('leaves anything that is not a record id alone, and says so', () => {
    for (const other of ['#12', '12', 'nope', '7c3b1d2e-0000-4000-8000-000000000001', '']) {
      expect(toSalesforceId18(other)).toBe(other);
      expect(isSalesforceId(other)).toBe(false);
    }
    expect(isSalesforceId('a0D30000001n7Pi')).toBe(true);
    expect(isSalesforceId('a0D30000001n7PiEAI')).toBe(true);
  });

  it('tells an opportunity id by its key prefix 006, in either spelling', () => {
    expect(isOpportunityId('006000000000000')).toBe(true);
    expect(isOpportunityId('0065g000000000XAAQ')).toBe(true);
    expect(isOpportunityId('0019000000B98deAAB')).toBe(false); // an account
    expect(isOpportunityId('a0D30000001n7Pi')).toBe(false); // a custom object's record
    expect(isOpportunityId('006-not-an-id')).toBe(false);
  });
});
