import { diffSolutions, suggestReferralCurrency } from 'c/coSellDetailsModel';

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
});
