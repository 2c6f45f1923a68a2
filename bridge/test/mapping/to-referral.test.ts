import { describeProblems, fingerprint, toReferralCreate } from '../../src/mapping';
import { ReferralCreateSchema } from '../../src/schemas';
import { createdBody, snapshot } from './fixtures';

function created(s = snapshot(), options = {}) {
  const result = toReferralCreate(s, options);
  if (!result.ok) throw new Error(describeProblems(result.problems));
  return result;
}

describe('toReferralCreate', () => {
  it('maps a Private deal to the documented create body', () => {
    const { value, warnings } = created();
    expect(ReferralCreateSchema.parse(value)).toEqual(value);
    expect(value).toEqual(createdBody());
    expect(warnings).toEqual([]);
  });

  it('maps the three deal types to type, consent and assistanceRequestCode', () => {
    const partnerLed = created(snapshot({ visibility: 'Shared with Microsoft sellers' })).value;
    expect(partnerLed.type).toBe('Independent');
    expect(partnerLed.consent.consentToShareReferralWithMicrosoftSellers).toBe(true);
    expect(partnerLed.inviteContext).toBeUndefined();

    // Co-sell: help requested implies sharing, even if Visibility still says Private.
    const coSell = created(
      snapshot({ helpNeeded: 'CustomerTechnicalArchitecture', visibility: 'Private' }),
    ).value;
    expect(coSell.type).toBe('Shared');
    expect(coSell.consent.consentToShareReferralWithMicrosoftSellers).toBe(true);
    expect(coSell.inviteContext).toEqual({
      assistanceRequestCode: 'CustomerTechnicalArchitecture',
    });

    const privateDeal = created(snapshot({ visibility: null })).value;
    expect(privateDeal.consent.consentToShareReferralWithMicrosoftSellers).toBe(false);
  });

  it('R11: produces no body, only problems, for an invalid opportunity', () => {
    const result = toReferralCreate(snapshot({ closeDate: null, solutions: [] }));
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems.map((p) => p.code)).toEqual([
        'solution-missing',
        'close-date-missing',
      ]);
  });

  it('R3: sends the amount in the referral currency, converted with the org rates', () => {
    const s = snapshot({
      amount: 1000,
      currencyIsoCode: 'SEK',
      orgCurrency: 'USD',
      referralCurrency: 'EUR',
    });
    const { value, warnings } = created(s, { conversionRates: { USD: 1, SEK: 10, EUR: 0.9 } });
    expect(value.details).toMatchObject({ dealValue: 90, currency: 'EUR' });
    expect(warnings.map((w) => w.code)).toEqual(['currency-converted']);
  });

  it('R3: single-currency org without a referral currency uses the org currency', () => {
    expect(
      created(snapshot({ referralCurrency: null, orgCurrency: 'SEK' })).value.details.currency,
    ).toBe('SEK');
    // Multi-currency org: the opportunity's own currency.
    const multi = snapshot({ referralCurrency: null, currencyIsoCode: 'EUR', orgCurrency: 'USD' });
    expect(created(multi).value.details.currency).toBe('EUR');
  });

  it('truncates an overlong name without splitting a character and says so', () => {
    const name = '🚀'.repeat(80); // 160 UTF-16 units
    const { value, warnings } = created(snapshot({ name }));
    expect(value.name).toBe('🚀'.repeat(50));
    expect(warnings).toEqual([
      expect.objectContaining({ code: 'truncated', field: 'Opportunity.Name' }),
    ]);
  });

  it('normalises a lower-case country and drops blank address parts', () => {
    const s = snapshot({
      account: { ...snapshot().account!, country: ' se', street: '  ', postalCode: null },
    });
    expect(created(s).value.customerProfile.address).toEqual({ city: 'Stockholm', country: 'SE' });
  });

  it('gives the same fingerprint for the same data and a different one when a field changes', () => {
    expect(fingerprint(created().value)).toBe(fingerprint(created().value));
    expect(fingerprint(created(snapshot({ amount: 50001 })).value)).not.toBe(
      fingerprint(created().value),
    );
  });
});
