import { inboundReadinessProblems } from '../../src/mapping';

const complete = {
  account: {
    name: 'Fabrikam',
    country: 'SE',
    street: null,
    city: null,
    state: null,
    postalCode: null,
  },
  contact: null,
  opportunity: { Amount: 50_000, CloseDate: '2027-01-31' },
  solutionIds: ['SOL-1'],
};

describe('inboundReadinessProblems (R11/R18)', () => {
  it('finds nothing missing in a referral that carries what the validation rules need', () => {
    expect(inboundReadinessProblems(complete)).toEqual([]);
  });

  it('names each missing item the rules need, as the fix a seller reads', () => {
    const problems = inboundReadinessProblems({
      account: { ...complete.account, country: 'Sweden' },
      contact: null,
      opportunity: { Amount: 0, Co_Sell_Help_Needed__c: 'ProofOfConceptOrDemo' },
      solutionIds: [],
    });
    expect(problems).toEqual([
      expect.stringMatching(/co-sell solution/),
      expect.stringMatching(/two-letter ISO code/),
      expect.stringMatching(/Amount greater than 0/),
      expect.stringMatching(/Close Date/),
      expect.stringMatching(/Customer Contact/),
    ]);
  });

  it('reads the country as the rule does: two capital letters of a code that exists', () => {
    for (const country of ['se', 'XX', 'SWE', null]) {
      expect(
        inboundReadinessProblems({ ...complete, account: { ...complete.account, country } }),
      ).toEqual([expect.stringMatching(/two-letter ISO code/)]);
    }
  });
});
