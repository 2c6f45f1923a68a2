/**
 * Pre-submit validation (R11, R16, R17, R3/R12): everything Partner Center would reject, caught
 * before any call, each with a message the seller can act on. Pure: the same checks back the
 * `doctor` command and the record page readiness checklist.
 */
import { ASSISTANCE_REQUEST_CODES, type OpportunitySnapshot } from '../schemas';
import { type ConversionRates, MAX_DEAL_VALUE, resolveReferralCurrency } from './currency';
import { suggestCountryCode, toCountryCode } from './iso-codes';
import type { Problem, Warning } from './result';
import { DEFAULT_COUNTRY_FIELD } from './salesforce-fields';
import { fieldLabel, isEmail, nonBlank } from './text';

export interface ValidationOptions {
  /** BRIDGE_COUNTRY_FIELD, e.g. 'Account.BillingCountry'. */
  countryField?: string;
  conversionRates?: ConversionRates;
}

/** Codes a seller may pick; `Unknown` exists in the API but means "no real request". */
export const HELP_CODES: readonly string[] = ASSISTANCE_REQUEST_CODES.filter(
  (c) => c !== 'Unknown',
);

/** True when the seller asked Microsoft for help (co-sell). Blank/Unknown = no help. */
export function helpRequested(snapshot: Pick<OpportunitySnapshot, 'helpNeeded'>): boolean {
  const code = nonBlank(snapshot.helpNeeded);
  return code !== null && code !== 'Unknown';
}

export function validateForSubmit(
  snapshot: OpportunitySnapshot,
  options: ValidationOptions = {},
): Problem[] {
  const countryField = options.countryField ?? DEFAULT_COUNTRY_FIELD;
  return [
    ...checkName(snapshot),
    ...checkAccount(snapshot, countryField),
    ...checkSolutions(snapshot),
    ...checkHelpAndContact(snapshot),
    ...checkAmount(snapshot),
    ...checkCloseDate(snapshot),
    ...checkCurrency(snapshot, options.conversionRates),
  ];
}

function checkName(snapshot: OpportunitySnapshot): Problem[] {
  if (nonBlank(snapshot.name) !== null) return [];
  return [
    {
      code: 'name-missing',
      field: 'Opportunity.Name',
      message: 'The opportunity has no name.',
      fix: 'Enter an Opportunity Name; it becomes the deal name in Partner Center.',
    },
  ];
}

function checkAccount(snapshot: OpportunitySnapshot, countryField: string): Problem[] {
  const account = snapshot.account;
  if (account === null) {
    return [
      {
        code: 'account-missing',
        field: 'Opportunity.AccountId',
        message: 'The opportunity has no customer account.',
        fix: 'Set Account Name on the opportunity to the customer account.',
      },
    ];
  }
  const problems: Problem[] = [];
  if (nonBlank(account.name) === null) {
    problems.push({
      code: 'account-name-missing',
      field: 'Account.Name',
      message: 'The customer account has no name; Partner Center needs the customer name.',
      fix: `Enter an Account Name on account ${account.id}.`,
    });
  }
  const label = fieldLabel(countryField);
  const fix = `Set ${label} to the two-letter ISO code (e.g. US, SE) on account "${account.name}".`;
  const raw = nonBlank(account.country);
  if (raw === null) {
    problems.push({
      code: 'country-missing',
      field: countryField,
      message: `The customer account "${account.name}" has no country: ${label} is empty.`,
      fix,
    });
  } else if (toCountryCode(raw) === null) {
    const suggestion = suggestCountryCode(raw);
    problems.push({
      code: 'country-invalid',
      field: countryField,
      message: `${label} "${raw}" on account "${account.name}" is not a two-letter ISO 3166-1 country code.`,
      fix: suggestion ? `Set ${label} to ${suggestion} (the ISO code for ${raw}).` : fix,
    });
  }
  return problems;
}

function checkSolutions(snapshot: OpportunitySnapshot): Problem[] {
  if (snapshot.solutions.some((s) => nonBlank(s.solutionId) !== null)) return [];
  return [
    {
      code: 'solution-missing',
      field: 'Co_Sell_Solution__c',
      message:
        'No co-sell-ready Microsoft solution is attached to the opportunity; Partner Center requires one.',
      fix: 'Add at least one solution in the Co-Sell Solutions related list (admins import the list with `cosell solutions import <csv>`).',
    },
  ];
}

