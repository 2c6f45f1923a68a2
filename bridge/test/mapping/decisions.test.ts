import { decideInbound, outboundTriggerFields } from '../../src/mapping';
import { isOpportunityId } from '../../src/schemas';
import { referral } from './fixtures';

describe('decideInbound', () => {
  it('updates the opportunity that was found', () => {
    expect(decideInbound(referral(), '006000000000001AAA')).toEqual({
      action: 'update',
      opportunityId: '006000000000001AAA',
    });
  });

  it('R18: a referral without a CRM id creates or links records', () => {
    expect(decideInbound(referral({ externalReferenceId: null }), null)).toEqual({
      action: 'create',
    });
    expect(decideInbound(referral({ externalReferenceId: '  ' }), null)).toEqual({
      action: 'create',
    });
  });

  it('R12: ignores a referral whose CRM id is not in Salesforce, with the reason', () => {
    const missing = decideInbound(referral({ externalReferenceId: '006000000000099AAA' }), null);
    expect(missing).toEqual({
      action: 'ignore',
      reason: expect.stringContaining('no such opportunity exists'),
    });
    const foreign = decideInbound(referral({ externalReferenceId: 'DYN-365-42' }), null);
    expect(foreign).toEqual({
      action: 'ignore',
      reason: expect.stringContaining('not a Salesforce opportunity id'),
    });
  });

  it('recognises 15- and 18-character opportunity ids only', () => {
    expect(isOpportunityId('006000000000001')).toBe(true);
    expect(isOpportunityId('006000000000001AAA')).toBe(true);
    expect(isOpportunityId('001000000000001AAA')).toBe(false);
    expect(isOpportunityId('006000000000001AA')).toBe(false);
  });
});

describe('outboundTriggerFields', () => {
  it('R1: ignores Opportunity changes that touch no mapped field', () => {
    expect(outboundTriggerFields(['LastModifiedDate', 'Partner_Center_Sync_Status__c'])).toEqual(
      [],
    );
    expect(outboundTriggerFields(['LastModifiedDate', 'Amount'])).toEqual(['Amount']);
    expect(outboundTriggerFields(['Co_Sell_Solution_Count__c'])).toEqual([
      'Co_Sell_Solution_Count__c',
    ]);
    expect(outboundTriggerFields(['BillingAddress.City'])).toEqual([]);
  });
});
