/**
 * R3: which currency the deal value is sent in, in single- and multi-currency orgs.
 *
 * - Referral_Currency__c set → that currency.
 * - Otherwise the opportunity's own currency: CurrencyIsoCode in a multi-currency org (the field
 *   exists only there), the org's corporate currency in a single-currency org.
 * In a single-currency org the Amount is in the Referral Currency: sent as is, never converted.
 * In a multi-currency org Amount is stored in CurrencyIsoCode, so when the referral currency
 * differs the amount is converted with the org's conversion rates (CurrencyType.ConversionRate: units per one
 * unit of corporate currency), which the caller reads and passes in. Without a rate we refuse
 * rather than send a wrong deal value.
 */
import type { OpportunitySnapshot } from '../schemas';
import type { Problem } from './result';
import { toCurrencyCode } from './iso-codes';

/** Conversion rates keyed by ISO code, relative to the corporate currency (which has rate 1). */
export type ConversionRates = Readonly<Record<string, number>>;

export interface ResolvedCurrency {
  /** ISO 4217 code to put in details.currency. */
  currency: string;
  /** The opportunity's own currency (what Amount is stored in). */
  opportunityCurrency: string;
  /** Amount expressed in `currency`, rounded to cents; null when the opportunity has no amount. */
  dealValue: number | null;
  converted: boolean;
}

const REFERRAL_CURRENCY = 'Opportunity.Referral_Currency__c';

/**
 * The largest deal value exchanged: the API's dealValue is a float, and beyond 2^53 cents it can
 * no longer hold an exact amount (Salesforce currency fields stop at 18 digits anyway).
 */
export const MAX_DEAL_VALUE = Number.MAX_SAFE_INTEGER / 100;

/** A positive amount that survives the trip in both directions. */
export function isDealValue(value: number): boolean {
  return Number.isFinite(value) && value > 0 && value <= MAX_DEAL_VALUE;
}

/** The currency the opportunity's Amount is stored in. */
export function opportunityCurrencyOf(
  snapshot: Pick<OpportunitySnapshot, 'currencyIsoCode' | 'orgCurrency'>,
): string | null {
  return toCurrencyCode(snapshot.currencyIsoCode) ?? toCurrencyCode(snapshot.orgCurrency);
}

/**
 * The currency the opportunity's Amount is in. A multi-currency org stores Amount in the record's
 * CurrencyIsoCode (read only there, so its presence says which kind of org this is). A
 * single-currency org has no such field: there Referral Currency names the currency the Amount is
 * in (that is why the field exists), and an empty one means the corporate currency.
 */
export function amountCurrencyOf(
  snapshot: Pick<OpportunitySnapshot, 'currencyIsoCode' | 'orgCurrency' | 'referralCurrency'>,
): string | null {
  return isMultiCurrency(snapshot)
    ? opportunityCurrencyOf(snapshot)
    : (toCurrencyCode(snapshot.referralCurrency) ?? toCurrencyCode(snapshot.orgCurrency));
}

/** Whether the snapshot comes from a multi-currency org (only there is CurrencyIsoCode read). */
export function isMultiCurrency(snapshot: Pick<OpportunitySnapshot, 'currencyIsoCode'>): boolean {
  return toCurrencyCode(snapshot.currencyIsoCode) !== null;
}

export function roundToCents(value: number): number {
  return Math.round(value * 100) / 100;
}

export function resolveReferralCurrency(
  snapshot: Pick<
    OpportunitySnapshot,
    'currencyIsoCode' | 'orgCurrency' | 'referralCurrency' | 'amount'
  >,
  rates: ConversionRates = {},
): { ok: true; value: ResolvedCurrency } | { ok: false; problem: Problem } {
  const chosen = snapshot.referralCurrency;
  if (chosen !== null && chosen.trim() !== '' && toCurrencyCode(chosen) === null) {
    return {
      ok: false,
      problem: {
        code: 'currency-invalid',
        field: REFERRAL_CURRENCY,
        message: `Referral Currency "${chosen}" is not an ISO 4217 currency code.`,
        fix: 'Set Referral Currency to a three-letter ISO 4217 code (e.g. USD, EUR, SEK).',
      },
    };
  }
  // A single-currency org has no conversion rates and never needs one: the Amount is already in
  // the Referral Currency (amountCurrencyOf), so nothing is converted there.
  const opportunityCurrency = amountCurrencyOf(snapshot);
  const currency = toCurrencyCode(chosen) ?? opportunityCurrency;
  if (currency === null || opportunityCurrency === null) {
    return {
      ok: false,
      problem: {
        code: 'currency-missing',
        field: REFERRAL_CURRENCY,
        message:
          'The deal currency cannot be determined: Referral Currency is empty and the org currency is unknown.',
        fix: 'Set Referral Currency on the opportunity (the currency the deal value is sent to Partner Center in).',
      },
    };
  }
  const amount = snapshot.amount;
  if (currency === opportunityCurrency || amount === null) {
    return {
      ok: true,
      value: { currency, opportunityCurrency, dealValue: amount, converted: false },
    };
  }
  const from = rates[opportunityCurrency];
  const to = rates[currency];
  if (!isUsableRate(from) || !isUsableRate(to)) {
    return {
      ok: false,
      problem: {
        code: 'currency-conversion-unavailable',
        field: REFERRAL_CURRENCY,
        message: `Referral Currency is ${currency} but the amount is in ${opportunityCurrency}, and the org has no conversion rate between them.`,
        fix: `Set Referral Currency to ${opportunityCurrency}, or ask an admin to activate ${currency} with a conversion rate in Setup > Manage Currencies.`,
      },
    };
  }
  return {
    ok: true,
    value: {
      currency,
      opportunityCurrency,
      dealValue: roundToCents((amount / from) * to),
      converted: true,
    },
  };
}

function isUsableRate(rate: number | undefined): rate is number {
  return rate !== undefined && Number.isFinite(rate) && rate > 0;
}
