/**
 * Every Salesforce field the bridge reads or writes, as 'Object.Field'. The metadata consistency
 * test checks each custom field exists in force-app and that the integration permission set grants
 * it (read, or edit for `written`), so this list is the single source of truth for R2: "the
 * integration user needs exactly the permissions in the package's permission set". The same test
 * reads every SOQL query in bridge/src and fails when one names a field missing here.
 *
 * Field API names are the DESIGN.md contract.
 */

/** The country field used when BRIDGE_COUNTRY_FIELD is not set. */
export const DEFAULT_COUNTRY_FIELD = 'Account.BillingCountry';

/**
 * The fields an audit record has on both audit objects (R10): `Co_Sell_Sync_Event__c` (about an
 * opportunity, which it also names in `Opportunity__c`) and `Co_Sell_Unlinked_Event__c`.
 */
function auditRecordFields(object: 'Co_Sell_Sync_Event__c' | 'Co_Sell_Unlinked_Event__c') {
  return (
    [
      'Direction__c',
      'Outcome__c',
      'Message__c',
      'Referral_Id__c',
      'Api_Calls__c',
      'Occurred_At__c',
    ] as const
  ).map((field) => `${object}.${field}` as const);
}

/** What the bridge writes back after a Partner Center call; it reads them too (compare, explain). */
const WRITE_BACK = [
  'Opportunity.Partner_Center_Referral_Id__c',
  'Opportunity.Partner_Center_Engagement_Id__c',
  'Opportunity.Partner_Center_Referral_Link__c',
  'Opportunity.Partner_Center_Status__c',
  'Opportunity.Partner_Center_Substatus__c',
  'Opportunity.Microsoft_CRM_Id__c',
  'Opportunity.Partner_Center_Sync_Status__c',
  'Opportunity.Partner_Center_Sync_Message__c',
  'Opportunity.Partner_Center_Last_Synced__c',
  // a referral Microsoft sent: when it expires unanswered, and the flag set when that is near
  'Opportunity.Partner_Center_Expiration__c',
  'Opportunity.Partner_Center_Expires_Soon__c',
] as const;

const OPPORTUNITY_READ = [
  'Opportunity.Id',
  'Opportunity.Name',
  'Opportunity.Amount',
  'Opportunity.CloseDate',
  'Opportunity.StageName',
  'Opportunity.IsClosed',
  'Opportunity.IsWon',
  'Opportunity.Description',
  'Opportunity.AccountId',
  'Opportunity.OwnerId',
  'Opportunity.LastModifiedDate',
  'Opportunity.SystemModstamp',
  'Opportunity.Sync_with_Partner_Center__c',
  'Opportunity.Referral_Currency__c',
  'Opportunity.Co_Sell_Help_Needed__c',
  'Opportunity.Partner_Center_Visibility__c',
  'Opportunity.Co_Sell_Customer_Contact__c',
  // the owner's accept/decline of a referral Microsoft sent (the bridge clears the decision)
  'Opportunity.Co_Sell_Decision__c',
  'Opportunity.Co_Sell_Decline_Reason__c',
  ...WRITE_BACK,
  'Opportunity.Co_Sell_Solution_Count__c',
] as const;

const RELATED_READ = [
  'Account.Id',
  'Account.Name',
  // inbound account matching: the oldest of several same-named accounts wins (stable choice)
  'Account.CreatedDate',
  // BRIDGE_ACCOUNT_MATCHING=always-create: the key of the account created for a referral
  'Account.Partner_Center_Referral_Id__c',
  DEFAULT_COUNTRY_FIELD,
  'Account.BillingStreet',
  'Account.BillingCity',
  'Account.BillingState',
  'Account.BillingPostalCode',
  'Contact.Id',
  'Contact.AccountId',
  'Contact.FirstName',
  'Contact.LastName',
  'Contact.Email',
  'Contact.Phone',
  'User.Id',
  'User.Name',
  'User.Email',
  // R4: only active users become owners or team members
  'User.IsActive',
  'Co_Sell_Solution__c.Id',
  'Co_Sell_Solution__c.Opportunity__c',
  'Co_Sell_Solution__c.Microsoft_Solution__c',
  'Microsoft_Solution__c.Id',
  'Microsoft_Solution__c.Name',
  'Microsoft_Solution__c.Solution_Id__c',
  'Microsoft_Solution__c.Is_Active__c',
  // The admin's field mapping (custom metadata: read access comes with the type, no FLS).
  'Co_Sell_Field_Map__mdt.DeveloperName',
  'Co_Sell_Field_Map__mdt.MasterLabel',
  'Co_Sell_Field_Map__mdt.Salesforce_Field__c',
  'Co_Sell_Field_Map__mdt.Referral_Path__c',
  'Co_Sell_Field_Map__mdt.Direction__c',
  'Co_Sell_Field_Map__mdt.Outbound_When__c',
  'Co_Sell_Field_Map__mdt.Inbound_When__c',
  'Co_Sell_Field_Map__mdt.Wins__c',
  'Co_Sell_Field_Map__mdt.Value_Map__c',
  'Co_Sell_Field_Map__mdt.Handler__c',
  'Co_Sell_Field_Map__mdt.Why__c',
  'Co_Sell_Field_Map__mdt.Sort_Order__c',
  // owner notifications (issue 19): the package's notification types, by DeveloperName
  'CustomNotificationType.Id',
  'CustomNotificationType.DeveloperName',
  // `explain` reads the audit trail back.
  'Co_Sell_Sync_Event__c.Id',
  'Co_Sell_Sync_Event__c.Opportunity__c',
  ...auditRecordFields('Co_Sell_Sync_Event__c'),
  'Co_Sell_Unlinked_Event__c.Id',
  ...auditRecordFields('Co_Sell_Unlinked_Event__c'),
] as const;

