/**
 * Nothing changes silently on create: text cut to Partner Center's limits and a Close Date in
 * the past are written into the audit event and the seller's sync message, as an update's
 * warnings are, while the deal still syncs.
 */
import { worldForFile } from './helpers/world';

jest.setTimeout(30_000);

describe('create: what the seller should know', () => {
  const world = worldForFile();

  it('a 120-character Name, a 32,000-character Description and a past Close Date are synced with warnings in the audit and on the record', async () => {
    const name = `Contoso ${'N'.repeat(112)}`;
    const description = 'D'.repeat(32_000);
    const { opportunityId } = await world.readyOpportunity({
      Name: name,
      Description: description,
      CloseDate: '2020-01-15',
    });
    await world.runtime.engine.resync({ opportunityId }, { fresh: false });
    await world.runtime.engine.drain();

    const [referral] = (await world.pcReferrals()).filter(
      (r) => r.externalReferenceId === opportunityId,
    );
    expect(String(referral?.name)).toHaveLength(100);

    const created = (await world.runtime.store.journal(opportunityId)).find((e) =>
      /^Created referral /.test(e.message),
    );
    expect(created?.outcome).toBe('Success');
    expect(created?.message).toContain(
      'Opportunity.Name is 120 characters; Partner Center receives the first 100.',
    );
    expect(created?.message).toContain(
      'Opportunity.Description is 32000 characters; Partner Center receives the first 1000.',
    );
    expect(created?.message).toContain('Close Date 2020-01-15 is in the past');

    const record = await world.read('Opportunity', opportunityId);
    expect(record.Partner_Center_Sync_Status__c).toBe('Synced');
    expect(String(record.Partner_Center_Sync_Message__c)).toMatch(
      /Opportunity\.Name is 120 characters[\s\S]*Close Date 2020-01-15 is in the past/,
    );
  });

  it('a clean create leaves the sync message empty', async () => {
    const { opportunityId } = await world.readyOpportunity();
    await world.runtime.engine.resync({ opportunityId }, { fresh: false });
    await world.runtime.engine.drain();
    const record = await world.read('Opportunity', opportunityId);
    expect(record.Partner_Center_Sync_Status__c).toBe('Synced');
    expect(record.Partner_Center_Sync_Message__c ?? null).toBeNull();
  });
});
