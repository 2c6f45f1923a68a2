/**
 * A Partner Center outage (connections dropped without an answer): R1's budget counts only calls
 * Partner Center saw, the circuit breaker stops the whole outbound queue instead of every job
 * spending its attempts, the outage shows in dependency health and the metric, and everything
 * resumes by itself once Partner Center answers.
 */
import { waitFor, worldForFile } from './helpers/world';

jest.setTimeout(60_000);

describe('Partner Center outage', () => {
  const world = worldForFile();

  afterEach(async () => {
    await world.pcControl('DELETE', '/faults');
  });

  it('R1: refused calls do not spend the budget; the circuit opens, the queue waits as a whole, then resumes', async () => {
    const first = await world.readyOpportunity();
    const second = await world.readyOpportunity();
    const third = await world.readyOpportunity();
    // Sign in to Partner Center while it answers: the outage below hits the Referrals API itself.
    await world.runtime.referrals.checkAccess();
    const usedBefore = (await world.runtime.budget.usage()).used;
    const sentBefore = await world.referralCalls();

    await world.pcControl('POST', '/faults', {
      match: { path: '/v1.0/engagements/referrals' },
      dropConnection: true,
    });
    for (const { opportunityId } of [first, second, third]) {
      await world.runtime.engine.resync({ opportunityId }, { fresh: false });
    }
    const outage = await world.runtime.engine.processOutbound();
    expect(outage.failed).toBe(3);
    // The emulator saw three creates arrive and dropped them without an answer.
    const dropped = (await world.referralCalls()) - sentBefore;
    expect(dropped).toBe(3);

    // Nothing reached Partner Center, so nothing was counted against the day's budget.
    expect((await world.runtime.budget.usage()).used).toBe(usedBefore);
    // The circuit is open: the next round claims nothing and sends nothing.
    expect(world.runtime.partnerCenterCircuit.open).toBe(true);
    const attemptsBefore = (await world.runtime.engine.failures()).map((f) => f.attempts);
    expect(await world.runtime.engine.processOutbound()).toMatchObject({ claimed: 0 });
    expect((await world.runtime.engine.failures()).map((f) => f.attempts)).toEqual(attemptsBefore);

    // Visible: readiness data and the metric say Partner Center is down, with the cause.
    const partnerCenter = world.runtime.health
      .snapshot()
      .find((d) => d.dependency === 'partner-center');
    expect(partnerCenter).toMatchObject({ state: 'down', lastError: expect.stringMatching(/\S/) });
    expect(await world.metrics.text()).toMatch(
      /^cosell_dependency_up\{dependency="partner-center"\} 0$/m,
    );

    // Partner Center is back: after the cool-down the queue drains by itself.
    await world.pcControl('DELETE', '/faults');
    await waitFor(
      () => world.runtime.partnerCenterCircuit.retryInMs() === 0,
      'the circuit cool-down',
      20_000,
    );
    await world.runtime.engine.retryFailures({ all: true });
    await world.runtime.engine.drain();
    for (const { opportunityId } of [first, second, third]) {
      expect((await world.read('Opportunity', opportunityId)).Partner_Center_Sync_Status__c).toBe(
        'Synced',
      );
    }
    // Exactly the calls Partner Center answered were counted.
    const answered = (await world.referralCalls()) - sentBefore - dropped;
    expect((await world.runtime.budget.usage()).used - usedBefore).toBe(answered);
    expect(
      world.runtime.health.snapshot().find((d) => d.dependency === 'partner-center')?.state,
    ).toBe('up');
    expect(await world.metrics.text()).toMatch(
      /^cosell_dependency_up\{dependency="partner-center"\} 1$/m,
    );
  });
});