/** Outbound write-backs (referral id, status, sync state) and inbound updates/creates. */
const WRITTEN = [
  ...WRITE_BACK,
  // inbound: fields Partner Center owns or shares (see mapping/field-ownership.ts)
  'Opportunity.Name',
  'Opportunity.AccountId',
  'Opportunity.OwnerId',
  'Opportunity.Amount',
  'Opportunity.CloseDate',
  'Opportunity.StageName',
  'Opportunity.Description',
  'Opportunity.Referral_Currency__c',
  'Opportunity.Sync_with_Partner_Center__c',
  'Opportunity.Partner_Center_Visibility__c',
  'Opportunity.Co_Sell_Help_Needed__c',
  'Opportunity.Co_Sell_Customer_Contact__c',
  // cleared once the decision is applied in Partner Center
  'Opportunity.Co_Sell_Decision__c',
  // inbound create/link of a Partner-Center-created referral (R18)
  'Account.Name',
  'Account.Partner_Center_Referral_Id__c',
  DEFAULT_COUNTRY_FIELD,
  'Account.BillingStreet',
  'Account.BillingCity',
  'Account.BillingState',
  'Account.BillingPostalCode',
  'Contact.AccountId',
  'Contact.FirstName',
  'Contact.LastName',
  'Contact.Email',
  'Contact.Phone',
  'Co_Sell_Solution__c.Opportunity__c',
  'Co_Sell_Solution__c.Microsoft_Solution__c',
  // `cosell solutions import` (R17)
  'Microsoft_Solution__c.Name',
  'Microsoft_Solution__c.Solution_Id__c',
  'Microsoft_Solution__c.Is_Active__c',
  // audit (R10)
  'Co_Sell_Sync_Event__c.Opportunity__c',
  ...auditRecordFields('Co_Sell_Sync_Event__c'),
  // audit of attempts about no opportunity (admins only: Co_Sell_Unlinked_Event__c is Private)
  ...auditRecordFields('Co_Sell_Unlinked_Event__c'),
  // live status for record pages, published with each write-back (a platform event: Create on
  // the event, no field-level security)
  'Co_Sell_Sync_Update__e.Opportunity_Id__c',
  'Co_Sell_Sync_Update__e.Sync_Status__c',
] as const;

export const SALESFORCE_FIELDS: {
  readonly read: readonly string[];
  readonly written: readonly string[];
} = Object.freeze({
  read: Object.freeze([...OPPORTUNITY_READ, ...RELATED_READ]),
  written: Object.freeze([...WRITTEN]),
});

/**
 * Fields that exist only in some orgs: read when present, never required. CurrencyIsoCode exists
 * only when multi-currency is enabled (R3); the metadata test must not demand it.
 */
export const OPTIONAL_SALESFORCE_FIELDS: readonly string[] = Object.freeze([
  'Opportunity.CurrencyIsoCode',
  'Organization.DefaultCurrencyIsoCode',
]);

/**
 * The field list for a deployment whose country lives in another Account field
 * (BRIDGE_COUNTRY_FIELD, e.g. 'Account.Country_Code__c').
 */
export function salesforceFieldsFor(countryField: string): {
  read: readonly string[];
  written: readonly string[];
} {
  const swap = (fields: readonly string[]): string[] =>
    fields.map((f) => (f === DEFAULT_COUNTRY_FIELD ? countryField : f));
  return { read: swap(SALESFORCE_FIELDS.read), written: swap(SALESFORCE_FIELDS.written) };
}
