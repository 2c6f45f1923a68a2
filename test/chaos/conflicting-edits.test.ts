/**
 * Guards the conflict path the chaos suite exercised: Microsoft edits the notes and the bridge has
 * not applied that yet (the webhook is dropped; the catch-up sweep runs only at start-up in this
 * stack); then the seller edits the Amount. The outbound PATCH meets a moved ETag (412), the
 * bridge re-reads the referral and must send only what the seller changed, never Salesforce's
 * stale Description over Microsoft's notes. Salesforce's clock runs 60 s ahead here, as in the
 * chaos run that lost notes this way: the merge must not depend on the two systems' clocks.
 */
import { startStack, waitForValue, type Json, type Stack } from '../support';
import { linkedCoSellDeal } from './linked-deal';

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
    const { partnerCenter, salesforce } = stack;
    const deal = await linkedCoSellDeal(stack, 120_000);
    const { referralId, read } = deal;

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
