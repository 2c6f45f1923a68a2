/**
 * The domain snapshot of one Salesforce opportunity, as the salesforce/ module builds it from SOQL
 * rows (Opportunity + Account + customer Contact + owner + Co_Sell_Solutions__r). Plain,
 * serialisable data: mapping/ works only on this, never on jsforce records.
 */
import { z } from 'zod';

/** Values of Partner_Center_Visibility__c. Blank in Salesforce means Private. */
export const VISIBILITY_VALUES = ['Private', 'Shared with Microsoft sellers'] as const;
export type Visibility = (typeof VISIBILITY_VALUES)[number];

/** Values of Partner_Center_Sync_Status__c. */
export const SYNC_STATUSES = ['Not Synced', 'Pending', 'Synced', 'Error', 'Ignored'] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

/** Values of Co_Sell_Decision__c: the owner's answer to a referral Microsoft sent. */
export const CO_SELL_DECISIONS = ['Accept', 'Decline'] as const;
export type CoSellDecision = (typeof CO_SELL_DECISIONS)[number];

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

export const SnapshotAccountSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  /** Value of the configured country field (BRIDGE_COUNTRY_FIELD, default Account.BillingCountry). */
  country: z.string().nullable(),
  street: z.string().nullable(),
  city: z.string().nullable(),
  state: z.string().nullable(),
  postalCode: z.string().nullable(),
});
export type SnapshotAccount = z.infer<typeof SnapshotAccountSchema>;

export const SnapshotContactSchema = z.object({
  id: z.string().min(1),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
});
export type SnapshotContact = z.infer<typeof SnapshotContactSchema>;

export const SnapshotUserSchema = z.object({
  id: z.string().min(1),
  email: z.string().nullable(),
  name: z.string().nullable(),
});
export type SnapshotUser = z.infer<typeof SnapshotUserSchema>;

export const SnapshotSolutionSchema = z.object({
  /** Microsoft_Solution__c.Solution_Id__c, e.g. "SOL-15974-MQF". */
  solutionId: z.string().nullable(),
  name: z.string().nullable(),
});
export type SnapshotSolution = z.infer<typeof SnapshotSolutionSchema>;

export const OpportunitySnapshotSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  amount: z.number().nullable(),
  closeDate: isoDate.nullable(),
  stageName: z.string(),
  isClosed: z.boolean(),
  isWon: z.boolean(),
  description: z.string().nullable(),
  /** Opportunity.CurrencyIsoCode; null in single-currency orgs (the field does not exist there). */
  currencyIsoCode: z.string().nullable(),
  /** Referral_Currency__c; null = use the opportunity's (or the org's) currency. */
  referralCurrency: z.string().nullable(),
  /** The org's corporate currency (Organization.DefaultCurrencyIsoCode). */
  orgCurrency: z.string().nullable(),
  /** Co_Sell_Help_Needed__c: an assistanceRequestCode, null = no help requested. */
  helpNeeded: z.string().nullable(),
  /** Partner_Center_Visibility__c; null (blank) means Private. */
  visibility: z.enum(VISIBILITY_VALUES).nullable(),
  syncEnabled: z.boolean(),
  /** Co_Sell_Decision__c; null when no decision waits to be applied. */
  decision: z.enum(CO_SELL_DECISIONS).nullable(),
  /** Co_Sell_Decline_Reason__c, sent as statusReason with a decline. */
  declineReason: z.string().nullable(),
  referralId: z.string().nullable(),
  engagementId: z.string().nullable(),
  partnerCenterStatus: z.string().nullable(),
  partnerCenterSubstatus: z.string().nullable(),
  microsoftCrmId: z.string().nullable(),
  syncStatus: z.enum(SYNC_STATUSES).nullable(),
  /** ISO 8601 date-times as Salesforce returns them. */
  lastModifiedDate: z.string(),
  systemModstamp: z.string(),
  ownerId: z.string().nullable(),
  owner: SnapshotUserSchema.nullable(),
  account: SnapshotAccountSchema.nullable(),
  customerContact: SnapshotContactSchema.nullable(),
  solutions: z.array(SnapshotSolutionSchema),
  /**
   * Values of the fields the admin's field mapping adds (Co_Sell_Field_Map__mdt custom rules),
   * by Opportunity-relative path (`Customer_Size__c`, `Account.Industry`); absent when none.
   */
  mapped: z.record(z.string(), z.unknown()).optional(),
});
export type OpportunitySnapshot = z.infer<typeof OpportunitySnapshotSchema>;
