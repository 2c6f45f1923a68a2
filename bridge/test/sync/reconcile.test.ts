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

/**
 * The Partner Center catch-up (R13) after our own PATCH, which Partner Center answers 204: the
 * stored link carries our operations but not the server's new time, so the listing shows the
 * referral as changed since. The catch-up recognises our own state, stores its time and eTag, and
 * queues nothing; a Microsoft change on top is still queued and read.
 */
describe('Partner Center catch-up after our own PATCH', () => {
  const world = worldForFile();

  async function patchedDeal(
    amount: number,
  ): Promise<{ opportunityId: string; referralId: string }> {
    const { opportunityId } = await world.readyOpportunity();
    await world.runtime.engine.resync({ opportunityId }, { fresh: false });
    await world.runtime.engine.drain();
    await world.edit(opportunityId, { Amount: amount });
    await world.runtime.engine.reconcile('test');
    await world.runtime.engine.drain();
    const link = await world.runtime.store.getLink(opportunityId);
    expect(link?.referral?.details?.dealValue).toBe(amount);
    return { opportunityId, referralId: link!.referralId! };
  }

  it('R1 R13: our own 204 PATCH is learned (time and eTag stored), not queued or read', async () => {
    const { opportunityId, referralId } = await patchedDeal(93_000);
    const listed = (await world.pcReferrals()).find((r) => r.id === referralId)!;
    const stale = await world.runtime.store.getLink(opportunityId);
    expect(stale?.updatedDateTime).not.toBe(listed.updatedDateTime);

    const before = await world.referralCalls();
    const result = await world.runtime.engine.catchUpPartnerCenter();
    expect(result.queued).toBe(0);
    const learned = await world.runtime.store.getLink(opportunityId);
    expect(learned?.updatedDateTime).toBe(listed.updatedDateTime);
    expect(learned?.eTag).toBe(listed.eTag);
    await world.runtime.engine.drain();
    // The listing itself is the only call: nothing was read back.
    expect((await world.referralCalls()) - before).toBe(1);
  });

  it('R12 R13: a Microsoft change after our PATCH is still queued and reaches Salesforce', async () => {
    const { opportunityId, referralId } = await patchedDeal(94_000);
    await world.pcControl('POST', `/microsoft/referrals/${referralId}`, {
      details: { notes: 'Changed by Microsoft while we were away' },
    });
    const result = await world.runtime.engine.catchUpPartnerCenter();
    expect(result.queued).toBe(1);
    await world.runtime.engine.drain();
    const link = await world.runtime.store.getLink(opportunityId);
    expect(link?.referral?.details?.notes).toBe('Changed by Microsoft while we were away');
  });
});
