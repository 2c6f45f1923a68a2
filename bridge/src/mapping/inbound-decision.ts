/**
 * What to do with a referral Partner Center tells us about (webhook or catch-up), decided before
 * any Salesforce write:
 * - it names an opportunity we have → update it;
 * - it has no CRM id → create (or link) the records (R18);
 * - it names a CRM id that is not an opportunity in this org → ignore and record why (R12), never
 *   an error loop.
 */
import { isOpportunityId, type Referral } from '../schemas';
import { nonBlank } from './text';

export type InboundDecision =
  | { action: 'update'; opportunityId: string }
  | { action: 'create' }
  | { action: 'ignore'; reason: string };

/**
 * @param existingOpportunityId the opportunity found for this referral (by CRM id or by
 *   Partner_Center_Referral_Id__c), or null when the lookup found none.
 */
export function decideInbound(
  referral: Referral,
  existingOpportunityId: string | null,
): InboundDecision {
  if (existingOpportunityId !== null)
    return { action: 'update', opportunityId: existingOpportunityId };
  const crmId = nonBlank(referral.externalReferenceId);
  if (crmId === null) return { action: 'create' };
  if (!isOpportunityId(crmId)) {
    return {
      action: 'ignore',
      reason: `Ignored referral ${referral.id}: its CRM ID "${crmId}" is not a Salesforce opportunity id (it was probably created from another CRM)`,
    };
  }
  return {
    action: 'ignore',
    reason: `Ignored referral ${referral.id}: its CRM ID ${crmId} is not an opportunity in this Salesforce org (no such opportunity exists: deleted, or another org's)`,
  };
}
