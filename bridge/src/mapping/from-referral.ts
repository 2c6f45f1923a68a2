/**
 * Inbound mapping (Partner Center → Salesforce): which Opportunity fields to update for a referral,
 * following FIELD_OWNERSHIP (the records a referral without CRM id becomes are in new-records.ts).
 * Only values that differ from the snapshot are returned, so applying the same referral twice is
 * a no-op (duplicate webhooks are harmless).
 */
import { type OpportunitySnapshot, REFERRAL_LIMITS, type Referral } from '../schemas';
import {
  type ConversionRates,
  amountCurrencyOf,
  isDealValue,
  isMultiCurrency,
  opportunityCurrencyOf,
  roundToCents,
} from './currency';
import { isSharedWithMicrosoft } from './deal-type';
import { INBOUND_UPDATE_FIELDS } from './field-ownership';
import { toCurrencyCode } from './iso-codes';
import type { Warning } from './result';
import { DEFAULT_STAGE_NAMES, type StageNames, stageForStatus } from './status';
import { answeredFields } from './write-back';
import { nonBlank, truncate } from './text';
import { utcDay } from './instants';

/** Opportunity field API name → value, ready for a jsforce update. */
export type OpportunityFieldUpdates = Record<string, string | number | boolean | null>;

export interface InboundOptions {
  /** The org's corporate currency. */
  orgCurrency: string | null;
  /** True when the org has multi-currency (Opportunity.CurrencyIsoCode exists). */
  multiCurrency: boolean;
  conversionRates?: ConversionRates;
  stageNames?: StageNames;
  /** Base of the Partner Center deep link; the referral id is appended. */
  referralLinkBase?: string;
}

/**
 * Partner Center's co-sell opportunity page. The URL shape is not documented by Microsoft (it is
 * what the Partner Center UI shows), so it is configurable.
 */
export const DEFAULT_REFERRAL_LINK_BASE =
  'https://partner.microsoft.com/dashboard/referrals/v2/leads/opportunities/';

/** Opportunity.Description is a 32,000-character long text area. */
const DESCRIPTION_LIMIT = 32000;
const NAME_LIMIT = 120;

export interface InboundResult {
  updates: OpportunityFieldUpdates;
  warnings: Warning[];
}

/**
 * Field updates for the opportunity `snapshot` (or, with `snapshot` null, every field a new
 * opportunity takes from the referral).
 */
export function fromReferral(
  referral: Referral,
  snapshot: OpportunitySnapshot | null,
  options: InboundOptions,
): InboundResult {
  const warnings: Warning[] = [];
  const candidate: OpportunityFieldUpdates = {};
  const set = (field: string, value: string | number | boolean | null | undefined) => {
    if (value !== undefined) candidate[field] = value;
  };

  set('Partner_Center_Referral_Id__c', referral.id);
  set('Partner_Center_Engagement_Id__c', nonBlank(referral.engagementId) ?? undefined);
  set(
    'Partner_Center_Referral_Link__c',
    (options.referralLinkBase ?? DEFAULT_REFERRAL_LINK_BASE) + encodeURIComponent(referral.id),
  );
  set('Partner_Center_Status__c', nonBlank(referral.status) ?? undefined);
  set('Partner_Center_Substatus__c', nonBlank(referral.substatus) ?? undefined);
  set('Microsoft_CRM_Id__c', nonBlank(referral.trackingInfo?.microsoftMsxId) ?? undefined);

  const stage = stageForStatus(
    { status: referral.status ?? undefined, substatus: referral.substatus ?? undefined },
    options.stageNames ?? DEFAULT_STAGE_NAMES,
  );
  if (stage !== null) set('StageName', stage);

  const notes = referral.details?.notes;
  if (typeof notes === 'string') set('Description', truncate(notes, DESCRIPTION_LIMIT).text);

  const closing = referral.details?.closingDateTime;
  if (nonBlank(closing) !== null) {
    const day = utcDay(closing!);
    if (day === null) {
      warnings.push({
        code: 'invalid-inbound-value',
        field: 'Opportunity.CloseDate',
        message: `Partner Center closing date "${closing}" is not a date; Close Date left unchanged.`,
      });
    } else set('CloseDate', day);
  }

  applyMoney(referral, snapshot, options, set, warnings);

  if (isSharedWithMicrosoft(referral))
    set('Partner_Center_Visibility__c', 'Shared with Microsoft sellers');

  if (snapshot === null) {
    const name =
      nonBlank(referral.name) ??
      nonBlank(referral.customerProfile?.name) ??
      `Partner Center referral ${referral.id}`;
    set('Name', truncate(name, NAME_LIMIT).text);
    set('Sync_with_Partner_Center__c', true);
    // A referral Microsoft sent expires unanswered (the 14-day rule): the date the sweep watches.
    if (referral.status === 'New')
      set('Partner_Center_Expiration__c', nonBlank(referral.expirationDateTime) ?? undefined);
    const code = nonBlank(referral.inviteContext?.assistanceRequestCode);
    if (code !== null && code !== 'Unknown') set('Co_Sell_Help_Needed__c', code);
    return { updates: candidate, warnings };
  }
  return {
    updates: {
      ...changedOnly(candidate, snapshot, referral.substatus),
      ...answeredFields(snapshot, referral),
    },
    warnings,
  };
}

