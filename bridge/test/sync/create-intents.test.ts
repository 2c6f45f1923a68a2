import { openStore, type StateStore } from '../../src/store';
import { startWorld, waitFor, type World } from './helpers/world';

// Real servers on a shared 2-core machine: each step waits on a condition with its own deadline.
jest.setTimeout(40_000);

/**
 * The create intents of a batch are stored in one durable transaction (group commit), before the
 * first create is sent; a crash after some creates still yields one referral per opportunity.
 * The store is the real one, watched (and, for the crash, cut off) through a proxy.
 */
describe('create intents of a batch', () => {
  let world: World;
  const real = openStore('sqlite::memory:', { leaseMs: 300 });
  const calls: { method: string; args: unknown[]; referralsSoFar: number }[] = [];
  let crashAfterCreateOf: string | undefined;
  let crashed = false;
  const watched = new Proxy(real, {
    get(target, property, receiverObject) {
      const value: unknown = Reflect.get(target, property, receiverObject);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (crashed) throw new Error('the process is gone');
        if (property === 'saveLink' || property === 'saveLinks') {
          const referralsSoFar = (await world.pcReferrals()).length;
          calls.push({ method: property, args, referralsSoFar });
        }
        const result: unknown = await (value as (...a: unknown[]) => unknown).apply(target, args);
        const [link] = args as Parameters<StateStore['saveLink']>;
        if (property === 'saveLink' && link.opportunityId === crashAfterCreateOf && link.referralId)
          crashed = true;
        return result;
      };
    },
  });

  beforeAll(async () => {
    world = await startWorld({ store: watched, engine: { outboundConcurrency: 3 } });
    await world.ensureSolution();
  }, 30_000);
  afterAll(async () => {
    await world?.close();
    await real.close();
  });

  const referralsOf = async (ids: readonly string[]) =>
    (await world.pcReferrals()).filter((r) => ids.includes(String(r.externalReferenceId)));

  it('stores every intent in one transaction before any create is sent, and no intent per job', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push((await world.readyOpportunity()).opportunityId);
    for (const opportunityId of ids)
      await world.runtime.engine.resync({ opportunityId }, { fresh: false });
    const before = (await world.pcReferrals()).length;
    calls.length = 0;
    await world.runtime.engine.processOutbound();

    const intents = calls.filter(
      (c) =>
        c.method === 'saveLinks' ||
        Boolean((c.args[0] as { createIntentAt?: string | null }).createIntentAt),
    );
    expect(intents).toEqual([
      {
        method: 'saveLinks',
        args: [
          ids.map((opportunityId) => ({
            opportunityId,
            referralId: null,
            createIntentAt: expect.any(String),
          })),
        ],
        referralsSoFar: before,
      },
    ]);
    expect(await referralsOf(ids)).toHaveLength(3);
    const journal = await real.journal(ids[0]!);
    expect(journal.map((e) => e.message)).toContainEqual(
      expect.stringMatching(/^Created referral /),
    );
  });

  it('a crash after the first create: the restarted bridge finds the sent creates, one referral each', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push((await world.readyOpportunity()).opportunityId);
    for (const opportunityId of ids)
      await world.runtime.engine.resync({ opportunityId }, { fresh: false });
    crashAfterCreateOf = ids[0];
    await expect(world.runtime.engine.processOutbound()).rejects.toThrow('the process is gone');

    await world.runtime.stop();
    const restarted = await startWorld({ reuse: world, store: real });
    world = Object.assign(world, { runtime: restarted.runtime });
    await waitFor(async () => {
      await restarted.runtime.engine.drain();
      return (await real.queueDepths()).outboundPending === 0 || undefined;
    }, 'the retried jobs to finish');

    const referrals = await referralsOf(ids);
    expect(referrals.map((r) => r.externalReferenceId).sort()).toEqual([...ids].sort());
    for (const id of ids) {
      expect(await world.read('Opportunity', id)).toMatchObject({
        Partner_Center_Sync_Status__c: 'Synced',
      });
    }
  });
});
