/**
 * Outbound mapping: OpportunitySnapshot → Partner Center create body, or → the desired state of
 * the fields Salesforce owns on an existing referral (which diffReferral turns into a JSON Patch).
 * Validation runs first; nothing is produced for an invalid opportunity.
 */
import {
  ASSISTANCE_REQUEST_CODES,
  type AssistanceRequestCode,
  type OpportunitySnapshot,
  REFERRAL_LIMITS,
  type Referral,
  type ReferralCreate,
} from '../schemas';
import { type ConversionRates, resolveReferralCurrency } from './currency';
import { type DealSettings, dealSettingsFor } from './deal-type';
import { toCountryCode } from './iso-codes';
import type { MappingResult, Problem, Warning } from './result';
import { decisionTarget } from './decision';
import { statusForStage, transitionProblem } from './status';
import { nonBlank, splitName, truncate } from './text';
import { validateForSubmit } from './validate';

/** The Customer Marketplace Intent attribute, required on create since FY25 (bulk-operations). */
export type MarketplaceIntent = 'Yes' | 'No' | 'HaveNotDecided';

export interface OutboundOptions {
  countryField?: string;
  conversionRates?: ConversionRates;
  /** Default HaveNotDecided, the value Microsoft's create sample uses. */
  marketplaceIntent?: MarketplaceIntent;
  /** Stage a referral Microsoft sent waits in; leaving it accepts (BRIDGE_INBOUND_HOLD_STAGE). */
  holdStage?: string;
}

/**
 * The desired value of every referral field Salesforce owns, keyed by JSON pointer. Flat so the
 * diff emits one operation per changed leaf and nothing else (R1: no needless calls).
 */
export type DesiredReferralState = Readonly<Record<string, unknown>>;

interface Common {
  name: string;
  dealValue: number;
  currency: string;
  closingDateTime: string;
  notes: string;
  solutions: { id: string; name?: string; type: 'Name' }[];
}

function commonFields(
  snapshot: OpportunitySnapshot,
  options: OutboundOptions,
): { ok: true; value: Common; warnings: Warning[] } | { ok: false; problems: Problem[] } {
  const problems = validateForSubmit(snapshot, options);
  const currency = resolveReferralCurrency(snapshot, options.conversionRates);
  if (
    problems.length > 0 ||
    !currency.ok ||
    currency.value.dealValue === null ||
    snapshot.closeDate === null
  ) {
    return { ok: false, problems };
  }
  const warnings: Warning[] = [];
  const name = truncated(snapshot.name.trim(), REFERRAL_LIMITS.name, 'Opportunity.Name', warnings);
  const notes = truncated(
    snapshot.description ?? '',
    REFERRAL_LIMITS.notes,
    'Opportunity.Description',
    warnings,
  );
  if (currency.value.converted) {
    warnings.push({
      code: 'currency-converted',
      field: 'Opportunity.Referral_Currency__c',
      message: `Amount ${snapshot.amount} ${currency.value.opportunityCurrency} sent as ${currency.value.dealValue} ${currency.value.currency}.`,
    });
  }
  return {
    ok: true,
    warnings,
    value: {
      name,
      dealValue: currency.value.dealValue,
      currency: currency.value.currency,
      closingDateTime: `${snapshot.closeDate}T00:00:00Z`,
      notes,
      solutions: solutionsOf(snapshot),
    },
  };
}

function truncated(value: string, max: number, field: string, warnings: Warning[]): string {
  const cut = truncate(value, max);
  if (cut.truncated) {
    warnings.push({
      code: 'truncated',
      field,
      message: `${field} is ${value.length} characters; Partner Center receives the first ${cut.text.length}.`,
    });
  }
  return cut.text;
}

function solutionsOf(snapshot: OpportunitySnapshot): Common['solutions'] {
  const seen = new Set<string>();
  const result: Common['solutions'] = [];
  for (const s of snapshot.solutions) {
    const id = nonBlank(s.solutionId);
    if (id === null || seen.has(id)) continue;
    seen.add(id);
    const name = nonBlank(s.name);
    result.push(name === null ? { id, type: 'Name' } : { id, name, type: 'Name' });
  }
  return result;
}

function cap(value: string | null | undefined, max: number): string | undefined {
  const text = nonBlank(value);
  return text === null ? undefined : truncate(text, max).text;
}

function consentFor(settings: DealSettings): ReferralCreate['consent'] {
  // Mirrors Microsoft's create sample: the customer consents to be contacted; only the Microsoft
  // sellers flag distinguishes a Private deal from a shared one.
  return {
    consentToToShareInfoWithOthers: true,
    consentToContact: true,
    consentToMicrosoftToContactSpecificPartners: true,
    consentToShareReferralWithMicrosoftSellers: settings.shareWithMicrosoftSellers,
  };
}

