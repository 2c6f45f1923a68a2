import type { ReferralCreate } from '../../src/schemas';
import { waitFor, worldForFile } from './helpers/world';

// Real servers on a shared 2-core machine: each step waits on a condition with its own deadline.
jest.setTimeout(30_000);
/**
 * Outbound engine decisions against both emulators with the real clients. Work is enqueued with
 * `resync` (what an operator or the reconciliation sweep does) and run with `drain()`, so each
 * test controls exactly when the engine acts; stream.test.ts covers the CDC path.
 */
describe('outbound sync (Salesforce → Partner Center)', () => {
  const world = worldForFile();

  async function syncNow(opportunityId: string): Promise<number> {
    const before = await world.referralCalls();
    await world.runtime.engine.resync({ opportunityId }, { fresh: false });
    await world.runtime.engine.drain();
    return (await world.referralCalls()) - before;
  }

  async function referralFor(opportunityId: string) {
    const found = (await world.pcReferrals()).filter(
      (r) => r.externalReferenceId === opportunityId,
    );
    expect(found).toHaveLength(1);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- emulator JSON, asserted field by field
    return found[0] as Record<string, any>;
  }

  it('R1: creates one referral from a ready opportunity with exactly one Partner Center call and writes the link back', async () => {
    const { opportunityId } = await world.readyOpportunity();
    expect(await syncNow(opportunityId)).toBe(1);

    const referral = await referralFor(opportunityId);
    expect(referral.details.dealValue).toBe(50_000);
    const opportunity = await world.read('Opportunity', opportunityId);
    expect(opportunity.Partner_Center_Referral_Id__c).toBe(referral.id);
    expect(opportunity.Partner_Center_Engagement_Id__c).toBe(referral.engagementId);
    expect(opportunity.Partner_Center_Sync_Status__c).toBe('Synced');
    expect(opportunity.Partner_Center_Status__c).toBe(referral.status);
    expect(String(opportunity.Partner_Center_Referral_Link__c)).toContain(referral.id);

    // Observable: the outcome and the budget left are on /metrics.
    const metrics = await world.metrics.text();
    expect(metrics).toMatch(
      /cosell_sync_outcomes_total\{direction="outbound",outcome="success"\} [1-9]/,
    );
    expect(metrics).toMatch(/cosell_partner_center_budget_remaining \d+/);

    // R10: the attempt is on the opportunity's audit trail in Salesforce.
    const audit = await world.query(
      `SELECT Direction__c, Outcome__c, Referral_Id__c, Api_Calls__c FROM Co_Sell_Sync_Event__c WHERE Opportunity__c = '${opportunityId}'`,
    );
    expect(audit).toEqual([
      expect.objectContaining({
        Direction__c: 'Outbound',
        Outcome__c: 'Success',
        Referral_Id__c: referral.id,
        Api_Calls__c: 1,
      }),
    ]);
  });

  it('R1: a steady-state change costs one PATCH with only the changed path; an unchanged record costs nothing', async () => {
    const { opportunityId } = await world.readyOpportunity();
    await syncNow(opportunityId);

    await world.edit(opportunityId, { Amount: 75_000 });
    const before = await world.pcStats();
    expect(await syncNow(opportunityId)).toBe(1);
    const after = await world.pcStats();
    const patches = Object.entries(after)
      .filter(([route]) => route.startsWith('PATCH'))
      .reduce((sum, [route, n]) => sum + n - (before[route] ?? 0), 0);
    expect(patches).toBe(1);
    expect((await referralFor(opportunityId)).details.dealValue).toBe(75_000);

    expect(await syncNow(opportunityId)).toBe(0);
    const journal = await world.runtime.store.journal(opportunityId);
    expect(journal.at(-1)).toMatchObject({ outcome: 'Skipped', apiCalls: 0 });
  });

  it('R13/R18: an operator resync of one synced opportunity reads its referral once and reports it unchanged, not synced', async () => {
    const { opportunityId } = await world.readyOpportunity();
    await syncNow(opportunityId);
    const outcomes: Array<{ unchanged: number; synced: number }> = [];
    const onBatch = (batch: { unchanged: number; synced: number }) => outcomes.push(batch);
    world.runtime.engine.events.on('outbound-batch', onBatch);
    const before = await world.referralCalls();
    // As `cosell resync <id>` does: compared with Partner Center's copy, not the bridge's.
    await world.runtime.engine.resync({ opportunityId });
    await world.runtime.engine.drain();
    world.runtime.engine.events.off('outbound-batch', onBatch);
    expect((await world.referralCalls()) - before).toBe(1);
    expect(outcomes).toEqual([expect.objectContaining({ unchanged: 1, synced: 0 })]);
    const journal = await world.runtime.store.journal(opportunityId);
    expect(journal.at(-1)).toMatchObject({
      outcome: 'Skipped',
      message: 'Nothing to send: Partner Center already has this state',
      apiCalls: 1,
    });
  });

  it('R13: a reconciliation sweep over synced opportunities costs no Partner Center call and adds no audit noise', async () => {
    const { opportunityId } = await world.readyOpportunity();
    await syncNow(opportunityId);
    const journalBefore = (await world.runtime.store.journal(opportunityId)).length;
    const before = await world.referralCalls();
    const swept = await world.runtime.engine.reconcile('test');
    expect(swept.checked).toBeGreaterThan(0);
    await world.runtime.engine.drain();
    expect((await world.referralCalls()) - before).toBe(0);
    expect(await world.runtime.store.journal(opportunityId)).toHaveLength(journalBefore);
  });

  it('R11/R16: an invalid country stops the sync before any call, with the exact fix on the record', async () => {
    const { opportunityId, accountId } = await world.readyOpportunity();
    // The account changes after sync was switched on (its rules do not re-check opportunities).
    await world.edit(accountId, { BillingCountry: 'Sweden' });
    expect(await syncNow(opportunityId)).toBe(0);

    const opportunity = await world.read('Opportunity', opportunityId);
    expect(opportunity.Partner_Center_Sync_Status__c).toBe('Error');
    expect(opportunity.Partner_Center_Sync_Message__c).toContain('Account Billing Country');
    expect(opportunity.Partner_Center_Sync_Message__c).toContain('SE');
    const failures = await world.runtime.engine.failures();
    expect(failures.find((f) => f.key === opportunityId)).toMatchObject({ permanent: true });
    expect((await world.pcReferrals()).some((r) => r.externalReferenceId === opportunityId)).toBe(
      false,
    );

    // R14: the data change re-enqueues it, and the fix makes it go through.
    await world.edit(accountId, { BillingCountry: 'SE' });
    expect(await syncNow(opportunityId)).toBe(1);
    expect((await world.read('Opportunity', opportunityId)).Partner_Center_Sync_Status__c).toBe(
      'Synced',
    );
  });

  it('R17: no co-sell solution → Error with the fix, no Partner Center call', async () => {
    const [accountId] = await world.seed('Account', [{ Name: 'Fabrikam', BillingCountry: 'DE' }]);
    // Sellers cannot save sync on without a solution (the rules hold in Error too); only the
    // bridge's own writes (Co_Sell_Bridge_Writes) can leave a record like this.
    const [opportunityId] = await world.seed(
      'Opportunity',
      [
        {
          Name: 'Fabrikam data platform',
          AccountId: accountId,
          StageName: 'Prospecting',
          CloseDate: '2030-01-31',
          Amount: 10_000,
          Referral_Currency__c: 'EUR',
          Partner_Center_Sync_Status__c: 'Error',
          Sync_with_Partner_Center__c: true,
        },
      ],
      'bridge@cosell.example',
    );
    expect(await syncNow(opportunityId!)).toBe(0);
    const opportunity = await world.read('Opportunity', opportunityId!);
    expect(opportunity.Partner_Center_Sync_Status__c).toBe('Error');
    expect(opportunity.Partner_Center_Sync_Message__c).toMatch(/solution/i);
  });

  it('R12: an opportunity with sync off is never sent', async () => {
    const { opportunityId } = await world.readyOpportunity({ Sync_with_Partner_Center__c: false });
    expect(await syncNow(opportunityId)).toBe(0);
    expect((await world.pcReferrals()).some((r) => r.externalReferenceId === opportunityId)).toBe(
      false,
    );
  });

  it('Won/Lost outbound: Closed Won moves the referral to Closed/Won', async () => {
    const { opportunityId } = await world.readyOpportunity();
    await syncNow(opportunityId);
    await world.edit(opportunityId, { StageName: 'Closed Won' });
    expect(await syncNow(opportunityId)).toBe(1);
    const referral = await referralFor(opportunityId);
    expect([referral.status, referral.substatus]).toEqual(['Closed', 'Won']);
    const opportunity = await world.read('Opportunity', opportunityId);
    expect([opportunity.Partner_Center_Status__c, opportunity.Partner_Center_Substatus__c]).toEqual(
      ['Closed', 'Won'],
    );

    const lost = await world.readyOpportunity();
    await syncNow(lost.opportunityId);
    await world.edit(lost.opportunityId, { StageName: 'Closed Lost' });
    await syncNow(lost.opportunityId);
    const lostReferral = await referralFor(lost.opportunityId);
    expect([lostReferral.status, lostReferral.substatus]).toEqual(['Closed', 'Lost']);
  });

  it('412: a referral changed in Partner Center since our last call is re-read and our change re-applied', async () => {
    const { opportunityId } = await world.readyOpportunity();
    await syncNow(opportunityId);
    const referral = await referralFor(opportunityId);
    // Someone else edits the referral: its eTag moves on, ours is stale.
    await world.pcControl('POST', `/microsoft/referrals/${referral.id}`, {
      team: [{ firstName: 'Mia', lastName: 'Msft', email: 'mia@microsoft.example' }],
    });

    await world.edit(opportunityId, { Amount: 61_000 });
    const before = await world.pcStats();
    await syncNow(opportunityId);
    const after = await world.pcStats();
    const delta = (route: string) => (after[route] ?? 0) - (before[route] ?? 0);
    expect(delta('PATCH /v1.0/engagements/referrals/{id}')).toBe(2);
    expect(delta('GET /v1.0/engagements/referrals/{id}')).toBe(1);
    const updated = await referralFor(opportunityId);
    expect(updated.details.dealValue).toBe(61_000);
    expect(updated.team).toEqual([expect.objectContaining({ email: 'mia@microsoft.example' })]);
  });

  it("newer change wins: a Partner Center change made after the seller's edit is applied to Salesforce, not overwritten", async () => {
    const { opportunityId } = await world.readyOpportunity();
    await syncNow(opportunityId);
    const referral = await referralFor(opportunityId);
    await world.edit(opportunityId, { Amount: 61_500 });
    // Later, before the bridge sends the edit, Microsoft revises the deal value.
    await waitFor(async () => {
      const record = await world.read('Opportunity', opportunityId);
      return Date.now() > Date.parse(String(record.LastModifiedDate).replace('+0000', 'Z'));
    }, 'the clock to move past the edit');
    await world.pcControl('POST', `/microsoft/referrals/${referral.id}`, {
      details: { dealValue: 70_000 },
    });

    await world.runtime.engine.resync({ opportunityId }, { fresh: false });
    await world.runtime.engine.drain();
    await world.runtime.engine.retryFailures({ ids: [opportunityId] });
    await world.runtime.engine.drain();

    expect((await referralFor(opportunityId)).details.dealValue).toBe(70_000);
    expect((await world.read('Opportunity', opportunityId)).Amount).toBe(70_000);
  });

  it('R13: a 412 caused by a Microsoft notes edit keeps both edits: their notes reach Salesforce, the seller’s Amount reaches Partner Center', async () => {
    const { opportunityId } = await world.readyOpportunity();
    await syncNow(opportunityId);
    const referral = await referralFor(opportunityId);
    // Microsoft edits the notes first; the bridge has not seen it (no webhook in this world).
    await world.pcControl('POST', `/microsoft/referrals/${referral.id}`, {
      details: { notes: 'Microsoft: customer wants a workshop' },
    });
    // Then the seller edits another field: Salesforce's record is now the newer one.
    await waitFor(async () => {
      const current = await world.pcReferrals();
      const theirs = current.find((r) => r.id === referral.id);
      return Date.now() > Date.parse(String(theirs?.updatedDateTime));
    }, 'the clock to move past the Microsoft edit');
    await world.edit(opportunityId, { Amount: 62_000 });

    // One attempt: the 412, one read, their notes applied to Salesforce, our Amount re-sent.
    const before = await world.pcStats();
    await world.runtime.engine.resync({ opportunityId }, { fresh: false });
    await world.runtime.engine.drain();
    const after = await world.pcStats();
    const delta = (route: string) => (after[route] ?? 0) - (before[route] ?? 0);
    expect(delta('PATCH /v1.0/engagements/referrals/{id}')).toBe(2);
    expect(delta('GET /v1.0/engagements/referrals/{id}')).toBe(1);
    expect(await world.runtime.engine.failures()).not.toContainEqual(
      expect.objectContaining({ key: opportunityId }),
    );

    const updated = await referralFor(opportunityId);
    expect(updated.details.dealValue).toBe(62_000);
    expect(updated.details.notes).toBe('Microsoft: customer wants a workshop');
    const record = await world.read('Opportunity', opportunityId);
    expect(record.Amount).toBe(62_000);
    expect(record.Description).toBe('Microsoft: customer wants a workshop');
  });

  it('latest change wins on a field both sides edited: the seller’s later notes overwrite Microsoft’s earlier ones on both sides', async () => {
    const { opportunityId } = await world.readyOpportunity();
    await syncNow(opportunityId);
    const referral = await referralFor(opportunityId);
    await world.pcControl('POST', `/microsoft/referrals/${referral.id}`, {
      details: { notes: 'Microsoft: first draft' },
    });
    await waitFor(async () => {
      const current = await world.pcReferrals();
      const theirs = current.find((r) => r.id === referral.id);
      return Date.now() > Date.parse(String(theirs?.updatedDateTime));
    }, 'the clock to move past the Microsoft edit');
    await world.edit(opportunityId, { Description: 'Seller: final wording' });

    await world.runtime.engine.resync({ opportunityId }, { fresh: false });
    await world.runtime.engine.drain();

    expect((await referralFor(opportunityId)).details.notes).toBe('Seller: final wording');
    expect((await world.read('Opportunity', opportunityId)).Description).toBe(
      'Seller: final wording',
    );
  });

  it('crash between create and link: the retry finds the referral by externalReferenceId instead of creating a second one', async () => {
    const { opportunityId } = await world.readyOpportunity();
    const { runtime } = world;
    // The Partner Center create succeeds, then the process "dies" before anything is persisted.
    const referrals = runtime.referrals;
    const create = referrals.create.bind(referrals);
    let crashes = 0;
    (referrals as { create: (body: ReferralCreate) => ReturnType<typeof create> }).create = async (
      body,
    ) => {
      await create(body);
      crashes += 1;
      throw new Error('process killed after the create reached Partner Center');
    };
    try {
      await world.runtime.engine.resync({ opportunityId });
      await world.runtime.engine.drain();
    } finally {
      (referrals as { create: typeof create }).create = create;
    }
    expect(crashes).toBe(1);
    expect(
      (await world.read('Opportunity', opportunityId)).Partner_Center_Referral_Id__c,
    ).toBeNull();

    await world.runtime.engine.retryFailures({ ids: [opportunityId] });
    await world.runtime.engine.drain();
    const referral = await referralFor(opportunityId);
    expect((await world.read('Opportunity', opportunityId)).Partner_Center_Referral_Id__c).toBe(
      referral.id,
    );
  });
});
