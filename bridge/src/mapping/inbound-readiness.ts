import type { NewRecords } from './new-records';
import { toCountryCode } from './iso-codes';

/**
 * What the package's validation rules (R11) would refuse about an opportunity created from a
 * Partner Center referral, as the fixes a seller reads. The rules exempt the bridge's own writes
 * (custom permission Co_Sell_Bridge_Writes), so a referral that lacks them still lands with sync
 * on; the bridge then says what to complete in the sync status instead of relying on the rule
 * to refuse it. Pure: decided from the records the referral maps to, before any write.
 */
export function inboundReadinessProblems(
  records: Pick<NewRecords, 'account' | 'contact' | 'opportunity' | 'solutionIds'>,
): string[] {
  const problems: string[] = [];
  if (records.solutionIds.length === 0)
    problems.push('Add at least one Microsoft co-sell solution (Co-Sell Details, Solutions).');
  // As the country rule reads it: exactly two capital letters (and a code that exists).
  const country = records.account.country ?? '';
  if (!/^[A-Z]{2}$/.test(country) || toCountryCode(country) === null)
    problems.push(
      "Set the account's Billing Country to its two-letter ISO code (for example US, DE or SE).",
    );
  const amount = records.opportunity.Amount;
  if (typeof amount !== 'number' || amount <= 0)
    problems.push(
      'Enter an Amount greater than 0: it is sent to Partner Center as the deal value.',
    );
  if (records.opportunity.CloseDate === undefined || records.opportunity.CloseDate === null)
    problems.push('Enter a Close Date: it is sent to Partner Center as the closing date.');
  const help = records.opportunity.Co_Sell_Help_Needed__c;
  if (typeof help === 'string' && help !== '' && records.contact === null)
    problems.push(
      'Choose a Co-Sell Customer Contact: Microsoft needs one when How Can Microsoft Help is set.',
    );
  return problems;
}
