import { worldForFile } from './helpers/world';

// Real servers on a shared 2-core machine: each step waits on a condition with its own deadline.
jest.setTimeout(30_000);

/**
 * The reconciliation sweep (R13) against both emulators with the real clients. The world runs
 * without a change stream, so an edit reaches the bridge only through the sweep: exactly the
 * case the sweep exists for (missed change events, an expired replay window).
 */
describe('reconciliation sweep', () => {
  const world = worldForFile();

  async function synced(): Promise<string> {
    const { opportunityId } = await world.readyOpportunity();
    await world.runtime.engine.resync({ opportunityId }, { fresh: false });
    await world.runtime.engine.drain();
    expect(await world.runtime.store.getOutbound(opportunityId)).toBeUndefined();
    return opportunityId;
  }

  it('R13: queues only what changed since the last sync; an untouched opportunity costs no job and no call', async () => {
    const untouched = await synced();
    const edited = await synced();
    const neverSent = (await world.readyOpportunity()).opportunityId;
    await world.edit(edited, { Amount: 91_000 });

    const before = await world.referralCalls();
    const swept = await world.runtime.engine.reconcile('test');
    expect(swept.checked).toBeGreaterThanOrEqual(3);
    expect(await world.runtime.store.getOutbound(untouched)).toBeUndefined();
    expect(await world.runtime.store.getOutbound(edited)).toMatchObject({ reason: 'reconcile' });
    expect(await world.runtime.store.getOutbound(neverSent)).toMatchObject({ reason: 'reconcile' });

    await world.runtime.engine.drain();
    // One PATCH for the edit, one create for the opportunity that was never sent.
    expect((await world.referralCalls()) - before).toBe(2);
    const referral = (await world.pcReferrals()).find((r) => r.externalReferenceId === edited);
    expect((referral?.details as Record<string, unknown>).dealValue).toBe(91_000);
    expect(
      (await world.pcReferrals()).filter((r) => r.externalReferenceId === neverSent),
    ).toHaveLength(1);
  });

  it('R13: a stored referral that no longer matches (forgotten base) is handed to the worker, not skipped', async () => {
    const opportunityId = await synced();
    await world.runtime.store.saveLink({ opportunityId, referral: null });
    await world.runtime.engine.reconcile('test');
    expect(await world.runtime.store.getOutbound(opportunityId)).toMatchObject({
      reason: 'reconcile',
    });
    await world.runtime.engine.drain();
    expect(await world.runtime.store.getOutbound(opportunityId)).toBeUndefined();
  });
});
