import {
  computeReadiness,
  countryFieldLabel,
  countryFields,
  pickCountry,
  isIsoCountryCode,
  READINESS_REQUIREMENTS,
} from 'c/coSellReadiness';

const fs = require('fs');
const path = require('path');

const READY = Object.freeze({
  solutionCount: 1,
  accountId: '001000000000001AAA',
  accountCountry: 'SE',
  helpNeeded: '',
  customerContactId: null,
  amount: 50000,
  closeDate: '2026-12-31',
});

function unmet(facts, options) {
  return computeReadiness(facts, options)
    .items.filter((item) => !item.met)
    .map((item) => item.id);
}

describe('c-co-sell-readiness', () => {
  it('R11: a complete opportunity is ready and every item is met', () => {
    const result = computeReadiness(READY);
    expect(result.ready).toBe(true);
    expect(result.items.map((i) => i.id)).toEqual([
      'solution',
      'account',
      'country',
      'amount',
      'closeDate',
    ]);
    expect(result.items.every((i) => i.fix === undefined)).toBe(true);
  });

  it('R17: no co-sell solution is unmet with the fix', () => {
    const result = computeReadiness({ ...READY, solutionCount: 0 });
    expect(result.ready).toBe(false);
    expect(result.items.find((i) => i.id === 'solution').fix).toMatch(
      /Add at least one Microsoft co-sell solution/,
    );
  });

  it('R16: a missing or non-ISO country names the configured country field', () => {
    expect(unmet({ ...READY, accountCountry: '' })).toEqual(['country']);
    expect(unmet({ ...READY, accountCountry: 'Sweden' })).toEqual(['country']);
    expect(unmet({ ...READY, accountCountry: 'se' })).toEqual(['country']);
    const fix = computeReadiness(
      { ...READY, accountCountry: null },
      { countryField: 'Account.ShippingCountry' },
    ).items.find((i) => i.id === 'country').fix;
    expect(fix).toContain("account's Shipping Country");
  });

  it('R11: without an account only the account item shows, not the country', () => {
    expect(unmet({ ...READY, accountId: null, accountCountry: null })).toEqual(['account']);
  });

  it('R11: a customer contact is required only when Microsoft help is requested', () => {
    expect(unmet({ ...READY, helpNeeded: 'ProofOfConceptOrDemo' })).toEqual(['contact']);
    expect(
      unmet({
        ...READY,
        helpNeeded: 'ProofOfConceptOrDemo',
        customerContactId: '003000000000001AAA',
      }),
    ).toEqual([]);
    expect(computeReadiness(READY).items.some((i) => i.id === 'contact')).toBe(false);
  });

  it('R11: amount must be greater than zero and a close date present', () => {
    expect(unmet({ ...READY, amount: 0 })).toEqual(['amount']);
    expect(unmet({ ...READY, amount: null })).toEqual(['amount']);
    expect(unmet({ ...READY, amount: -5 })).toEqual(['amount']);
    expect(unmet({ ...READY, closeDate: null })).toEqual(['closeDate']);
  });

  it('reports every unmet item at once for an empty opportunity', () => {
    expect(unmet({})).toEqual(['solution', 'account', 'amount', 'closeDate']);
  });

  it('recognises ISO 3166-1 alpha-2 shaped codes only', () => {
    expect(isIsoCountryCode('US')).toBe(true);
    expect(isIsoCountryCode('USA')).toBe(false);
    expect(isIsoCountryCode('u s')).toBe(false);
    expect(isIsoCountryCode(undefined)).toBe(false);
  });

  it('R16: reads the ISO code twin first, so orgs with State and Country picklists work too', () => {
    expect(countryFields()).toEqual(['Account.BillingCountryCode', 'Account.BillingCountry']);
    expect(countryFields('Account.Country_ISO__c')).toEqual(['Account.Country_ISO__c']);
    // Picklists on: BillingCountry holds the name, BillingCountryCode the code.
    expect(unmet({ ...READY, accountCountry: pickCountry(['SE', 'Sweden']) })).toEqual([]);
    // Picklists off: no code field, the text field holds what the user typed.
    expect(pickCountry([undefined, 'SE'])).toBe('SE');
    expect(unmet({ ...READY, accountCountry: pickCountry([undefined, 'Sweden']) })).toEqual([
      'country',
    ]);
  });

  it('labels the country field from its API name', () => {
    expect(countryFieldLabel()).toBe('Billing Country');
    expect(countryFieldLabel('Account.Country_Code__c')).toBe('Country Code');
  });

  it('R11: has one checklist item for every Opportunity readiness rule', () => {
    const rulesDir = path.resolve(__dirname, '../../../objects/Opportunity/validationRules');
    // The decision rules (issue 19) guard the accept/decline answer, not readiness to sync.
    const ruleNames = fs
      .readdirSync(rulesDir)
      .filter((file) => file.startsWith('Co_Sell_Requires_'))
      .map((file) => file.replace('.validationRule-meta.xml', ''))
      .sort();
    expect(READINESS_REQUIREMENTS.map((r) => r.ruleName).sort()).toEqual(ruleNames);
  });

  it('R11: gives the same fix as the validation rule it mirrors, word for word', () => {
    const rulesDir = path.resolve(__dirname, '../../../objects/Opportunity/validationRules');
    for (const requirement of READINESS_REQUIREMENTS) {
      const xml = fs.readFileSync(
        path.join(rulesDir, `${requirement.ruleName}.validationRule-meta.xml`),
        'utf8',
      );
      const message = /<errorMessage>([^<]*)<\/errorMessage>/
        .exec(xml)[1]
        .replace(/&apos;/g, "'")
        .replace(/&amp;/g, '&');
      expect({ rule: requirement.ruleName, fix: requirement.fix({}) }).toEqual({
        rule: requirement.ruleName,
        fix: message,
      });
    }
  });
});
