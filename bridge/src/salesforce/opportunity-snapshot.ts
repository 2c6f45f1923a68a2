import { z } from 'zod';
import {
  type OpportunitySnapshot,
  OpportunitySnapshotSchema,
  CO_SELL_DECISIONS,
  SYNC_STATUSES,
  VISIBILITY_VALUES,
} from '../schemas/opportunity';
import { soqlDateTime } from './soql';

/**
 * Pure half of the opportunity reader: the SOQL it sends and the conversion of the rows it gets
 * back into OpportunitySnapshot. No I/O here so both are tested without an org.
 */

export interface SnapshotQueryOptions {
  /** BRIDGE_COUNTRY_FIELD, e.g. `Account.BillingCountry` or `Account.Country_Code__c`. */
  countryField: string;
  /** True only in multi-currency orgs: elsewhere `CurrencyIsoCode` is an INVALID_FIELD. */
  multiCurrency: boolean;
  /** Opportunity-relative paths the admin's field mapping adds (`Customer_Size__c`, `Account.Industry`). */
  mappedFields?: readonly string[];
}

const MAPPED_PATH = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*){0,4}$/;

/** A mapped path goes into SOQL text, so only plain field paths get there. */
function mappedFieldsOf(options: { mappedFields?: readonly string[] }): string[] {
  const fields = options.mappedFields ?? [];
  const bad = fields.find((f) => !MAPPED_PATH.test(f));
  if (bad !== undefined) throw new Error(`not a field path: "${bad}"`);
  return [...fields];
}

const OPPORTUNITY_FIELDS = [
  'Id',
  'Name',
  'Amount',
  'CloseDate',
  'StageName',
  'IsClosed',
  'IsWon',
  'Description',
  'AccountId',
  'OwnerId',
  'LastModifiedDate',
  'SystemModstamp',
  'Sync_with_Partner_Center__c',
  'Referral_Currency__c',
  'Co_Sell_Help_Needed__c',
  'Partner_Center_Visibility__c',
  'Co_Sell_Customer_Contact__c',
  'Co_Sell_Decision__c',
  'Co_Sell_Decline_Reason__c',
  'Partner_Center_Referral_Id__c',
  'Partner_Center_Engagement_Id__c',
  'Partner_Center_Referral_Link__c',
  'Partner_Center_Status__c',
  'Partner_Center_Substatus__c',
  'Microsoft_CRM_Id__c',
  'Partner_Center_Sync_Status__c',
  'Partner_Center_Sync_Message__c',
  'Partner_Center_Last_Synced__c',
  'Co_Sell_Solution_Count__c',
];

const RELATED_FIELDS = [
  'Account.Id',
  'Account.Name',
  'Account.BillingStreet',
  'Account.BillingCity',
  'Account.BillingState',
  'Account.BillingPostalCode',
  'Owner.Id',
  'Owner.Name',
  'Owner.Email',
  'Co_Sell_Customer_Contact__r.Id',
  'Co_Sell_Customer_Contact__r.FirstName',
  'Co_Sell_Customer_Contact__r.LastName',
  'Co_Sell_Customer_Contact__r.Email',
  'Co_Sell_Customer_Contact__r.Phone',
];

const SOLUTIONS_SUBQUERY =
  '(SELECT Id, Microsoft_Solution__r.Solution_Id__c, Microsoft_Solution__r.Name FROM Co_Sell_Solutions__r)';

const FIELD_PATH = /^Account\.[A-Za-z][A-Za-z0-9_]*$/;
const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** `Account.BillingCountry` → `BillingCountry`; rejects anything that is not one Account field. */
export function countryFieldName(countryField: string): string {
  if (!FIELD_PATH.test(countryField)) {
    throw new Error(
      `BRIDGE_COUNTRY_FIELD must name one Account field, like Account.BillingCountry (got "${countryField}")`,
    );
  }
  return countryField.slice('Account.'.length);
}

