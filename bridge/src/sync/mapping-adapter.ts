/**
 * Binds the pure mapping functions (mapping/) to the options of this deployment, giving the engine
 * the few decisions it needs. Mapping returns problems instead of throwing; only a create body
 * that fails after validation passed (a mapping bug) becomes an error.
 */
import { PermanentError } from '../errors';
import {
  type ConversionRates,
  DEFAULT_REFERRAL_LINK_BASE,
  describeProblems,
  fromReferral,
  planReferralUpdate,
  referralToNewRecords,
  toReferralCreate,
  validateForSubmit,
} from '../mapping';
import type { OpportunitySnapshot } from '../schemas';
import type { SyncMapping } from './ports';

export interface MappingOptions {
  /** BRIDGE_COUNTRY_FIELD, e.g. Account.BillingCountry. */
  countryField: string;
  conversionRates?: ConversionRates;
  referralLinkBase?: string;
}

function currencyFacts(snapshot: OpportunitySnapshot) {
  // CurrencyIsoCode is read only in multi-currency orgs, so its presence says which kind it is.
  return { orgCurrency: snapshot.orgCurrency, multiCurrency: snapshot.currencyIsoCode !== null };
}

export function createSyncMapping(options: MappingOptions): SyncMapping {
  const outbound = { countryField: options.countryField, conversionRates: options.conversionRates };
  const linkBase = options.referralLinkBase ?? DEFAULT_REFERRAL_LINK_BASE;
  return {
    validateForSubmit: (snapshot) => validateForSubmit(snapshot, outbound),
    toReferralCreate(snapshot) {
      const result = toReferralCreate(snapshot, outbound);
      if (!result.ok) {
        throw new PermanentError(describeProblems(result.problems), 'bridge', 'mapping');
      }
      return result.value;
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
        conversionRates: options.conversionRates,
        referralLinkBase: linkBase,
      }),
    referralLink: (referral) => linkBase + encodeURIComponent(referral.id),
  };
}
