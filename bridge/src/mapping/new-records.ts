/**
 * Pure, R18: the Account, Contact and Opportunity a referral created in Partner Center (no CRM id
 * yet) becomes. The opportunity's fields are the inbound mapping's (`fromReferral`) plus the
 * defaults a new opportunity needs.
 */
import type { Referral, ReferralMember } from '../schemas';
import { fromReferral, type InboundOptions, type OpportunityFieldUpdates } from './from-referral';
import { toCountryCode } from './iso-codes';
import type { Warning } from './result';
import { type SalesforceUserRef, type TeamMatch, matchTeam } from './team';
import { isEmail, nonBlank, truncate } from './text';

export interface NewRecords {
  /** Find-or-create key: the bridge links an existing Account with the same name + country. */
  account: {
    name: string;
    country: string | null;
    street: string | null;
    city: string | null;
    state: string | null;
    postalCode: string | null;
  };
  /** The customer contact from customerProfile.team, or null when the referral has none. */
  contact: {
    firstName: string | null;
    lastName: string;
    email: string | null;
    phone: string | null;
  } | null;
  /** Opportunity fields (API names); AccountId, OwnerId and Co_Sell_Customer_Contact__c are set by the caller. */
  opportunity: OpportunityFieldUpdates;
  team: TeamMatch;
  /** Solution_Id__c values to link through Co_Sell_Solution__c. */
  solutionIds: string[];
  warnings: Warning[];
}

export interface NewRecordOptions extends InboundOptions {
  users: readonly SalesforceUserRef[];
  /** Passed in (never read from the clock): the default close date is 90 days from here. */
  now: Date;
  /** Stage for a new open opportunity (default "Prospecting"). */
  openStage?: string;
}

/** R18: the Account, Contact and Opportunity a Partner-Center-created referral becomes. */
export function referralToNewRecords(referral: Referral, options: NewRecordOptions): NewRecords {
  const { updates: opportunity, warnings } = fromReferral(referral, null, options);
  if (opportunity.StageName === undefined)
    opportunity.StageName = options.openStage ?? 'Prospecting';
  if (opportunity.CloseDate === undefined) {
    opportunity.CloseDate = new Date(options.now.getTime() + 90 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    warnings.push({
      code: 'invalid-inbound-value',
      field: 'Opportunity.CloseDate',
      message: 'The referral has no closing date; Close Date set to 90 days from today.',
    });
  }
  const profile = referral.customerProfile;
  const address = profile?.address;
  const rawCountry = nonBlank(address?.country);
  const country = toCountryCode(rawCountry);
  if (rawCountry !== null && country === null) {
    warnings.push({
      code: 'invalid-inbound-value',
      field: 'Account.BillingCountry',
      message: `Partner Center country "${rawCountry}" is not an ISO 3166-1 alpha-2 code; the account's country is left empty.`,
    });
  }
  const team = matchTeam(referral.team, options.users);
  if (team.unmatched.length > 0) {
    warnings.push({
      code: 'team-member-unmatched',
      field: 'Opportunity.OwnerId',
      message: `${team.unmatched.length} Partner Center team member(s) are not Salesforce users: ${team.unmatched
        .map((m) => m.email ?? [m.firstName, m.lastName].filter(Boolean).join(' '))
        .join(', ')}.`,
    });
  }
  const solutionIds = [
    ...new Set(
      (referral.details?.requirements?.solutions ?? [])
        .map((s) => nonBlank(s.id))
        .filter((id): id is string => id !== null),
    ),
  ];
  return {
    account: {
      name: truncate(nonBlank(profile?.name) ?? `Partner Center customer ${referral.id}`, 255).text,
      country,
      street:
        [nonBlank(address?.addressLine1), nonBlank(address?.addressLine2)]
          .filter(Boolean)
          .join('\n') || null,
      city: nonBlank(address?.city),
      state: nonBlank(address?.state),
      postalCode: nonBlank(address?.postalCode),
    },
    contact: contactFrom(profile?.team ?? []),
    opportunity,
    team,
    solutionIds,
    warnings,
  };
}

function contactFrom(members: readonly ReferralMember[]): NewRecords['contact'] {
  const member = members.find((m) => isEmail(m.email)) ?? members[0];
  if (!member) return null;
  const email = isEmail(member.email) ? member.email.trim() : null;
  const lastName =
    nonBlank(member.lastName) ?? nonBlank(member.firstName) ?? email?.split('@')[0] ?? null;
  if (lastName === null) return null;
  return {
    firstName: nonBlank(member.lastName) === null ? null : nonBlank(member.firstName),
    lastName: truncate(lastName, 80).text,
    email,
    phone: nonBlank(member.phoneNumber),
  };
}

/** Normalised key for matching an existing Account by name + country ("configurable" in sync/). */
export function accountMatchKey(name: string, country: string | null): string {
  const folded = name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
  return `${folded}|${(country ?? '').toUpperCase()}`;
}