export function selectClause(options: SnapshotQueryOptions): string {
  const fields = [
    ...OPPORTUNITY_FIELDS,
    ...(options.multiCurrency ? ['CurrencyIsoCode'] : []),
    ...RELATED_FIELDS,
    `Account.${countryFieldName(options.countryField)}`,
    ...mappedFieldsOf(options),
  ];
  return `SELECT ${[...new Set(fields)].join(', ')}, ${SOLUTIONS_SUBQUERY} FROM Opportunity`;
}

/** Ids go into SOQL text, so only well-formed 15/18-character ids get there. */
export function assertRecordIds(ids: readonly string[]): void {
  const bad = ids.find((id) => !RECORD_ID.test(id));
  if (bad !== undefined) throw new Error(`not a Salesforce record id: "${bad}"`);
}

export function byIdsQuery(ids: readonly string[], options: SnapshotQueryOptions): string {
  assertRecordIds(ids);
  return `${selectClause(options)} WHERE Id IN (${ids.map((id) => `'${id}'`).join(', ')})`;
}

/** A watermark as Salesforce returns it (`…000+0000`) or ISO 8601 → a Date; throws on garbage. */
export function parseWatermark(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`not a date-time watermark: "${value}"`);
  return date;
}

/**
 * Reconciliation sweep: every synced opportunity changed since the watermark (all of them when
 * there is none). The watermark is truncated to whole seconds and compared with ≥, so the
 * boundary second is read again: re-reading is harmless, a missed change is not.
 */
export function changedSinceQuery(since: string | undefined): string {
  const after =
    since === undefined ? '' : ` AND SystemModstamp >= ${soqlDateTime(parseWatermark(since))}`;
  return `SELECT Id, SystemModstamp FROM Opportunity WHERE Sync_with_Partner_Center__c = true${after} ORDER BY SystemModstamp ASC, Id ASC`;
}

const text = z
  .string()
  .nullish()
  .transform((v) => v ?? null);
const related = <T extends z.ZodRawShape>(shape: T) =>
  z
    .looseObject(shape)
    .nullish()
    .transform((v) => v ?? null);

export const opportunityRowSchema = z.looseObject({
  Id: z.string(),
  Name: z.string(),
  Amount: z
    .number()
    .nullish()
    .transform((v) => v ?? null),
  CloseDate: text,
  StageName: z.string(),
  IsClosed: z.boolean(),
  IsWon: z.boolean(),
  Description: text,
  OwnerId: text,
  LastModifiedDate: z.string(),
  SystemModstamp: z.string(),
  CurrencyIsoCode: text,
  Sync_with_Partner_Center__c: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
  Referral_Currency__c: text,
  Co_Sell_Help_Needed__c: text,
  Partner_Center_Visibility__c: text,
  Co_Sell_Decision__c: text,
  Co_Sell_Decline_Reason__c: text,
  Partner_Center_Referral_Id__c: text,
  Partner_Center_Engagement_Id__c: text,
  Partner_Center_Status__c: text,
  Partner_Center_Substatus__c: text,
  Microsoft_CRM_Id__c: text,
  Partner_Center_Sync_Status__c: text,
  Account: related({
    Id: z.string(),
    Name: z.string().nullish(),
    BillingStreet: text,
    BillingCity: text,
    BillingState: text,
    BillingPostalCode: text,
  }),
  Owner: related({ Id: z.string(), Name: text, Email: text }),
  Co_Sell_Customer_Contact__r: related({
    Id: z.string(),
    FirstName: text,
    LastName: text,
    Email: text,
    Phone: text,
  }),
  Co_Sell_Solutions__r: z
    .object({
      records: z.array(
        z.looseObject({
          Microsoft_Solution__r: related({ Solution_Id__c: text, Name: text }),
        }),
      ),
    })
    .nullish()
    .transform((v) => v?.records ?? []),
});
export type OpportunityRow = z.input<typeof opportunityRowSchema>;

function oneOf<T extends string>(values: readonly T[], value: string | null): T | null {
  return value !== null && (values as readonly string[]).includes(value) ? (value as T) : null;
}

