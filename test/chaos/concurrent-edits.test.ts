/**
 * The lost update the chaos suite found, pinned down deterministically. The seller changes the
 * Amount; before that change reaches Partner Center (its PATCH is held by the emulator), Microsoft
 * edits the notes. The inbound apply of Microsoft's edit must not write the referral's old deal
 * value over the seller's new Amount: both edits end up on both sides.
 */
import { startStack, waitFor, waitForValue, type Json, type Stack } from '../support';
import { linkedCoSellDeal } from './linked-deal';

describe('concurrent edits on both sides', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  }, 120_000);

  afterAll(async () => {
    await stack?.dispose();
  });

  it('R13: a Microsoft edit applied while the seller’s Amount is in flight keeps both edits', async () => {
    const { partnerCenter, salesforce } = stack;
    const deal = await linkedCoSellDeal(stack, 120_000);
    const { referralId, read } = deal;

    // Hold the seller's change on its way out: every referral PATCH waits, then fails.
    await partnerCenter.control.addFault({
      match: { method: 'PATCH', path: '/v1.0/engagements/referrals' },
      latencyMs: 60_000,
      respond: { status: 503 },
    });
    const patchesBefore = await partnerCenter.control.countRequests((k) => k.startsWith('PATCH'));
    await salesforce.control.updateRecord(deal.opportunityId, { Amount: 222_222 });
    await waitFor(
      async () =>
        (await partnerCenter.control.countRequests((k) => k.startsWith('PATCH'))) > patchesBefore,
      { timeoutMs: 30_000, description: "the seller's change to be in flight" },
    );

    await partnerCenter.control.microsoftUpdate(referralId, {
      details: { notes: 'Microsoft: customer wants a workshop' },
    });
    const afterInbound = await waitForValue(
      read,
      (row) => row?.Description === 'Microsoft: customer wants a workshop',
      { timeoutMs: 30_000, description: "Microsoft's notes in Salesforce" },
    );
    expect(afterInbound?.Amount).toBe(222_222);

    await partnerCenter.control.clearFaults();
    const referral = await waitForValue(
      async () => (await partnerCenter.control.referrals()).find((r) => r.id === referralId),
      (r) => (r?.details as Json | undefined)?.dealValue === 222_222,
      { timeoutMs: 60_000, description: "the seller's Amount in Partner Center" },
    );
    expect((referral?.details as Json).notes).toBe('Microsoft: customer wants a workshop');
    expect((await read())?.Amount).toBe(222_222);
  }, 180_000);
});
