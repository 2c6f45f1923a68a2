/**
 * Pure readiness checklist for "Sync with Partner Center" (R11, R16, R17).
 *
 * Each requirement mirrors one Opportunity validation rule (ruleName) and gives the same fix
 * text as that rule's error message, so the seller reads the same words before saving (here)
 * and after (the rule) — a test holds the two together. The texts are custom labels, so they
 * translate with the rest of the UI (translate the rules' messages alongside).
 */
import SOLUTION_LABEL from '@salesforce/label/c.CoSell_Ready_Solution_Label';
import SOLUTION_FIX from '@salesforce/label/c.CoSell_Ready_Solution_Fix';
import ACCOUNT_LABEL from '@salesforce/label/c.CoSell_Ready_Account_Label';
import ACCOUNT_FIX from '@salesforce/label/c.CoSell_Ready_Account_Fix';
import COUNTRY_LABEL from '@salesforce/label/c.CoSell_Ready_Country_Label';
import COUNTRY_FIX from '@salesforce/label/c.CoSell_Ready_Country_Fix';
import CONTACT_LABEL from '@salesforce/label/c.CoSell_Ready_Contact_Label';
import CONTACT_FIX from '@salesforce/label/c.CoSell_Ready_Contact_Fix';
import AMOUNT_LABEL from '@salesforce/label/c.CoSell_Ready_Amount_Label';
import AMOUNT_FIX from '@salesforce/label/c.CoSell_Ready_Amount_Fix';
import CLOSE_DATE_LABEL from '@salesforce/label/c.CoSell_Ready_Close_Date_Label';
import CLOSE_DATE_FIX from '@salesforce/label/c.CoSell_Ready_Close_Date_Fix';
import { formatLabel } from 'c/coSellText';

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

/**
 * The Account fields to read the country from, best first. With State and Country picklists
 * enabled, BillingCountry holds the country's name ("Sweden") and BillingCountryCode its ISO
 * code; without them only BillingCountry exists. So a "…Country" field is read together with
 * its "…CountryCode" twin (requested as optional: absent in orgs without the picklists).
 * @param {string} countryField e.g. "Account.BillingCountry"
 * @returns {string[]} e.g. ["Account.BillingCountryCode", "Account.BillingCountry"]
 */
export function countryFields(countryField = DEFAULT_COUNTRY_FIELD) {
  return /Country$/.test(countryField) ? [`${countryField}Code`, countryField] : [countryField];
}

/** The first non-blank of the values read for countryFields(), in the same order. */
export function pickCountry(values) {
  return values.find((value) => !isBlank(value));
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
    label: SOLUTION_LABEL,
    check: (facts) => Number(facts.solutionCount) > 0,
    fix: () => SOLUTION_FIX,
  },
  {
    id: 'account',
    ruleName: 'Co_Sell_Requires_Account',
    label: ACCOUNT_LABEL,
    check: (facts) => !isBlank(facts.accountId),
    fix: () => ACCOUNT_FIX,
  },
  {
    id: 'country',
    ruleName: 'Co_Sell_Requires_Account_Country',
    label: COUNTRY_LABEL,
    applies: (facts) => !isBlank(facts.accountId),
    check: (facts) => isIsoCountryCode(facts.accountCountry),
    fix: (options) => formatLabel(COUNTRY_FIX, countryFieldLabel(options.countryField)),
  },
  {
    id: 'contact',
    ruleName: 'Co_Sell_Requires_Customer_Contact',
    label: CONTACT_LABEL,
    applies: (facts) => !isBlank(facts.helpNeeded),
    check: (facts) => !isBlank(facts.customerContactId),
    fix: () => CONTACT_FIX,
  },
  {
    id: 'amount',
    ruleName: 'Co_Sell_Requires_Amount',
    label: AMOUNT_LABEL,
    check: (facts) => !isBlank(facts.amount) && Number(facts.amount) > 0,
    fix: () => AMOUNT_FIX,
  },
  {
    id: 'closeDate',
    ruleName: 'Co_Sell_Requires_Close_Date',
    label: CLOSE_DATE_LABEL,
    check: (facts) => !isBlank(facts.closeDate),
    fix: () => CLOSE_DATE_FIX,
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
