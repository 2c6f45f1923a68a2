import { openStore, type StateStore } from '../../src/store';
import { startWorld, waitFor, type World } from './helpers/world';

// Real servers on a shared 2-core machine: each step waits on a condition with its own deadline.
jest.setTimeout(30_000);

/**
 * R10 crash point: the bridge dies right after it stored the link of a referral it just created,
 * before the batch's audit events and the Salesforce write-back. The store below is the real one
 * until that link is saved; from then on every store call fails, as if the process were gone.
 */
describe('R10: a crash right after a Partner Center create', () => {
  let world: World;
  let crashAfterLinkOf: string | undefined;
  let crashed = false;
  const real = openStore('sqlite::memory:', { leaseMs: 300 });
  const dying = new Proxy(real, {
    get(target, property, receiverObject) {
      const value: unknown = Reflect.get(target, property, receiverObject);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (crashed) throw new Error('the process is gone');
        const result: unknown = await (value as (...a: unknown[]) => unknown).apply(target, args);
        const [link] = args as Parameters<StateStore['saveLink']>;
        if (property === 'saveLink' && link.opportunityId === crashAfterLinkOf && link.referralId)
          crashed = true;
        return result;
      };
    },
  });

  beforeAll(async () => {
    world = await startWorld({ store: dying });
    await world.ensureSolution();
  }, 30_000);
  afterAll(async () => {
    await world?.close();
    await real.close();
  });

  it('R10: the create is audited with its link, so the restarted bridge still writes that audit; no second referral', async () => {
    const { opportunityId } = await world.readyOpportunity();
    crashAfterLinkOf = opportunityId;
    await world.runtime.engine.resync({ opportunityId }, { fresh: false });
    await expect(world.runtime.engine.processOutbound()).rejects.toThrow('the process is gone');
    const [referral, ...more] = (await world.pcReferrals()).filter(
      (r) => r.externalReferenceId === opportunityId,
    );
    expect(more).toEqual([]);
    const referralId = String(referral?.id);

    // Restart on the same database (the dead process's job lease runs out meanwhile).
    await world.runtime.stop();
    const restarted = await startWorld({ reuse: world, store: real });
    world = Object.assign(world, { runtime: restarted.runtime });
    const { engine } = restarted.runtime;
    await waitFor(async () => {
      await engine.drain();
      return (await real.queueDepths()).outboundPending === 0 || undefined;
    }, 'the retried job to finish');

    const journal = await real.journal(opportunityId);
    expect(journal.filter((e) => e.outcome === 'Success')).toEqual([
      expect.objectContaining({
        direction: 'Outbound',
        message: `Created referral ${referralId}`,
        referralId,
        apiCalls: 1,
        writtenAt: expect.any(String),
      }),
    ]);
    const audits = await world.query(
      `SELECT Outcome__c, Message__c FROM Co_Sell_Sync_Event__c WHERE Opportunity__c = '${opportunityId}'`,
    );
    expect(audits).toContainEqual(
      expect.objectContaining({
        Outcome__c: 'Success',
        Message__c: `Created referral ${referralId}`,
      }),
    );
    expect(await world.read('Opportunity', opportunityId)).toMatchObject({
      Partner_Center_Referral_Id__c: referralId,
      Partner_Center_Sync_Status__c: 'Synced',
    });
    expect(
      (await world.pcReferrals()).filter((r) => r.externalReferenceId === opportunityId),
    ).toHaveLength(1);
  });
});
