import { startWorld, type World } from './helpers/world';

describe('outbound sync against the emulators', () => {
  let world: World;

  beforeAll(async () => {
    world = await startWorld();
  }, 30_000);

  afterAll(async () => {
    await world?.close();
  });

  it('R1: creates one referral from a ready opportunity with exactly one Partner Center call and writes the link back', async () => {
    const { opportunityId } = await world.readyOpportunity();
    await world.runtime.engine.resync({ opportunityId });
    const before = await world.referralCalls();
    await world.runtime.engine.drain();
    expect((await world.referralCalls()) - before).toBe(1);

    const referrals = (await world.pcReferrals()).filter(
      (r) => r.externalReferenceId === opportunityId,
    );
    expect(referrals).toHaveLength(1);
    const opportunity = await world.read('Opportunity', opportunityId);
    expect(opportunity.Partner_Center_Referral_Id__c).toBe(referrals[0]!.id);
    expect(opportunity.Partner_Center_Sync_Status__c).toBe('Synced');
    expect(opportunity.Partner_Center_Status__c).toBe(referrals[0]!.status);
  });
});
