/**
 * Salesforce → Partner Center, end to end: emulators and the bridge as separate processes, the
 * seller editing through the UI-like route (CDC changeOrigin empty), the bridge talking to both
 * over loopback with the real jsforce and plain HTTP. Tests share one stack and never reset it:
 * each works on its own records, and "nothing happened" is proven with an outbound barrier.
 */
import { INTEGRATION_USERNAME, startStack, waitForValue, type Json, type Stack } from '../support';
import {
  E2E_TIMEOUT_MS,
  SYNC_DEADLINE,
  outboundBarrier,
  readOpportunity,
  referralWrites,
  referralsFor,
  syncEvents,
  waitForOpportunity,
  type SyncedOpportunity,
} from './e2e-helpers';

jest.setTimeout(E2E_TIMEOUT_MS);

/** The bridge's integration user (seeded by the Salesforce emulator). */

const isSynced = (o: SyncedOpportunity) =>
  o.Partner_Center_Sync_Status__c === 'Synced' && !!o.Partner_Center_Referral_Id__c;

describe('e2e: Salesforce → Partner Center', () => {
  let stack: Stack;
  let sentinel: string;

  beforeAll(async () => {
    stack = await startStack();
    sentinel = (await stack.seed.coSellDeal({ name: 'Barrier sentinel' })).opportunityId;
    await waitForOpportunity(stack.seller, sentinel, isSynced, 'the sentinel to sync');
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  /** A synced deal, its referral, and the write counter once it has settled. */
  async function syncedDeal(options: Parameters<Stack['seed']['coSellDeal']>[0] = {}) {
    const deal = await stack.seed.coSellDeal(options);
    const opportunity = await waitForOpportunity(
      stack.seller,
      deal.opportunityId,
      isSynced,
      'the new deal to be Synced with a referral id',
    );
    return { ...deal, referralId: opportunity.Partner_Center_Referral_Id__c! };
  }

  const dealValueOf = async (opportunityId: string) =>
    (
      (await referralsFor(stack.partnerCenter.control, opportunityId))[0]?.details as
        Json | undefined
    )?.dealValue;

  it('R1: a new co-sell deal becomes exactly one referral (one create), linked back as Synced', async () => {
    const writesBefore = await referralWrites(stack.partnerCenter.control);
    const deal = await stack.seed.coSellDeal({ amount: 250_000 });
    const synced = await waitForOpportunity(
      stack.seller,
      deal.opportunityId,
      isSynced,
      'the opportunity to be Synced with a referral id',
    );
    const referrals = await referralsFor(stack.partnerCenter.control, deal.opportunityId);
    expect(referrals).toHaveLength(1);
    const referral = referrals[0]!;
    expect(synced.Partner_Center_Referral_Id__c).toBe(referral.id);
    expect(synced.Partner_Center_Engagement_Id__c).toBe(referral.engagementId);
    expect(synced.Partner_Center_Status__c).toBe(referral.status);
    expect(synced.Partner_Center_Last_Synced__c).toBeTruthy();
    expect(referral).toMatchObject({
      name: deal.name,
      details: expect.objectContaining({ dealValue: 250_000, currency: 'USD' }),
      customerProfile: expect.objectContaining({
        address: expect.objectContaining({ country: 'US' }),
      }),
    });
    await outboundBarrier(stack, sentinel);
    // The create, plus the barrier's own PATCH: the write-back echo cost nothing (R9).
    expect((await referralWrites(stack.partnerCenter.control)) - writesBefore).toBe(2);
  });

  it('R1: each later seller change costs exactly one Partner Center call (a PATCH with the new value)', async () => {
    const deal = await syncedDeal();
    await outboundBarrier(stack, sentinel);
    const before = await stack.partnerCenter.control.stats();
    await stack.salesforce.control.updateRecord(deal.opportunityId, { Amount: 310_000 });
    await waitForValue(
      () => dealValueOf(deal.opportunityId),
      (v) => v === 310_000,
      {
        ...SYNC_DEADLINE,
        description: 'the referral deal value to become 310000',
      },
    );
    await outboundBarrier(stack, sentinel);
    const after = await stack.partnerCenter.control.stats();
    const delta = (route: string) => (after.requests[route] ?? 0) - (before.requests[route] ?? 0);
    expect(delta('PATCH /v1.0/engagements/referrals/{id}')).toBe(2); // the change + the barrier
    expect(delta('POST /v1.0/engagements/referrals')).toBe(0);
    // Our own PATCH comes back as a referral-updated webhook; fetching the referral for it would
    // be a second call for one change. (Fails today: see the e2e report, sync/webhook-intake.)
    expect(delta('GET /v1.0/engagements/referrals/{id}')).toBe(0);
  });

  it('R1: a burst of 50 edits to one opportunity is coalesced into at most two calls carrying the last value', async () => {
    const deal = await syncedDeal();
    await outboundBarrier(stack, sentinel);
    const writesBefore = await referralWrites(stack.partnerCenter.control);
    for (let i = 1; i <= 50; i += 1) {
      await stack.salesforce.control.updateRecord(deal.opportunityId, { Amount: 400_000 + i });
    }
    await waitForValue(
      () => dealValueOf(deal.opportunityId),
      (v) => v === 400_050,
      {
        ...SYNC_DEADLINE,
        description: 'the referral to carry the last of 50 edits (400050)',
      },
    );
    await outboundBarrier(stack, sentinel);
    const writes = (await referralWrites(stack.partnerCenter.control)) - writesBefore - 1;
    expect(writes).toBeGreaterThanOrEqual(1);
    expect(writes).toBeLessThanOrEqual(2);
  });

  it("R9: the bridge's own write-backs never come back as outbound changes", async () => {
    const writesBefore = await referralWrites(stack.partnerCenter.control);
    const deal = await syncedDeal();
    // The write-back above was a Salesforce change (CDC event with our client id). Let it, and
    // three more write-backs of later syncs, flow through before counting.
    await stack.salesforce.control.updateRecord(deal.opportunityId, {
      Description: 'Phase 2 scope',
    });
    await waitForValue(
      async () => (await referralsFor(stack.partnerCenter.control, deal.opportunityId))[0],
      (r) => JSON.stringify(r ?? {}).includes('Phase 2 scope'),
      { ...SYNC_DEADLINE, description: 'the description to reach the referral' },
    );
    await outboundBarrier(stack, sentinel);
    await outboundBarrier(stack, sentinel);
    // create + description PATCH + two barrier PATCHes; any echo would add more.
    expect((await referralWrites(stack.partnerCenter.control)) - writesBefore).toBe(4);
  });

  it('R10: every sync attempt leaves an audit record on the opportunity (direction, outcome, referral, calls)', async () => {
    const deal = await syncedDeal();
    const events = await waitForValue(
      () => syncEvents(stack.seller, `Opportunity__c = '${deal.opportunityId}'`),
      (list) => list.some((e) => e.Outcome__c === 'Success'),
      { ...SYNC_DEADLINE, description: 'a Success audit event for the new deal' },
    );
    const success = events.find((e) => e.Outcome__c === 'Success')!;
    expect(success).toMatchObject({
      Direction__c: 'Outbound',
      Referral_Id__c: deal.referralId,
    });
    expect(success.Api_Calls__c).toBeGreaterThanOrEqual(1);
    expect(success.Occurred_At__c).toBeTruthy();
    expect(success.Message__c).toBeTruthy();
  });

  it('R12: an opportunity without "Sync with Partner Center" is never sent, however often it changes', async () => {
    const deal = await stack.seed.coSellDeal({ sync: false });
    await stack.salesforce.control.updateRecord(deal.opportunityId, { Amount: 99_000 });
    await stack.salesforce.control.updateRecord(deal.opportunityId, {
      StageName: 'Needs Analysis',
    });
    await outboundBarrier(stack, sentinel);
    expect(await referralsFor(stack.partnerCenter.control, deal.opportunityId)).toEqual([]);
    const opportunity = await readOpportunity(stack.seller, deal.opportunityId);
    expect(opportunity.Partner_Center_Referral_Id__c).toBeNull();
    expect(opportunity.Partner_Center_Sync_Status__c).not.toBe('Synced');

    // Switching it on is what sends it.
    await stack.salesforce.control.updateRecord(deal.opportunityId, {
      Sync_with_Partner_Center__c: true,
    });
    await waitForOpportunity(
      stack.seller,
      deal.opportunityId,
      isSynced,
      'the deal to sync once switched on',
    );
    expect(await referralsFor(stack.partnerCenter.control, deal.opportunityId)).toHaveLength(1);
  });

  it('R16: a customer country that is not an ISO code stops the sync with the exact fix and no call', async () => {
    const writesBefore = await referralWrites(stack.partnerCenter.control);
    const accountId = await stack.seed.account({ country: 'Sweden' });
    const solution = await stack.seed.solution();
    // Only the bridge's own writes pass the validation rules on such a record (it may become
    // invalid after an earlier sync), so only the
    // bridge's own check stands between this deal and Partner Center.
    const opportunityId = await stack.seed.opportunity({
      accountId,
      solutionRecordIds: [solution.recordId],
      fields: { Partner_Center_Sync_Status__c: 'Error', Sync_with_Partner_Center__c: true },
      as: INTEGRATION_USERNAME,
    });
    const failed = await waitForOpportunity(
      stack.seller,
      opportunityId,
      (o) => o.Partner_Center_Sync_Status__c === 'Error' && !!o.Partner_Center_Sync_Message__c,
      'the bridge to explain the country',
    );
    // The configured country field (BRIDGE_COUNTRY_FIELD) and the code to put in it.
    expect(failed.Partner_Center_Sync_Message__c).toContain('Account Billing Country');
    expect(failed.Partner_Center_Sync_Message__c).toMatch(/\bSE\b/);
    const audit = await waitForValue(
      () =>
        syncEvents(stack.seller, `Opportunity__c = '${opportunityId}' AND Outcome__c = 'Error'`),
      (list) => list.length > 0,
      { ...SYNC_DEADLINE, description: 'an Error audit event' },
    );
    expect(audit[0]).toMatchObject({ Direction__c: 'Outbound', Api_Calls__c: 0 });
    await outboundBarrier(stack, sentinel);
    expect(await referralsFor(stack.partnerCenter.control, opportunityId)).toEqual([]);
    expect((await referralWrites(stack.partnerCenter.control)) - writesBefore).toBe(1); // the barrier

    // The fix is what the message says: once the country is a code, the next change goes through.
    await stack.salesforce.control.updateRecord(accountId, { BillingCountry: 'SE' });
    await stack.salesforce.control.updateRecord(opportunityId, { Amount: 276_000 });
    await waitForValue(
      () => dealValueOf(opportunityId),
      (v) => v === 276_000,
      {
        ...SYNC_DEADLINE,
        description: 'the fixed deal to sync',
      },
    );
  });

  it('R17: a deal without a co-sell-ready solution is refused before any call, naming the fix', async () => {
    const writesBefore = await referralWrites(stack.partnerCenter.control);
    const accountId = await stack.seed.account();
    // Only the bridge's own writes pass the validation rules on such a record (it may become
    // invalid after an earlier sync), so only the
    // bridge's own check stands between this deal and Partner Center.
    const opportunityId = await stack.seed.opportunity({
      accountId,
      solutionRecordIds: [],
      fields: { Partner_Center_Sync_Status__c: 'Error', Sync_with_Partner_Center__c: true },
      as: INTEGRATION_USERNAME,
    });
    const failed = await waitForOpportunity(
      stack.seller,
      opportunityId,
      (o) => o.Partner_Center_Sync_Status__c === 'Error' && !!o.Partner_Center_Sync_Message__c,
      'the bridge to explain the missing solution',
    );
    expect(failed.Partner_Center_Sync_Message__c).toMatch(/solution/i);
    await outboundBarrier(stack, sentinel);
    expect(await referralsFor(stack.partnerCenter.control, opportunityId)).toEqual([]);
    expect((await referralWrites(stack.partnerCenter.control)) - writesBefore).toBe(1); // the barrier
  });

  it('R11: asking Microsoft for help without a customer contact is refused with the fix, no call', async () => {
    const accountId = await stack.seed.account();
    const solution = await stack.seed.solution();
    const opportunityId = await stack.seed.opportunity({
      accountId,
      helpNeeded: 'ProofOfConceptOrDemo',
      solutionRecordIds: [solution.recordId],
      fields: { Partner_Center_Sync_Status__c: 'Error', Sync_with_Partner_Center__c: true },
      as: INTEGRATION_USERNAME,
    });
    const failed = await waitForOpportunity(
      stack.seller,
      opportunityId,
      (o) => o.Partner_Center_Sync_Status__c === 'Error' && !!o.Partner_Center_Sync_Message__c,
      'the bridge to explain the missing contact',
    );
    expect(failed.Partner_Center_Sync_Message__c).toMatch(/contact/i);
    await outboundBarrier(stack, sentinel);
    expect(await referralsFor(stack.partnerCenter.control, opportunityId)).toEqual([]);
  });

  it('R3: a single-currency org sends the deal value in its currency and sends another currency as is (no rate asked for)', async () => {
    const deal = await syncedDeal({ currency: 'USD', amount: 88_000 });
    const [referral] = await referralsFor(stack.partnerCenter.control, deal.opportunityId);
    expect(referral?.details).toMatchObject({ currency: 'USD', dealValue: 88_000 });

    // In a single-currency org Referral Currency names the currency the Amount is in: a EUR deal
    // is sent as 70 000 EUR, with no conversion rate asked for (the org has none).
    const euro = await stack.seed.coSellDeal({ currency: 'EUR', amount: 70_000 });
    await waitForOpportunity(
      stack.seller,
      euro.opportunityId,
      (o) => o.Partner_Center_Sync_Status__c === 'Synced',
      'the EUR deal to sync',
    );
    const [euroReferral] = await referralsFor(stack.partnerCenter.control, euro.opportunityId);
    expect(euroReferral?.details).toMatchObject({ currency: 'EUR', dealValue: 70_000 });
  });

  it('R18: Closed Won and Closed Lost in Salesforce close the referral as Won / Lost', async () => {
    const won = await syncedDeal();
    const lost = await syncedDeal();
    await stack.salesforce.control.updateRecord(won.opportunityId, { StageName: 'Closed Won' });
    await stack.salesforce.control.updateRecord(lost.opportunityId, { StageName: 'Closed Lost' });
    for (const [deal, substatus] of [
      [won, 'Won'],
      [lost, 'Lost'],
    ] as const) {
      const referral = await waitForValue(
        async () => (await referralsFor(stack.partnerCenter.control, deal.opportunityId))[0],
        (r) => r?.status === 'Closed',
        { ...SYNC_DEADLINE, description: `the referral to close as ${substatus}` },
      );
      expect(referral).toMatchObject({ status: 'Closed', substatus });
      await waitForOpportunity(
        stack.seller,
        deal.opportunityId,
        (o) =>
          o.Partner_Center_Status__c === 'Closed' && o.Partner_Center_Substatus__c === substatus,
        `the opportunity to show Closed/${substatus}`,
      );
    }
  });
});