function checkHelpAndContact(snapshot: OpportunitySnapshot): Problem[] {
  const code = nonBlank(snapshot.helpNeeded);
  if (code === null || code === 'Unknown') return [];
  const problems: Problem[] = [];
  if (!HELP_CODES.includes(code)) {
    problems.push({
      code: 'help-code-invalid',
      field: 'Opportunity.Co_Sell_Help_Needed__c',
      message: `How Can Microsoft Help "${code}" is not a value Partner Center accepts.`,
      fix: `Choose one of: ${HELP_CODES.join(', ')} — or clear the field if no help is needed.`,
    });
  }
  const contact = snapshot.customerContact;
  if (contact === null) {
    problems.push({
      code: 'contact-missing',
      field: 'Opportunity.Co_Sell_Customer_Contact__c',
      message: 'Help from Microsoft is requested but no customer contact is set.',
      fix: 'Set Co-Sell Customer Contact to the customer person Microsoft should talk to (with an email address), or clear How Can Microsoft Help.',
    });
  } else if (!isEmail(contact.email)) {
    const who = [contact.firstName, contact.lastName].filter(Boolean).join(' ') || contact.id;
    problems.push({
      code: 'contact-email-missing',
      field: 'Contact.Email',
      message: `Help from Microsoft is requested but the customer contact ${who} has no valid email address.`,
      fix: `Enter a valid Email on contact ${who}.`,
    });
  }
  return problems;
}

function checkAmount(snapshot: OpportunitySnapshot): Problem[] {
  const amount = snapshot.amount;
  if (amount === null) {
    return [
      {
        code: 'amount-missing',
        field: 'Opportunity.Amount',
        message: 'The opportunity has no amount; Partner Center needs a deal value.',
        fix: 'Enter the expected deal value in Amount.',
      },
    ];
  }
  if (!Number.isFinite(amount) || amount <= 0 || amount > MAX_DEAL_VALUE) {
    return [
      {
        code: 'amount-invalid',
        field: 'Opportunity.Amount',
        message: `Amount ${String(amount)} is not a deal value Partner Center accepts (it must be greater than 0 and at most ${MAX_DEAL_VALUE.toFixed(2)}).`,
        fix: 'Enter a positive Amount.',
      },
    ];
  }
  return [];
}

function checkCloseDate(snapshot: OpportunitySnapshot): Problem[] {
  const closeDate = snapshot.closeDate;
  if (closeDate === null) {
    return [
      {
        code: 'close-date-missing',
        field: 'Opportunity.CloseDate',
        message: 'The opportunity has no close date; Partner Center needs a closing date.',
        fix: 'Enter the expected Close Date.',
      },
    ];
  }
  if (!isCalendarDate(closeDate)) {
    return [
      {
        code: 'close-date-invalid',
        field: 'Opportunity.CloseDate',
        message: `Close Date "${closeDate}" is not a valid calendar date.`,
        fix: 'Enter a real Close Date (YYYY-MM-DD) between 1900 and 9999.',
      },
    ];
  }
  return [];
}

/** A real YYYY-MM-DD date (no 2023-02-30) in the range Salesforce date fields allow. */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1900 || year > 9999) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

function checkCurrency(
  snapshot: OpportunitySnapshot,
  rates: ConversionRates | undefined,
): Problem[] {
  const resolved = resolveReferralCurrency(snapshot, rates);
  return resolved.ok ? [] : [resolved.problem];
}

/**
 * A Close Date already past when the deal is sent is legal but almost always a stale forecast:
 * Partner Center shows the referral as overdue to Microsoft's sellers. Warned, not refused.
 */
export function closeDateWarnings(snapshot: OpportunitySnapshot, today: string): Warning[] {
  const closeDate = snapshot.closeDate;
  if (closeDate === null || !isCalendarDate(closeDate) || closeDate >= today) return [];
  return [
    {
      code: 'close-date-past',
      field: 'Opportunity.CloseDate',
      message: `Close Date ${closeDate} is in the past; Partner Center shows the referral as overdue until the Close Date is moved.`,
    },
  ];
}
