import type { FieldIssue } from './api-error';
import { SALES_STAGES, SOLUTION_CATEGORY_IDS, SOLUTION_TYPES } from './solution-categories';
import { pairProblem } from './transitions';

/** `inviteContext.assistanceRequestCode` values (PowerPlatformConnectors swagger enum). */
export const ASSISTANCE_REQUEST_CODES = [
  'Unknown',
  'GeneralOrOther',
  'CustomerTechnicalArchitecture',
  'ProofOfConceptOrDemo',
  'QuotesOrLicensing',
  'PostSalesCustomerSuccess',
  'WorkloadSpecificValueProposition',
] as const;

const TYPES = ['Independent', 'Shared'];
const QUALIFICATIONS = ['None', 'Direct', 'MarketingQualified', 'SalesQualified'];
const REGION_NAMES = new Intl.DisplayNames(['en'], { type: 'region' });
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export interface ValidationContext {
  /** The partner's co-sell-ready solution ids (`SOL-…`). */
  solutionIds: ReadonlySet<string>;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const asObject = (v: unknown): Json => (isObject(v) ? v : {});
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * Codes ICU knows that ISO 3166-1 only reserves (EU, UN, AC, …) or CLDR invented (QO); XK
 * (Kosovo) stays valid because Microsoft's own country lists carry it.
 */
const NOT_ASSIGNED = new Set([
  'AC',
  'CP',
  'DG',
  'EA',
  'EU',
  'EZ',
  'FX',
  'IC',
  'QO',
  'TA',
  'UN',
  'ZZ',
]);

/**
 * ISO 3166-1 alpha-2: ICU has a display name for every assigned code and echoes unknown ones;
 * retired or aliased codes (UK, SU, YU) canonicalise to another region and are refused.
 */
export function isCountryCode(value: unknown): boolean {
  return (
    typeof value === 'string' &&
    /^[A-Z]{2}$/.test(value) &&
    !NOT_ASSIGNED.has(value) &&
    REGION_NAMES.of(value) !== value &&
    Intl.getCanonicalLocales(`und-${value}`)[0] === `und-${value}`
  );
}

export function isCurrencyCode(value: unknown): boolean {
  return typeof value === 'string' && CURRENCIES.has(value);
}

/** True when the partner asks Microsoft for help, which makes it a co-sell referral. */
export function helpRequested(referral: Json): boolean {
  const code = asObject(referral.inviteContext).assistanceRequestCode;
  return typeof code === 'string' && code !== '' && code !== 'Unknown';
}

/** The partner's own co-sell solutions a referral names (Category solutions are not theirs). */
export function solutionIdsOf(referral: Json): string[] {
  const fromRequirements = requirementSolutions(referral)
    .filter((s) => s.type !== 'Category')
    .map((s) => s.id)
    .filter((id): id is string => typeof id === 'string');
  const fromTargets = asArray(referral.target)
    .map(asObject)
    .filter((t) => t.type === 'SolutionProfile')
    .map((t) => t.id)
    .filter((id): id is string => typeof id === 'string');
  return [...fromRequirements, ...fromTargets];
}

function requirementSolutions(referral: Json): Json[] {
  return asArray(asObject(asObject(referral.details).requirements).solutions).map(asObject);
}

/**
 * Create-a-referral validation: required `type`, `customerProfile`, `consent`, `details`;
 * two-letter ISO country; ISO 4217 currency; solution ids among the co-sell-ready ones; a
 * solution and a customer contact when Microsoft's help is requested. Pure: returns every issue.
 */
export function validateReferral(referral: Json, context: ValidationContext): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const add = (target: string, message: string) => issues.push({ target, message });

  for (const field of ['type', 'customerProfile', 'consent', 'details']) {
    if (referral[field] === undefined || referral[field] === null) {
      add(field, `The ${field} field is required.`);
    }
  }
  if (referral.type !== undefined && !TYPES.includes(referral.type as string)) {
    add('type', `Type '${String(referral.type)}' is not valid; expected Independent or Shared.`);
  }
  if (
    referral.qualification !== undefined &&
    !QUALIFICATIONS.includes(referral.qualification as string)
  ) {
    add(
      'qualification',
      `Qualification '${String(referral.qualification)}' is not valid; expected one of ${QUALIFICATIONS.join(', ')}.`,
    );
  }
  for (const field of ['customerProfile', 'consent', 'details']) {
    if (referral[field] !== undefined && referral[field] !== null && !isObject(referral[field])) {
      add(field, `The ${field} field must be an object.`);
    }
  }

  const profile = asObject(referral.customerProfile);
  if (isObject(referral.customerProfile)) {
    if (typeof profile.name !== 'string' || profile.name.trim() === '') {
      add('customerProfile.name', 'The customer name is required.');
    }
    const country = asObject(profile.address).country;
    if (country === undefined || country === null || country === '') {
      add(
        'customerProfile.address.country',
        'The customer country is required as a two-letter ISO 3166-1 code.',
      );
    } else if (!isCountryCode(country)) {
      add(
        'customerProfile.address.country',
        `Country '${String(country)}' is not a valid two-letter ISO 3166-1 alpha-2 code.`,
      );
    }
  }
  asArray(profile.team).forEach((member, i) => {
    const email = asObject(member).email;
    if (
      email !== undefined &&
      (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
    ) {
      add(
        `customerProfile.team[${i}].email`,
        `Email '${String(email)}' is not a valid email address.`,
      );
    }
  });

  for (const [key, value] of Object.entries(asObject(referral.consent))) {
    if (typeof value !== 'boolean')
      add(`consent.${key}`, `Consent flag ${key} must be true or false.`);
  }

  const details = asObject(referral.details);
  if (details.dealValue !== undefined && details.dealValue !== null) {
    if (
      typeof details.dealValue !== 'number' ||
      !Number.isFinite(details.dealValue) ||
      details.dealValue < 0
    ) {
      add('details.dealValue', 'The deal value must be a non-negative number.');
    }
  }
  if (
    details.currency !== undefined &&
    details.currency !== null &&
    !isCurrencyCode(details.currency)
  ) {
    add('details.currency', `Currency '${String(details.currency)}' is not a valid ISO 4217 code.`);
  }
  if (details.closingDateTime !== undefined && details.closingDateTime !== null) {
    if (
      typeof details.closingDateTime !== 'string' ||
      Number.isNaN(Date.parse(details.closingDateTime))
    ) {
      add('details.closingDateTime', 'The closing date must be an ISO 8601 date-time.');
    }
  }

  if (
    referral.salesStage !== undefined &&
    referral.salesStage !== null &&
    !(SALES_STAGES as readonly unknown[]).includes(referral.salesStage)
  ) {
    add(
      'salesStage',
      `Sales stage '${String(referral.salesStage)}' is not valid; expected one of ${SALES_STAGES.join(', ')}.`,
    );
  }
  requirementSolutions(referral).forEach((solution, i) => {
    const target = `details.requirements.solutions[${i}]`;
    if (solution.type === undefined || solution.type === null) return;
    if (!(SOLUTION_TYPES as readonly unknown[]).includes(solution.type)) {
      add(
        `${target}.type`,
        `Solution type '${String(solution.type)}' is not valid; expected one of ${SOLUTION_TYPES.join(', ')}.`,
      );
    } else if (solution.type === 'Category' && !SOLUTION_CATEGORY_IDS.has(String(solution.id))) {
      add(
        `${target}.id`,
        `'${String(solution.id)}' is not a predefined solution category id (e.g. Dynamics365forFieldService).`,
      );
    }
  });
  const solutions = solutionIdsOf(referral);
  for (const id of solutions) {
    if (!context.solutionIds.has(id)) {
      add(
        'details.requirements.solutions',
        `Solution '${id}' is not one of the partner's co-sell ready solutions.`,
      );
    }
  }

  const invite = asObject(referral.inviteContext);
  const code = invite.assistanceRequestCode;
  if (
    code !== undefined &&
    code !== null &&
    !(ASSISTANCE_REQUEST_CODES as readonly unknown[]).includes(code)
  ) {
    add(
      'inviteContext.assistanceRequestCode',
      `Assistance request code '${String(code)}' is not valid; expected one of ${ASSISTANCE_REQUEST_CODES.join(', ')}.`,
    );
  }
  const sharesWithMicrosoft =
    asObject(referral.consent).consentToShareReferralWithMicrosoftSellers === true;
  if ((helpRequested(referral) || sharesWithMicrosoft) && solutions.length === 0) {
    add(
      'details.requirements.solutions',
      'At least one co-sell ready solution is required to share a referral with Microsoft.',
    );
  }
  if (helpRequested(referral)) {
    const contacts = asArray(profile.team)
      .map(asObject)
      .filter((m) => typeof m.email === 'string' && m.email !== '');
    if (contacts.length === 0) {
      add(
        'customerProfile.team',
        'A customer contact (customerProfile.team with an email) is required when help from Microsoft is requested.',
      );
    }
  }

  if (referral.status !== undefined || referral.substatus !== undefined) {
    const problem = pairProblem(referral.status, referral.substatus);
    if (problem) add('status', problem);
  }
  return issues;
}

/**
 * ASP.NET binds a JSON string such as `"10000"` to a decimal (the patch-a-referral sample sends
 * dealValue that way), so numeric strings become numbers before validation.
 */
export function coerceDealValue(referral: Json): void {
  const details = referral.details;
  if (!isObject(details) || typeof details.dealValue !== 'string') return;
  const trimmed = details.dealValue.trim();
  if (trimmed !== '' && Number.isFinite(Number(trimmed))) details.dealValue = Number(trimmed);
}
