import { inboundWorldForFile, microsoftReferral, waitFor } from './helpers/world';

// Real servers on a shared 2-core machine: each step waits on a condition with its own deadline.
jest.setTimeout(30_000);

/**
 * R13, found by the chaos suite (CHAOS_SEED=1130969959 under load): a catch-up item carries the
 * referral as it was LISTED. A claim holds one delivery per referral, so a Microsoft change's
 * webhook that came after the listing waits behind it. Applying the listed (older) state must
 * not mark that webhook done as if the current state had been read: its change would never
 * reach Salesforce, and the catch-up watermark has already moved past it.
 */
describe('R13 inbox: a listed state does not settle newer deliveries', () => {
  const world = inboundWorldForFile();

  async function inboxPending(): Promise<number> {
    return (await world.store.queueDepths()).inboxPending;
  }

  async function drainInbox(): Promise<void> {
    await waitFor(async () => {
      await world.runtime.engine.processInbound();
      return (await inboxPending()) === 0 || undefined;
    }, 'the inbox to be empty');
  }

  it("R13: Microsoft's change queued behind an older listed state reaches Salesforce", async () => {
    const { engine } = world.runtime;
    const body = microsoftReferral();
    body.details = { ...(body.details as Record<string, unknown>), notes: 'first notes' };
    const created = await world.pcControl('POST', '/microsoft/referrals', body);
    const referralId = String(created.id);
    await waitFor(async () => (await inboxPending()) > 0 || undefined, 'referral-created queued');
    await drainInbox();
    const [opportunity] = await world.query(
      `SELECT Id, Description FROM Opportunity WHERE Partner_Center_Referral_Id__c = '${referralId}'`,
    );
    expect(opportunity?.Description).toBe('first notes');

    // 1. A catch-up lists the referral (its state after our CRM id write) and queues it.
    const caughtUp = await engine.catchUpPartnerCenter();
    expect(caughtUp.queued).toBeGreaterThan(0);
    const queuedByCatchUp = await inboxPending();
    // 2. Microsoft then edits the notes; its webhook queues behind the listed state.
    await world.pcControl('POST', `/microsoft/referrals/${referralId}`, {
      details: { notes: 'Microsoft changed the notes' },
    });
    await waitFor(
      async () => (await inboxPending()) > queuedByCatchUp || undefined,
      "Microsoft's referral-updated queued",
    );
    // 3. The worker takes the listed state first, then whatever still waits.
    await drainInbox();

    const [after] = await world.query(
      `SELECT Description FROM Opportunity WHERE Id = '${String(opportunity?.Id)}'`,
    );
    expect(after?.Description).toBe('Microsoft changed the notes');
  });
});
