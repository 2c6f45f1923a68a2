/**
 * Which Salesforce changes matter to Partner Center: a Change Data Capture event that touches none
 * of these fields (e.g. only LastActivityDate, or only the sync status the bridge itself wrote) is
 * dropped without a read or a call (R1).
 */

/** Opportunity fields whose change can alter the referral (see FIELD_OWNERSHIP). */
export const OUTBOUND_TRIGGER_FIELDS: ReadonlySet<string> = new Set([
  'Name',
  'Amount',
  'CloseDate',
  'StageName',
  'Description',
  'AccountId',
  'OwnerId',
  'CurrencyIsoCode',
  'Sync_with_Partner_Center__c',
  'Referral_Currency__c',
  'Co_Sell_Help_Needed__c',
  'Partner_Center_Visibility__c',
  'Co_Sell_Customer_Contact__c',
  // The roll-up changes when a solution is added or removed on the junction.
  'Co_Sell_Solution_Count__c',
]);

/**
 * True when a change event for `entityName` with these `changedFields` (CDC header, API names;
 * compound fields may appear as "BillingAddress.City") can change what is sent.
 */
export function isOutboundRelevantChange(
  entityName: string,
  changedFields: readonly string[],
): boolean {
  if (entityName === 'Co_Sell_Solution__c') return true;
  if (entityName !== 'Opportunity') return false;
  // Creates, undeletes and gap events carry no field list: treat as relevant.
  if (changedFields.length === 0) return true;
  return changedFields.some((field) => OUTBOUND_TRIGGER_FIELDS.has(field.split('.')[0]!));
}
