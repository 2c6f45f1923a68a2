import { worldForFile } from './helpers/world';

// Real servers on a shared 2-core machine: each step waits on a condition with its own deadline.
jest.setTimeout(30_000);
/** R1: the daily Partner Center budget is enforced before each call and reported clearly. */
describe('daily Partner Center call budget', () => {
  let offsetMs = 0;

  const world = worldForFile({ budget: 2, now: () => new Date(Date.now() + offsetMs) });

  it('R1: when the budget is spent the engine pauses with a clear status and resumes the work after the reset', async () => {
    const first = await world.readyOpportunity();
    const second = await world.readyOpportunity();
    const third = await world.readyOpportunity();
    const before = await world.referralCalls();
    for (const { opportunityId } of [first, second, third]) {
      await world.runtime.engine.resync({ opportunityId }, { fresh: false });
    }
    await world.runtime.engine.drain();

    // Exactly the budget was spent; the third create was never sent.
    expect((await world.referralCalls()) - before).toBe(2);
    const created = (await world.pcReferrals()).map((r) => r.externalReferenceId);
    expect(created).toEqual(expect.arrayContaining([first.opportunityId, second.opportunityId]));
    expect(created).not.toContain(third.opportunityId);

    const status = await world.runtime.engine.status();
    expect(status.budget).toMatchObject({ budget: 2, used: 2, left: 0, paused: true });
    expect(status.paused?.message).toMatch(
      /^Paused: daily Partner Center budget of 2 calls reached; resumes at \d{4}-\d{2}-\d{2}T00:00:00\.000Z$/,
    );

    // The seller sees the pause on the record; the job waits (not failed for good) until the reset.
    const opportunity = await world.read('Opportunity', third.opportunityId);
    expect(opportunity.Partner_Center_Sync_Status__c).toBe('Pending');
    expect(opportunity.Partner_Center_Sync_Message__c).toBe(status.paused?.message);
    const failure = (await world.runtime.engine.failures()).find(
      (f) => f.key === third.opportunityId,
    );
    expect(failure).toMatchObject({ permanent: false, nextAttemptAt: status.budget.resetsAt });

    // The next UTC day: the paused create goes out by itself, nothing is lost or duplicated.
    offsetMs = Date.parse(status.budget.resetsAt) - Date.now() + 1_000;
    await world.runtime.engine.drain();
    expect(
      (await world.pcReferrals()).filter((r) => r.externalReferenceId === third.opportunityId),
    ).toHaveLength(1);
    expect(
      (await world.read('Opportunity', third.opportunityId)).Partner_Center_Sync_Status__c,
    ).toBe('Synced');
    const nextDay = await world.runtime.engine.status();
    expect(nextDay.paused).toBeNull();
    // One call: the refused create cleared its intent, so no lookup was needed.
    expect(nextDay.budget.used).toBe(1);
  });
});