/** A validated SOQL row → the domain snapshot mapping/ works on. Throws (with the id) when the row is malformed. */
export function toOpportunitySnapshot(
  raw: unknown,
  context: { countryField: string; orgCurrency: string | null; mappedFields?: readonly string[] },
): OpportunitySnapshot {
  const parsed = opportunityRowSchema.safeParse(raw);
  if (!parsed.success) {
    const id = (raw as { Id?: unknown } | null)?.Id;
    throw new Error(
      `Opportunity ${String(id)} row is not what the bridge expects: ${z.prettifyError(parsed.error)}`,
    );
  }
  const row = parsed.data;
  const account = row.Account;
  const country = account
    ? (account as Record<string, unknown>)[countryFieldName(context.countryField)]
    : null;
  const contact = row.Co_Sell_Customer_Contact__r;
  return OpportunitySnapshotSchema.parse({
    id: row.Id,
    name: row.Name,
    amount: row.Amount,
    closeDate: row.CloseDate,
    stageName: row.StageName,
    isClosed: row.IsClosed,
    isWon: row.IsWon,
    description: row.Description,
    currencyIsoCode: row.CurrencyIsoCode,
    referralCurrency: row.Referral_Currency__c,
    orgCurrency: context.orgCurrency,
    helpNeeded: row.Co_Sell_Help_Needed__c,
    visibility: oneOf(VISIBILITY_VALUES, row.Partner_Center_Visibility__c),
    syncEnabled: row.Sync_with_Partner_Center__c,
    decision: oneOf(CO_SELL_DECISIONS, row.Co_Sell_Decision__c),
    declineReason: row.Co_Sell_Decline_Reason__c,
    referralId: row.Partner_Center_Referral_Id__c,
    engagementId: row.Partner_Center_Engagement_Id__c,
    partnerCenterStatus: row.Partner_Center_Status__c,
    partnerCenterSubstatus: row.Partner_Center_Substatus__c,
    microsoftCrmId: row.Microsoft_CRM_Id__c,
    syncStatus: oneOf(SYNC_STATUSES, row.Partner_Center_Sync_Status__c),
    lastModifiedDate: row.LastModifiedDate,
    systemModstamp: row.SystemModstamp,
    ownerId: row.OwnerId,
    owner: row.Owner ? { id: row.Owner.Id, name: row.Owner.Name, email: row.Owner.Email } : null,
    account: account
      ? {
          id: account.Id,
          name: account.Name ?? '',
          country: typeof country === 'string' && country.trim() !== '' ? country : null,
          street: account.BillingStreet,
          city: account.BillingCity,
          state: account.BillingState,
          postalCode: account.BillingPostalCode,
        }
      : null,
    customerContact: contact
      ? {
          id: contact.Id,
          firstName: contact.FirstName,
          lastName: contact.LastName,
          email: contact.Email,
          phone: contact.Phone,
        }
      : null,
    solutions: row.Co_Sell_Solutions__r.map((s) => ({
      solutionId: s.Microsoft_Solution__r?.Solution_Id__c ?? null,
      name: s.Microsoft_Solution__r?.Name ?? null,
    })),
    ...(context.mappedFields?.length
      ? { mapped: mappedValues(raw as Record<string, unknown>, context.mappedFields) }
      : {}),
  });
}

/** `Account.Industry` → row.Account.Industry (null when the related record is absent). */
function mappedValues(row: Record<string, unknown>, paths: readonly string[]) {
  const out: Record<string, unknown> = {};
  for (const path of paths) {
    let node: unknown = row;
    for (const segment of path.split('.')) {
      if (typeof node !== 'object' || node === null) {
        node = null;
        break;
      }
      const key = Object.keys(node).find((k) => k.toLowerCase() === segment.toLowerCase());
      node = key === undefined ? null : (node as Record<string, unknown>)[key];
    }
    out[path] = node ?? null;
  }
  return out;
}
