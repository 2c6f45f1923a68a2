/**
 * Pure readiness checklist for "Sync with Partner Center" (R11, R16, R17).
 *
 * Each requirement mirrors one Opportunity validation rule (ruleName) and gives the same fix
 * text as that rule's error message, so the seller reads the same words before saving (here)
 * and after (the rule) — a metadata test holds the two together.
 */

export const DEFAULT_COUNTRY_FIELD = 'Account.BillingCountry';

const ISO_ALPHA2 = /^[A-Z]{2}$/;

/** True for an ISO 3166-1 alpha-2 shaped code such as "US" or "SE" (upper case, two letters). */
export function isIsoCountryCode(value) {
  return typeof value === 'string' && ISO_ALPHA2.test(value);
}

/**
 * Human label of the configured country field: "Account.BillingCountry" → "Billing Country".
 * The bridge's BRIDGE_COUNTRY_FIELD may name another Account field; its words are split on case.
 */
export function countryFieldLabel(countryField = DEFAULT_COUNTRY_FIELD) {
  const fieldName = String(countryField).split('.').pop() || '';
  return fieldName
    .replace(/__c$/, '')
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .trim();
}

function isBlank(value) {
  return value === undefined || value === null || value === '';
}

/**
 * The requirements, in the order a seller would work through them.
 * `check(facts)` returns true when met; `applies(facts)` (optional) says whether it matters.
 */
export const READINESS_REQUIREMENTS = Object.freeze([
  {
    id: 'solution',
    ruleName: 'Co_Sell_Requires_Solution',
    label: 'At least one Microsoft co-sell solution',
    check: (facts) => Number(facts.solutionCount) > 0,
    fix: () =>
      'Add at least one Microsoft co-sell solution (Co-Sell Details, Solutions) before turning on Sync with Partner Center.',
  },
  {
    id: 'account',
    ruleName: 'Co_Sell_Requires_Account',
    label: 'Customer account',
    check: (facts) => !isBlank(facts.accountId),
    fix: () => 'Set the Account (the customer) before turning on Sync with Partner Center.',
  },
  {
    id: 'country',
    ruleName: 'Co_Sell_Requires_Account_Country',
    label: 'Account country as a two-letter ISO code',
    applies: (facts) => !isBlank(facts.accountId),
    check: (facts) => isIsoCountryCode(facts.accountCountry),
    fix: (options) =>
      `Set the account's ${countryFieldLabel(options.countryField)} to its two-letter ISO code (for example US, DE or SE) before turning on Sync with Partner Center.`,
  },
  {
    id: 'contact',
    ruleName: 'Co_Sell_Requires_Customer_Contact',
    label: 'Customer contact (Microsoft help requested)',
    applies: (facts) => !isBlank(facts.helpNeeded),
    check: (facts) => !isBlank(facts.customerContactId),
    fix: () =>
      'Choose a Co-Sell Customer Contact: Microsoft needs one when How Can Microsoft Help is set. Or clear How Can Microsoft Help.',
  },
  {
    id: 'amount',
    ruleName: 'Co_Sell_Requires_Amount',
    label: 'Amount greater than 0',
    check: (facts) => !isBlank(facts.amount) && Number(facts.amount) > 0,
    fix: () => 'Enter an Amount greater than 0: it is sent to Partner Center as the deal value.',
  },
  {
    id: 'closeDate',
    ruleName: 'Co_Sell_Requires_Close_Date',
    label: 'Close date',
    check: (facts) => !isBlank(facts.closeDate),
    fix: () => 'Enter a Close Date: it is sent to Partner Center as the closing date.',
  },
]);

/**
 * Computes the checklist for one opportunity.
 * @param {{solutionCount?: number, accountId?: string, accountCountry?: string, helpNeeded?: string,
 *          customerContactId?: string, amount?: number, closeDate?: string}} facts
 * @param {{countryField?: string}} [options] the country field the bridge is configured with
 * @returns {{ready: boolean, items: Array<{id: string, label: string, met: boolean, fix: string|undefined}>}}
 *   Items that do not apply (no account yet, no help requested) are left out.
 */
export function computeReadiness(facts = {}, options = {}) {
  const items = READINESS_REQUIREMENTS.filter(
    (requirement) => !requirement.applies || requirement.applies(facts),
  ).map((requirement) => {
    const met = requirement.check(facts);
    return {
      id: requirement.id,
      label: requirement.label,
      met,
      fix: met ? undefined : requirement.fix(options),
    };
  });
  return { ready: items.every((item) => item.met), items };
}
