import { openStore, type StateStore } from '../../src/store';
import { gate } from './helpers/gate';
import { dealPatchedWithoutETag } from './helpers/patched-deal';
import { inboundWorldForFile, waitFor } from './helpers/world';

// Real servers on a shared 2-core machine: each step waits on a condition with its own deadline.
jest.setTimeout(30_000);

/**
 * The seller's Amount 11748 lost in a three-replica chaos run (R13): the inbound
 * worker reads a Microsoft change, our PATCH (answered 204) lands, then the inbound apply stores
 * the state it read, which predates our PATCH but is newer by time than the base we sent from.
 * The send's base save kept that stored state as it was, without the values just sent; the next
 * Microsoft change then looked as if Partner Center had changed our Amount, and its older value
 * overwrote the seller's newer one in Salesforce. Two link look-ups are held here, so the order
 * the chaos run hit by chance happens on every run.
 */
describe('R13 the base a 204 send stores after an apply stored a newer state', () => {
  const holds = { readPhase: gate(), baseSave: gate(), armed: '' };
  let linkReads = 0;

  /** The real store; the armed opportunity's link reads wait (read phase, then the base save). */
  function watchedStore(): StateStore {
    const store = openStore('sqlite::memory:');
    const getLink = store.getLink.bind(store);
    const saveLink = store.saveLink.bind(store);
    store.getLink = async (opportunityId) => {
      if (opportunityId === holds.armed) {
        linkReads += 1;
        await (linkReads === 1 ? holds.readPhase : holds.baseSave).wait();
      }
      return getLink(opportunityId);
    };
    store.saveLink = async (link, options) => {
      const saved = await saveLink(link, options);
      // The apply has stored the state it read: the send may now look at the stored link.
      if (link.opportunityId === holds.armed && linkReads >= 1) holds.baseSave.open();
      return saved;
    };
    return store;
  }
  const world = inboundWorldForFile({ world: () => ({ store: watchedStore() }) });

  const inboxPending = async () => (await world.store.queueDepths()).inboxPending;
  const referralGets = async () =>
    (await world.pcStats())['GET /v1.0/engagements/referrals/{id}'] ?? 0;
  const microsoftNotes = (referralId: string, notes: string) =>
    world.pcControl('POST', `/microsoft/referrals/${referralId}`, { details: { notes } });

  it("R13: a Microsoft change applied while the seller's Amount is sent does not later undo a newer Amount", async () => {
    const { engine } = world.runtime;
    const { opportunityId, referralId } = await dealPatchedWithoutETag(world, {
      created: 70_000,
      patched: 70_500,
    });

    // 1. The seller changes the Amount; Microsoft changes the notes.
    await world.edit(opportunityId, { Amount: 71_000 });
    await engine.resync({ opportunityId }, { fresh: false });
    await microsoftNotes(referralId, 'Microsoft: first note');
    await waitFor(async () => (await inboxPending()) > 0 || undefined, "Microsoft's webhook");

    // 2. The send stops before its read; the inbound worker reads the referral (no 71 000 yet).
    holds.armed = opportunityId;
    const outbound = engine.processOutbound();
    await waitFor(() => linkReads === 1 || undefined, 'the send to start reading the deal');
    const getsBefore = await referralGets();
    const inbound = engine.processInbound();
    await waitFor(async () => (await referralGets()) > getsBefore || undefined, 'the read');
    // 3. The send reads and PATCHes (204); it looks at the stored link only once the apply has
    //    stored the state it read before the PATCH.
    holds.readPhase.open();
    expect(await outbound).toMatchObject({ synced: 1, failed: 0 });
    await inbound;
    holds.armed = '';
    await engine.drain();

    // 4. The seller changes the Amount again; before it is sent, Microsoft edits the notes again.
    await world.edit(opportunityId, { Amount: 72_000 });
    await microsoftNotes(referralId, 'Microsoft: second note');
    await waitFor(async () => (await inboxPending()) > 0 || undefined, 'the second webhook');
    await engine.processInbound();
    expect(await world.read('Opportunity', opportunityId)).toMatchObject({
      Amount: 72_000,
      Description: 'Microsoft: second note',
    });

    await engine.resync({ opportunityId }, { fresh: false });
    await engine.drain();
    const referral = (await world.pcReferrals()).find((r) => r.id === referralId) as
      { details: { dealValue: number; notes: string } } | undefined;
    expect(referral?.details).toMatchObject({ dealValue: 72_000, notes: 'Microsoft: second note' });
  });
});
