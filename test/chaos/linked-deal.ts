/**
 * A co-sell deal the bridge has already created in Partner Center: the starting point of the
 * overlapping-edit tests, which then edit it on both sides.
 */
import { waitForValue, type Stack } from '../support';
import { queryRecords } from './ground-truth';

export interface DealRow {
  Amount: number | null;
  Description: string | null;
  Partner_Center_Referral_Id__c: string | null;
}

export interface LinkedDeal {
  opportunityId: string;
  referralId: string;
  /** The opportunity as the seller sees it now. */
  read(): Promise<DealRow | undefined>;
}

export async function linkedCoSellDeal(stack: Stack, amount: number): Promise<LinkedDeal> {
  const { opportunityId } = await stack.seed.coSellDeal({ amount });
  const read = async () =>
    (
      await queryRecords<DealRow>(
        stack.seller,
        `SELECT Amount, Description, Partner_Center_Referral_Id__c FROM Opportunity WHERE Id = '${opportunityId}'`,
      )
    )[0];
  const linked = await waitForValue(read, (row) => Boolean(row?.Partner_Center_Referral_Id__c), {
    timeoutMs: 30_000,
    description: 'the opportunity to be linked to its referral',
  });
  return { opportunityId, referralId: String(linked?.Partner_Center_Referral_Id__c), read };
}
