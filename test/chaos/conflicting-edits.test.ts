/**
 * Guards the conflict path the chaos suite exercised: Microsoft edits the notes and the bridge has
 * not applied that yet (the webhook is dropped; the catch-up sweep runs only at start-up in this
 * stack); then the seller edits the Amount. The outbound PATCH meets a moved ETag (412), the
 * bridge re-reads the referral and must send only what the seller changed, never Salesforce's
 * stale Description over Microsoft's notes. Salesforce's clock runs 60 s ahead here, as in the
 * chaos run that lost notes this way: the merge must not depend on the two systems' clocks.
 */
import { startStack, waitForValue, type Json, type Stack } from '../support';
import { queryRecords } from './ground-truth';

interface Row {
  Amount: number | null;
  Description: string | null;
  Partner_Center_Referral_Id__c: string | null;
}

const NOTES = 'Microsoft: customer asked for a workshop';

describe('an edit on each side before the bridge has seen the other', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({
      bridgeEnv: { BRIDGE_PARTNER_CENTER_CATCH_UP_INTERVAL_SECONDS: '3600' },
    });
  }, 120_000);

  afterAll(async () => {
    await stack?.dispose();
  });

  it('R13: Microsoft’s notes survive a later seller edit of another field (412 re-plan)', async () => {
    const { seed, partnerCenter, salesforce, seller } = stack;
    const deal = await seed.coSellDeal({ amount: 120_000 });
    const read = async () =>
      (
        await queryRecords<Row>(
          seller,
          `SELECT Amount, Description, Partner_Center_Referral_Id__c FROM Opportunity WHERE Id = '${deal.opportunityId}'`,
        )
      )[0];
    const linked = await waitForValue(read, (row) => Boolean(row?.Partner_Center_Referral_Id__c), {
      timeoutMs: 30_000,
      description: 'the opportunity to be linked to its referral',
    });
    const referralId = String(linked?.Partner_Center_Referral_Id__c);

    await partnerCenter.control.addFault({ webhook: { drop: true }, times: 1 });
    await partnerCenter.control.microsoftUpdate(referralId, { details: { notes: NOTES } });
    await salesforce.control.advanceClock(60_000);
    await salesforce.control.updateRecord(deal.opportunityId, { Amount: 333_333 });

    const referral = await waitForValue(
      async () => (await partnerCenter.control.referrals()).find((r) => r.id === referralId),
      (r) => (r?.details as Json | undefined)?.dealValue === 333_333,
      { timeoutMs: 60_000, description: "the seller's Amount in Partner Center" },
    );
    expect((referral?.details as Json).notes).toBe(NOTES);
    // And Salesforce gets Microsoft's notes too (the bridge has read them by now).
    const row = await waitForValue(read, (r) => r?.Description === NOTES, {
      timeoutMs: 30_000,
      description: "Microsoft's notes in Salesforce",
    });
    expect(row?.Amount).toBe(333_333);
  }, 180_000);
});
