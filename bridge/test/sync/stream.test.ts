import { openStore, type StateStore } from '../../src/store';
import { startWorld, waitFor, type World } from './helpers/world';

const OPPORTUNITY_CHANNEL = '/data/OpportunityChangeEvent';

// Real servers on a shared 2-core machine: each step waits on a condition with its own deadline.
jest.setTimeout(30_000);
/**
 * The CDC path end to end: the real jsforce streaming client (faye long polling) against the
 * Salesforce emulator's CometD endpoint, the transactional outbox, the coalescing window, echo
 * suppression, restart from the durable replay cursor and the expired-replay fallback.
 */
describe('CDC-driven outbound sync', () => {
  let world: World;
  let store: StateStore;

  beforeAll(async () => {
    store = openStore('sqlite::memory:');
    world = await startWorld({
      withChangeStream: true,
      store,
      engine: { coalesceWindowMs: 1_500, sweepOnStart: false },
    });
    await world.runtime.engine.start();
  }, 30_000);

  afterAll(async () => {
    await world?.close();
    await store?.close();
  });

  async function referralOf(opportunityId: string) {
    return (await world.pcReferrals()).find((r) => r.externalReferenceId === opportunityId) as
      { id: string; details: { dealValue: number } } | undefined;
  }

  async function patchesSoFar(): Promise<number> {
    return (await world.pcStats())['PATCH /v1.0/engagements/referrals/{id}'] ?? 0;
  }

  /** Everything Salesforce has emitted so far is durably recorded and no outbound work waits. */
  async function settled(): Promise<boolean> {
    const events = (await world.sfControl(
      'GET',
      `/events?channel=${encodeURIComponent(OPPORTUNITY_CHANNEL)}`,
    )) as { latestReplayIdOnChannel: number | null };
    const cursor = (await store.getReplayId(OPPORTUNITY_CHANNEL)) ?? -1;
    const depths = await store.queueDepths();
    return cursor >= (events.latestReplayIdOnChannel ?? -1) && depths.outboundPending === 0;
  }

  it('R1: a seller switching sync on creates the referral from the change event alone', async () => {
    const { opportunityId } = await world.readyOpportunity();
    const referral = await waitFor(() => referralOf(opportunityId), 'referral created from CDC');
    await waitFor(
      async () =>
        (await world.read('Opportunity', opportunityId)).Partner_Center_Referral_Id__c ===
        referral.id,
      'link written back',
    );
  });

  it('R1: a burst of 50 edits to one opportunity costs at most two Partner Center calls', async () => {
    const { opportunityId } = await world.readyOpportunity();
    await waitFor(() => referralOf(opportunityId), 'referral created');
    await waitFor(settled, 'the create settled');
    const before = await patchesSoFar();
    for (let i = 1; i <= 50; i += 1) await world.edit(opportunityId, { Amount: 50_000 + i * 100 });
    await waitFor(
      async () => (await referralOf(opportunityId))?.details.dealValue === 55_000,
      'final amount in Partner Center',
    );
    await waitFor(settled, 'the burst settled');
    expect((await patchesSoFar()) - before).toBeLessThanOrEqual(2);
    expect((await patchesSoFar()) - before).toBeGreaterThanOrEqual(1);
  });

  it('R9: our own write of a mapped field (inbound Amount) does not echo back to Partner Center', async () => {
    const { opportunityId } = await world.readyOpportunity();
    const referral = await waitFor(() => referralOf(opportunityId), 'referral created');
    await waitFor(settled, 'the create settled');
    await world.pcControl('POST', `/microsoft/referrals/${referral.id}`, {
      details: { dealValue: 99_000 },
    });
    const before = await patchesSoFar();
    await world.runtime.engine.catchUpPartnerCenter();
    await world.runtime.engine.drain();
    await waitFor(
      async () => (await world.read('Opportunity', opportunityId)).Amount === 99_000,
      'Amount applied in Salesforce',
    );
    await waitFor(settled, 'the echo event recorded');
    expect((await patchesSoFar()) - before).toBe(0);
    const outbound = (await store.journal(opportunityId)).filter((e) => e.direction === 'Outbound');
    expect(outbound).toHaveLength(1);
  });

  it('R17: a solution row added to the opportunity (junction CREATE event) updates the referral', async () => {
    const { opportunityId } = await world.readyOpportunity();
    await waitFor(() => referralOf(opportunityId), 'referral created');
    await waitFor(settled, 'the create settled');
    const [other] = await world.seed('Microsoft_Solution__c', [
      {
        Name: 'Emulated Microsoft 365 Adoption Solution',
        Solution_Id__c: 'SOL-EMU-0002-M365',
        Is_Active__c: true,
      },
    ]);
    await world.seed('Co_Sell_Solution__c', [
      { Opportunity__c: opportunityId, Microsoft_Solution__c: other },
    ]);
    await waitFor(async () => {
      const referral = (await referralOf(opportunityId)) as unknown as {
        details: { requirements?: { solutions?: { id: string }[] } };
      };
      const ids = referral.details.requirements?.solutions?.map((s) => s.id).sort() ?? [];
      return ids.join() === 'SOL-EMU-0001-AZR,SOL-EMU-0002-M365';
    }, 'both solutions in Partner Center');
  });

  it('R13: after a restart the stream resumes from the durable replay cursor (no reconciliation)', async () => {
    const { opportunityId } = await world.readyOpportunity();
    await waitFor(() => referralOf(opportunityId), 'referral created');
    await waitFor(settled, 'settled before the restart');
    await world.runtime.stop();

    await world.edit(opportunityId, { Amount: 77_700 });
    const restarted = await startWorld({
      reuse: world,
      withChangeStream: true,
      store,
      engine: { coalesceWindowMs: 0, sweepOnStart: false },
    });
    world = Object.assign(world, { runtime: restarted.runtime });
    await restarted.runtime.engine.start();
    await waitFor(
      async () => (await referralOf(opportunityId))?.details.dealValue === 77_700,
      'edit made while down is synced',
    );
    expect((await restarted.runtime.engine.status()).lastReconcileAt).toBeNull();
  });

  it('R13: a replay id past the retention window falls back to a SystemModstamp reconciliation', async () => {
    const { opportunityId } = await world.readyOpportunity();
    await waitFor(() => referralOf(opportunityId), 'referral created');
    await waitFor(settled, 'settled before going down');
    await world.runtime.stop();

    await world.edit(opportunityId, { Amount: 88_800 });
    // Three days pass: the events after our cursor are purged.
    await world.sfControl('POST', '/retention', { retentionMs: 60_000 });
    await world.sfControl('POST', '/clock', { advanceMs: 5 * 60_000 });
    const restarted = await startWorld({
      reuse: world,
      withChangeStream: true,
      store,
      engine: { coalesceWindowMs: 0, sweepOnStart: false },
    });
    world = Object.assign(world, { runtime: restarted.runtime });
    await restarted.runtime.engine.start();
    await waitFor(
      async () => (await referralOf(opportunityId))?.details.dealValue === 88_800,
      'edit recovered by reconciliation',
    );
    expect((await restarted.runtime.engine.status()).lastReconcileAt).not.toBeNull();
  });
});
