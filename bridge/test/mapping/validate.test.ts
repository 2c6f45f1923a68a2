import { resolveReferralCurrency } from '../../src/mapping/currency';
import { validateForSubmit } from '../../src/mapping';
import { snapshot } from './fixtures';

const codes = (s: Parameters<typeof validateForSubmit>[0], options = {}) =>
  validateForSubmit(s, options).map((p) => p.code);

describe('validateForSubmit', () => {
  it('accepts a complete co-sell opportunity', () => {
    expect(validateForSubmit(snapshot({ helpNeeded: 'ProofOfConceptOrDemo' }))).toEqual([]);
  });

  it('R17: refuses an opportunity without a co-sell-ready solution and says where to add one', () => {
    const problems = validateForSubmit(snapshot({ solutions: [] }));
    expect(problems).toEqual([
      expect.objectContaining({ code: 'solution-missing', field: 'Co_Sell_Solution__c' }),
    ]);
    expect(problems[0]!.fix).toContain('Co-Sell Solutions related list');
    expect(codes(snapshot({ solutions: [{ solutionId: '  ', name: 'blank id' }] }))).toEqual([
      'solution-missing',
    ]);
  });

  it('R16: a missing country names the configured field and the two-letter fix', () => {
    const problems = validateForSubmit(
      snapshot({ account: { ...snapshot().account!, country: null } }),
    );
    expect(problems).toEqual([
      {
        code: 'country-missing',
        field: 'Account.BillingCountry',
        message:
          'The customer account "Contoso Ltd" has no country: Account Billing Country is empty.',
        fix: 'Set Account Billing Country to the two-letter ISO code (e.g. US, SE) on account "Contoso Ltd".',
      },
    ]);
  });

  it('R16: a country name is refused with the exact code to type, using a custom country field', () => {
    const problems = validateForSubmit(
      snapshot({ account: { ...snapshot().account!, country: 'Sweden' } }),
      {
        countryField: 'Account.Country_Code__c',
      },
    );
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'country-invalid',
        field: 'Account.Country_Code__c',
        message:
          'Account Country Code "Sweden" on account "Contoso Ltd" is not a two-letter ISO 3166-1 country code.',
        fix: 'Set Account Country Code to SE (the ISO code for Sweden).',
      }),
    ]);
  });

  it('R16: checks the real ISO 3166-1 list, not just the shape', () => {
    expect(codes(snapshot({ account: { ...snapshot().account!, country: 'EU' } }))).toEqual([
      'country-invalid',
    ]);
    // Kosovo: user-assigned in ISO terms, but on Microsoft's country lists.
    expect(codes(snapshot({ account: { ...snapshot().account!, country: 'XK' } }))).toEqual([]);
    expect(codes(snapshot({ account: { ...snapshot().account!, country: 'UK' } }))).toEqual([
      'country-invalid',
    ]);
    expect(codes(snapshot({ account: { ...snapshot().account!, country: ' gb ' } }))).toEqual([]);
  });

  it('R11: requires a customer contact with an email when Microsoft help is requested', () => {
    expect(codes(snapshot({ helpNeeded: 'QuotesOrLicensing', customerContact: null }))).toEqual([
      'contact-missing',
    ]);
    const noEmail = snapshot({
      helpNeeded: 'QuotesOrLicensing',
      customerContact: { ...snapshot().customerContact!, email: null },
    });
    expect(validateForSubmit(noEmail)).toEqual([
      expect.objectContaining({
        code: 'contact-email-missing',
        fix: 'Enter a valid Email on contact Chris Customer.',
      }),
    ]);
    // No help requested: a contact is optional.
    expect(codes(snapshot({ helpNeeded: null, customerContact: null }))).toEqual([]);
  });

  it('R11: a blank customer account name is caught alongside a bad country', () => {
    const account = { ...snapshot().account!, name: '  ', country: 'Narnia' };
    expect(codes(snapshot({ account }))).toEqual(['account-name-missing', 'country-invalid']);
  });

  it('R11: rejects an unknown help code', () => {
    expect(codes(snapshot({ helpNeeded: 'PleaseCallMe' }))).toEqual(['help-code-invalid']);
  });

  it('R11: requires a positive amount and a real close date', () => {
    expect(codes(snapshot({ amount: null }))).toEqual(['amount-missing']);
    expect(codes(snapshot({ amount: 0 }))).toEqual(['amount-invalid']);
    expect(codes(snapshot({ amount: -5 }))).toEqual(['amount-invalid']);
    expect(codes(snapshot({ amount: Number.POSITIVE_INFINITY }))).toEqual(['amount-invalid']);
    expect(codes(snapshot({ amount: 1e20 }))).toEqual(['amount-invalid']);
    expect(codes(snapshot({ closeDate: null }))).toEqual(['close-date-missing']);
    expect(codes(snapshot({ closeDate: '2026-02-30' }))).toEqual(['close-date-invalid']);
    expect(codes(snapshot({ closeDate: '2028-02-29' }))).toEqual([]);
  });

  it('R3: refuses a referral currency that is not ISO 4217, or one a multi-currency org cannot convert to', () => {
    expect(codes(snapshot({ referralCurrency: 'XBT' }))).toEqual(['currency-invalid']);
    expect(codes(snapshot({ referralCurrency: null, orgCurrency: null }))).toEqual([
      'currency-missing',
    ]);
    const multi = { currencyIsoCode: 'USD', referralCurrency: 'EUR' };
    expect(codes(snapshot(multi))).toEqual(['currency-conversion-unavailable']);
    expect(codes(snapshot(multi), { conversionRates: { USD: 1, EUR: 0.9 } })).toEqual([]);
  });

  it('R3: in a single-currency org Referral Currency names the currency of the Amount: no rate is asked for', () => {
    expect(codes(snapshot({ currencyIsoCode: null, referralCurrency: 'EUR' }))).toEqual([]);
    expect(
      resolveReferralCurrency(
        snapshot({
          currencyIsoCode: null,
          orgCurrency: 'USD',
          referralCurrency: 'EUR',
          amount: 900,
        }),
      ),
    ).toEqual({
      ok: true,
      value: { currency: 'EUR', opportunityCurrency: 'EUR', dealValue: 900, converted: false },
    });
  });

  it('reports every problem at once, so the seller fixes them in one pass', () => {
    const bad = snapshot({
      name: ' ',
      account: null,
      solutions: [],
      helpNeeded: 'GeneralOrOther',
      customerContact: null,
      amount: null,
      closeDate: null,
    });
    expect(codes(bad)).toEqual([
      'name-missing',
      'account-missing',
      'solution-missing',
      'contact-missing',
      'amount-missing',
      'close-date-missing',
    ]);
  });
});
