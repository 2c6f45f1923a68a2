/**
 * Binds the pure mapping functions (mapping/) to the options of this deployment, giving the engine
 * the few decisions it needs. Mapping returns problems instead of throwing; only a create body
 * that fails after validation passed (a mapping bug) becomes an error.
 */
import { PermanentError } from '../errors';
import {
  type ConversionRates,
  type NewRecords,
  type Problem,
  type SalesforceUserRef,
  type Warning,
  DEFAULT_REFERRAL_LINK_BASE,
  describeProblems,
  fromReferral,
  planReferralUpdate,
  referralToNewRecords,
  closeDateWarnings,
  toReferralCreate,
  validateForSubmit,
} from '../mapping';
import type { JsonPatchOperation, OpportunitySnapshot, Referral, ReferralCreate } from '../schemas';

export interface NewRecordsContext {
  users: readonly SalesforceUserRef[];
  orgCurrency: string | null;
  multiCurrency: boolean;
  now: Date;
}

/** The mapping decisions the engine needs; createSyncMapping builds it from mapping/. */
export interface SyncMapping {
  validateForSubmit(snapshot: OpportunitySnapshot): readonly Problem[];
  /**
   * The create body and what the seller should know about it (text cut to Partner Center's
   * limits, a converted currency, a Close Date in the past): audited and shown on the record.
   */
  toReferralCreate(
    snapshot: OpportunitySnapshot,
    today: string,
  ): { body: ReferralCreate; warnings: readonly Warning[] };
  /**
   * The minimal JSON Patch from the referral as we last saw it to what the opportunity says now
   * (empty = nothing to send, R1), or the problem that forbids it (illegal status transition).
   */
  planUpdate(
    current: Referral,
    snapshot: OpportunitySnapshot,
  ): {
    operations: JsonPatchOperation[];
    problems: readonly Problem[];
    warnings: readonly Warning[];
  };
  /** Opportunity field updates for a referral change, per the field-ownership table (R4, R18). */
  planInbound(
    referral: Referral,
    snapshot: OpportunitySnapshot,
  ): { updates: Record<string, unknown>; warnings: readonly Warning[] };
  /** R18: account/contact/opportunity for a referral that has no CRM id yet. */
  newRecords(referral: Referral, context: NewRecordsContext): NewRecords;
  /** Deep link to the referral in Partner Center, for Partner_Center_Referral_Link__c. */
  referralLink(referral: Referral): string | null;
}

export interface MappingOptions {
  /** BRIDGE_COUNTRY_FIELD, e.g. Account.BillingCountry. */
  countryField: string;
  conversionRates?: ConversionRates;
  referralLinkBase?: string;
  /** BRIDGE_INBOUND_HOLD_STAGE: a referral Microsoft sent waits here; leaving it accepts. */
  holdStage?: string;
}

function currencyFacts(snapshot: OpportunitySnapshot) {
  // CurrencyIsoCode is read only in multi-currency orgs, so its presence says which kind it is.
  return { orgCurrency: snapshot.orgCurrency, multiCurrency: snapshot.currencyIsoCode !== null };
}

export function createSyncMapping(options: MappingOptions): SyncMapping {
  const outbound = {
    countryField: options.countryField,
    conversionRates: options.conversionRates,
    holdStage: options.holdStage,
  };
  const linkBase = options.referralLinkBase ?? DEFAULT_REFERRAL_LINK_BASE;
  return {
    validateForSubmit: (snapshot) => validateForSubmit(snapshot, outbound),
    toReferralCreate(snapshot, today) {
      const result = toReferralCreate(snapshot, outbound);
      if (!result.ok) {
        throw new PermanentError(describeProblems(result.problems), 'bridge', 'mapping');
      }
      return {
        body: result.value,
        warnings: [...result.warnings, ...closeDateWarnings(snapshot, today)],
      };
    },
    planUpdate(current, snapshot) {
      const result = planReferralUpdate(current, snapshot, outbound);
      return result.ok
        ? { operations: result.value.patch, problems: [], warnings: result.warnings }
        : { operations: [], problems: result.problems, warnings: result.warnings };
    },
    planInbound: (referral, snapshot) =>
      fromReferral(referral, snapshot, {
        ...currencyFacts(snapshot),
        conversionRates: options.conversionRates,
        referralLinkBase: linkBase,
      }),
    newRecords: (referral, context) =>
      referralToNewRecords(referral, {
        ...context,
        ...(options.holdStage ? { openStage: options.holdStage } : {}),
        conversionRates: options.conversionRates,
        referralLinkBase: linkBase,
      }),
    referralLink: (referral) => linkBase + encodeURIComponent(referral.id),
  };
}