/** POST body for a new referral; `externalReferenceId` = opportunity id makes create idempotent. */
export function toReferralCreate(
  snapshot: OpportunitySnapshot,
  options: OutboundOptions = {},
): MappingResult<ReferralCreate> {
  const common = commonFields(snapshot, options);
  if (!common.ok) return { ok: false, problems: common.problems, warnings: [] };
  const { value, warnings } = common;
  // Validation guarantees an account with a valid country.
  const account = snapshot.account!;
  const settings = dealSettingsFor(snapshot);
  const contact = snapshot.customerContact;
  const contactEmail = nonBlank(contact?.email);
  const customerTeam: ReferralCreate['customerProfile']['team'] =
    contact && contactEmail
      ? [
          compact({
            firstName: cap(contact.firstName, REFERRAL_LIMITS.memberName) ?? '',
            lastName: cap(contact.lastName, REFERRAL_LIMITS.memberName) ?? '',
            email: truncate(contactEmail, REFERRAL_LIMITS.email).text,
            phoneNumber: cap(contact.phone, REFERRAL_LIMITS.phoneNumber),
          }),
        ]
      : [];
  const ownerEmail = nonBlank(snapshot.owner?.email);
  const ownerName = splitName(snapshot.owner?.name);
  const partnerTeam: ReferralCreate['team'] = ownerEmail
    ? [
        {
          firstName: truncate(ownerName.firstName, REFERRAL_LIMITS.memberName).text,
          lastName: truncate(ownerName.lastName, REFERRAL_LIMITS.memberName).text,
          email: ownerEmail,
        },
      ]
    : [];
  const body: ReferralCreate = {
    name: value.name,
    externalReferenceId: snapshot.id,
    type: settings.type,
    qualification: 'SalesQualified',
    customerProfile: {
      name: truncated(account.name.trim(), REFERRAL_LIMITS.customerName, 'Account.Name', warnings),
      address: compact({
        addressLine1: cap(account.street, REFERRAL_LIMITS.addressLine),
        city: cap(account.city, REFERRAL_LIMITS.city),
        state: cap(account.state, REFERRAL_LIMITS.state),
        postalCode: cap(account.postalCode, REFERRAL_LIMITS.postalCode),
        country: toCountryCode(account.country)!,
      }),
      team: customerTeam,
    },
    consent: consentFor(settings),
    details: {
      ...(value.notes === '' ? {} : { notes: value.notes }),
      dealValue: value.dealValue,
      currency: value.currency,
      closingDateTime: value.closingDateTime,
      requirements: {
        solutions: value.solutions,
        additionalRequirements: {
          attributes: [
            {
              id: options.marketplaceIntent ?? 'HaveNotDecided',
              type: 'CustomerMarketplaceIntent',
            },
          ],
        },
      },
    },
    team: partnerTeam,
    ...(isAssistanceRequestCode(settings.assistanceRequestCode)
      ? { inviteContext: { assistanceRequestCode: settings.assistanceRequestCode } }
      : {}),
    target: [],
  };
  return { ok: true, value: body, warnings };
}

/** Validation already refused unknown codes; this narrows the type for the create body. */
function isAssistanceRequestCode(code: string | null): code is AssistanceRequestCode {
  return code !== null && (ASSISTANCE_REQUEST_CODES as readonly string[]).includes(code);
}

/** Drops undefined properties so the body carries no `"key": undefined`. */
function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * What Salesforce wants the fields it owns to be on `current`. Applies the one-way rules (sharing
 * and help requests are never withdrawn) and the status table (Closed Won/Lost only; illegal moves
 * are a permanent problem). A closed referral is terminal, so nothing else is sent to it.
 */
export function desiredReferralState(
  snapshot: OpportunitySnapshot,
  current: Referral,
  options: OutboundOptions = {},
  settings: DealSettings = dealSettingsFor(snapshot),
): MappingResult<DesiredReferralState> {
  const common = commonFields(snapshot, options);
  if (!common.ok) return { ok: false, problems: common.problems, warnings: [] };
  const { value, warnings } = common;
  const desired: Record<string, unknown> = {
    '/externalReferenceId': snapshot.id,
    '/name': value.name,
    '/details/dealValue': value.dealValue,
    '/details/currency': value.currency,
    '/details/closingDateTime': value.closingDateTime,
    '/details/notes': value.notes,
    '/details/requirements/solutions': value.solutions,
    '/consent/consentToShareReferralWithMicrosoftSellers': settings.shareWithMicrosoftSellers,
  };
  if (settings.assistanceRequestCode !== null) {
    desired['/inviteContext/assistanceRequestCode'] = settings.assistanceRequestCode;
  }
  // A referral Microsoft sent that waits for an answer: the owner's decision (or leaving the
  // on-hold stage) comes first; otherwise only closing the opportunity moves the status.
  const decision = decisionTarget(snapshot, current, options.holdStage);
  if (decision.problem) return { ok: false, warnings, problems: [decision.problem] };
  const target = decision.target ?? statusForStage(snapshot);
  if (decision.target?.statusReason) desired['/statusReason'] = decision.target.statusReason;
  const from = { status: current.status ?? 'None', substatus: current.substatus ?? 'None' };
  if (target !== null && (target.status !== from.status || target.substatus !== from.substatus)) {
    const problem = transitionProblem(from, target);
    if (problem !== null) {
      return {
        ok: false,
        warnings,
        problems: [
          {
            code: 'illegal-transition',
            field: 'Opportunity.StageName',
            message: `Stage "${snapshot.stageName}" asks for Partner Center status ${target.status}/${target.substatus}, but ${problem}`,
            fix:
              from.status === 'Closed'
                ? `Set Stage back to match Partner Center (${from.substatus}), or turn off Sync with Partner Center for this opportunity; the bridge will not retry this change.`
                : 'Correct the Stage; the bridge will not retry this change.',
          },
        ],
      };
    }
    desired['/status'] = target.status;
    desired['/substatus'] = target.substatus;
  }
  return { ok: true, value: desired, warnings };
}
