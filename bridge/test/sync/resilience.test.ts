import { startWorld, waitFor, type World } from './helpers/world';

// Real servers on a shared 2-core machine: each step waits on a condition with its own deadline.
jest.setTimeout(30_000);

/** Access problems and expiring credentials while the engine runs with its CDC stream. */
describe('engine resilience', () => {
  let world: World;

  beforeAll(async () => {
    world = await startWorld({ withChangeStream: true, engine: { coalesceWindowMs: 200 } });
    await world.runtime.engine.start();
  }, 30_000);

  afterAll(async () => {
    await world?.close();
  });

  const referralOf = async (opportunityId: string) =>
    (await world.pcReferrals()).find((r) => r.externalReferenceId === opportunityId) as
      { id: string; details: { dealValue: number } } | undefined;

  it('start() subscribes each CDC channel exactly once (one faye client per channel)', async () => {
    const stats = (await world.sfControl('GET', '/stats')) as {
      cometdChannels?: Record<string, number>;
    };
    expect(stats.cometdChannels?.['/meta/subscribe']).toBe(2);
  });

  it('R2: without the Referrals admin role the opportunity shows Error naming the role, and syncs once it is granted', async () => {
    await world.pcControl('POST', '/roles', { referralsAdmin: false });
    const { opportunityId } = await world.readyOpportunity();
    const opportunity = await waitFor(async () => {
      const record = await world.read('Opportunity', opportunityId);
      return record.Partner_Center_Sync_Status__c === 'Error' ? record : undefined;
    }, 'the access error on the record');
    expect(String(opportunity.Partner_Center_Sync_Message__c)).toMatch(/Referrals admin/);
    expect(await referralOf(opportunityId)).toBeUndefined();

    await world.pcControl('POST', '/roles', { referralsAdmin: true });
    await world.runtime.engine.retryFailures({ ids: [opportunityId] });
    await waitFor(() => referralOf(opportunityId), 'the referral once the role is granted');
    await waitFor(
      async () =>
        (await world.read('Opportunity', opportunityId)).Partner_Center_Sync_Status__c === 'Synced',
      'Synced after the fix',
    );
  });

  it('R13: tokens expiring on both sides mid-stream lose no change', async () => {
    const { opportunityId } = await world.readyOpportunity();
    await waitFor(() => referralOf(opportunityId), 'referral created');

    await world.sfControl('POST', '/faults', { expireTokens: true });
    await world.pcControl('POST', '/faults', { expireTokens: true });
    await world.edit(opportunityId, { Amount: 66_600 });

    await waitFor(
      async () => (await referralOf(opportunityId))?.details.dealValue === 66_600,
      'the edit after token expiry reaches Partner Center',
      20_000,
    );
    const status = await world.runtime.engine.status();
    expect(status.failures.permanent).toBe(0);
  });

  it('stop() is graceful: the engine stops taking events and reports itself stopped', async () => {
    const stopped = new Promise((resolve) => world.runtime.engine.events.once('stopped', resolve));
    await world.runtime.engine.stop();
    await stopped;
    expect((await world.runtime.engine.status()).running).toBe(false);
  });
});