function applyMoney(
  referral: Referral,
  snapshot: OpportunitySnapshot | null,
  options: InboundOptions,
  set: (field: string, value: string | number | boolean | null | undefined) => void,
  warnings: Warning[],
): void {
  const rawCurrency = referral.details?.currency;
  const currency = toCurrencyCode(rawCurrency);
  if (nonBlank(rawCurrency) !== null && currency === null) {
    warnings.push({
      code: 'invalid-inbound-value',
      field: 'Opportunity.Referral_Currency__c',
      message: `Partner Center currency "${rawCurrency}" is not an ISO 4217 code; currency and amount left unchanged.`,
    });
    return;
  }
  const multiCurrency = snapshot ? isMultiCurrency(snapshot) : options.multiCurrency;
  // The currency Amount is stored in. Multi-currency: the existing opportunity's CurrencyIsoCode,
  // or for a new record the referral's own. Single-currency: Referral Currency names the currency
  // of the Amount, so the referral's currency becomes it and the deal value is taken as is.
  const opportunityCurrency = !multiCurrency
    ? (currency ?? (snapshot ? amountCurrencyOf(snapshot) : toCurrencyCode(options.orgCurrency)))
    : snapshot
      ? opportunityCurrencyOf(snapshot)
      : (currency ?? toCurrencyCode(options.orgCurrency));
  if (snapshot === null && multiCurrency && opportunityCurrency !== null)
    set('CurrencyIsoCode', opportunityCurrency);
  if (currency !== null) {
    const sfChoice = snapshot
      ? (toCurrencyCode(snapshot.referralCurrency) ?? amountCurrencyOf(snapshot))
      : opportunityCurrency;
    if (currency !== sfChoice || snapshot === null) set('Referral_Currency__c', currency);
  }
  const dealValue = referral.details?.dealValue;
  if (dealValue === null || dealValue === undefined) return;
  if (!isDealValue(dealValue)) {
    warnings.push({
      code: 'invalid-inbound-value',
      field: 'Opportunity.Amount',
      message: `Partner Center deal value ${dealValue} is not a positive amount Salesforce can hold; Amount left unchanged.`,
    });
    return;
  }
  const from = currency ?? opportunityCurrency;
  if (from === null || opportunityCurrency === null || from === opportunityCurrency) {
    set('Amount', roundToCents(dealValue));
    return;
  }
  const rates = options.conversionRates ?? {};
  const fromRate = rates[from];
  const toRate = rates[opportunityCurrency];
  if (isRate(fromRate) && isRate(toRate)) {
    // Our own outbound conversion of the current Amount gives this deal value: nothing changed,
    // and converting back would only move Amount by a rounding cent.
    if (
      snapshot?.amount != null &&
      roundToCents((snapshot.amount / toRate) * fromRate) === roundToCents(dealValue)
    ) {
      return;
    }
    const converted = roundToCents((dealValue / fromRate) * toRate);
    if (isDealValue(converted)) {
      set('Amount', converted);
      return;
    }
  }
  warnings.push({
    code: 'deal-value-not-applied',
    field: 'Opportunity.Amount',
    message: `Partner Center deal value ${dealValue} ${from} was not applied: the opportunity is in ${opportunityCurrency} and the org has no conversion rate between them.`,
  });
}

function isRate(rate: number | undefined): rate is number {
  return rate !== undefined && Number.isFinite(rate) && rate > 0;
}

/** Keeps only the updates that change the snapshot, and only fields Partner Center may update. */
function changedOnly(
  candidate: OpportunityFieldUpdates,
  snapshot: OpportunitySnapshot,
  referralSubstatus: string | null | undefined,
): OpportunityFieldUpdates {
  const current: Record<string, unknown> = {
    Partner_Center_Referral_Id__c: snapshot.referralId,
    Partner_Center_Engagement_Id__c: snapshot.engagementId,
    Partner_Center_Status__c: snapshot.partnerCenterStatus,
    Partner_Center_Substatus__c: snapshot.partnerCenterSubstatus,
    Microsoft_CRM_Id__c: snapshot.microsoftCrmId,
    StageName: snapshot.stageName,
    Description: snapshot.description,
    CloseDate: snapshot.closeDate,
    Amount: snapshot.amount,
    Referral_Currency__c: snapshot.referralCurrency,
    Partner_Center_Visibility__c: snapshot.visibility,
  };
  const updates: OpportunityFieldUpdates = {};
  for (const [field, value] of Object.entries(candidate)) {
    if (!INBOUND_UPDATE_FIELDS.has(field)) continue;
    // The link is derived from the id: write it with the id, not on its own.
    if (field === 'Partner_Center_Referral_Link__c') continue;
    const before = current[field];
    const same =
      field === 'Description'
        ? sameNotes(snapshot.description, value)
        : field === 'Amount'
          ? typeof before === 'number' &&
            typeof value === 'number' &&
            Math.round(before * 100) === Math.round(value * 100)
          : (before ?? '') === (value ?? '');
    if (!same) updates[field] = value;
  }
  if ('Partner_Center_Referral_Id__c' in updates)
    updates.Partner_Center_Referral_Link__c = candidate.Partner_Center_Referral_Link__c ?? null;
  // Already closed the same way (won stays won): keep the seller's own closed stage name.
  if (
    'StageName' in updates &&
    snapshot.isClosed &&
    snapshot.isWon === (referralSubstatus === 'Won')
  ) {
    delete updates.StageName;
  }
  return updates;
}

/**
 * Notes equal the description as we sent it (cut to the referral's notes limit): an echo of our
 * own truncation must not shorten the seller's description.
 */
function sameNotes(description: string | null, notes: unknown): boolean {
  const ours = description ?? '';
  const theirs = typeof notes === 'string' ? notes : '';
  return ours === theirs || truncate(ours, REFERRAL_LIMITS.notes).text === theirs;
}
