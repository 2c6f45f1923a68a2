/**
 * Which Salesforce changes matter to Partner Center: a Change Data Capture event that touches none
 * of these fields (e.g. only LastActivityDate, or only the sync status the bridge itself wrote) is
 * dropped without a read or a call (R1).
 */

/** The objects whose change events can change what is sent. */
export const OPPORTUNITY_ENTITY = 'Opportunity';
export const SOLUTION_JUNCTION_ENTITY = 'Co_Sell_Solution__c';
/** The junction row's opportunity: in every CREATE event, in an UPDATE only when it changed. */
export const SOLUTION_JUNCTION_PARENT_FIELD = 'Opportunity__c';

/**
 * Opportunity fields whose change can alter the referral (see FIELD_OWNERSHIP).
 * Co_Sell_Solution_Count__c among them is the roll-up that moves when a solution row is added or
 * removed: it is how a junction DELETE (whose event carries no parent id) still reaches the
 * opportunity.
 */
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
  // The owner accepts or declines a referral Microsoft sent (issue 19).
  'Co_Sell_Decision__c',
  'Co_Sell_Decline_Reason__c',
  // The roll-up changes when a solution is added or removed on the junction.
  'Co_Sell_Solution_Count__c',
]);

/**
 * The fields of an Opportunity UPDATE event (CDC header `changedFields`, API names; compound
 * fields may appear as "BillingAddress.City") that can change what is sent; none → no work (R1).
 */
export function outboundTriggerFields(
  changedFields: readonly string[],
  /** Opportunity fields the admin's field mapping sends (custom rules), beyond the built-in ones. */
  mappedFields: ReadonlySet<string> = new Set(),
): string[] {
  return changedFields.filter((field) => {
    const name = field.split('.')[0]!;
    return OUTBOUND_TRIGGER_FIELDS.has(name) || mappedFields.has(name);
  });
}
