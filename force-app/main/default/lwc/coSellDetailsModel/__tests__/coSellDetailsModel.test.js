import { buildSaveMutation, diffSolutions, suggestReferralCurrency } from 'c/coSellDetailsModel';

const NAMES = {
  opportunity: 'Opportunity',
  junction: 'Co_Sell_Solution__c',
  junctionOpportunity: 'Opportunity__c',
  junctionSolution: 'Microsoft_Solution__c',
};

const ALLOWED = ['USD', 'EUR', 'SEK'];

describe('c-co-sell-details-model', () => {
  describe('suggestReferralCurrency', () => {
    it('R3: keeps a stored referral currency', () => {
      expect(
        suggestReferralCurrency({
          stored: 'EUR',
          opportunityCurrency: 'SEK',
          userCurrency: 'USD',
          allowed: ALLOWED,
        }),
      ).toEqual({ value: 'EUR', source: 'stored' });
    });

    it('R3: prefers the opportunity currency in a multi-currency org', () => {
      expect(
        suggestReferralCurrency({
          opportunityCurrency: 'SEK',
          userCurrency: 'USD',
          allowed: ALLOWED,
        }),
      ).toEqual({ value: 'SEK', source: 'opportunity' });
    });

    it('R3: falls back to the user currency in a single-currency org', () => {
      expect(suggestReferralCurrency({ userCurrency: 'USD', allowed: ALLOWED })).toEqual({
        value: 'USD',
        source: 'user',
      });
    });

    it('R3: suggests nothing Partner Center would not accept', () => {
      expect(
        suggestReferralCurrency({
          opportunityCurrency: 'XAU',
          userCurrency: 'XBT',
          allowed: ALLOWED,
        }),
      ).toEqual({ value: undefined, source: 'none' });
    });
  });

  describe('diffSolutions', () => {
    const rows = [
      { id: 'a0B1', solutionId: 'a0A1' },
      { id: 'a0B2', solutionId: 'a0A2' },
    ];

    it('R17: links newly picked solutions and unlinks dropped ones', () => {
      expect(diffSolutions(rows, ['a0A2', 'a0A3'])).toEqual({
        toCreate: ['a0A3'],
        toDelete: ['a0B1'],
      });
    });

    it('changes nothing when the pick matches the rows', () => {
      expect(diffSolutions(rows, ['a0A1', 'a0A2'])).toEqual({ toCreate: [], toDelete: [] });
    });

    it('removes duplicate rows for one solution', () => {
      expect(
        diffSolutions([...rows, { id: 'a0B3', solutionId: 'a0A1' }], ['a0A1', 'a0A2']),
      ).toEqual({ toCreate: [], toDelete: ['a0B3'] });
    });
  });

  describe('buildSaveMutation', () => {
    it('R17: saves links, fields and unlinks in one all-or-none mutation, in that order', () => {
      const mutation = buildSaveMutation({
        recordId: '006000000000001AAA',
        fieldChanges: {
          Co_Sell_Help_Needed__c: 'GeneralOrOther',
          Co_Sell_Customer_Contact__c: null,
        },
        toCreate: ['a0A000000000002AAA', 'a0A000000000003AAA'],
        toDelete: ['a0B000000000001AAA'],
        names: NAMES,
      });
      expect(mutation).toContain('uiapi(input: { allOrNone: true })');
      const lines = mutation.split('\n').filter((line) => line.includes('('));
      expect(lines.slice(1).map((line) => line.trim().split(':')[0])).toEqual([
        'link0',
        'link1',
        'opportunity',
        'unlink0',
      ]);
      expect(mutation).toContain(
        'link1: Co_Sell_Solution__cCreate(input: { Co_Sell_Solution__c: { Opportunity__c: "006000000000001AAA", Microsoft_Solution__c: "a0A000000000003AAA" } }) { Record { Id } }',
      );
      expect(mutation).toContain(
        'opportunity: OpportunityUpdate(input: { Id: "006000000000001AAA", Opportunity: { Co_Sell_Help_Needed__c: "GeneralOrOther", Co_Sell_Customer_Contact__c: null } }) { success }',
      );
      expect(mutation).toContain(
        'unlink0: Co_Sell_Solution__cDelete(input: { Id: "a0B000000000001AAA" }) { Id }',
      );
    });

    it('quotes values so one cannot break out of its string', () => {
      const mutation = buildSaveMutation({
        recordId: '006000000000001AAA',
        fieldChanges: { Referral_Currency__c: 'U"SD' },
        toCreate: [],
        toDelete: [],
        names: NAMES,
      });
      expect(mutation).toContain('Referral_Currency__c: "U\\"SD"');
      expect(mutation).not.toContain('link0');
      expect(mutation).not.toContain('unlink0');
    });

    it('has nothing to save for an unchanged form', () => {
      expect(
        buildSaveMutation({
          recordId: '006000000000001AAA',
          fieldChanges: {},
          toCreate: [],
          toDelete: [],
          names: NAMES,
        }),
      ).toBeUndefined();
    });
  });
});
