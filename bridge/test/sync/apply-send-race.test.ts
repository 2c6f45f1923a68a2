import pino from 'pino';
import { openStore, type StateStore } from '../../src/store';
import { gate } from './helpers/gate';
import { dealPatchedWithoutETag } from './helpers/patched-deal';
import { inboundWorldForFile, waitFor } from './helpers/world';

// Real servers on a shared 2-core machine: each step waits on a condition with its own deadline.
jest.setTimeout(30_000);

/**
 * R13 lost update found by the three-replica chaos run: the inbound worker writes Microsoft's
 * notes to Salesforce and only then stores the referral it applied as the new base. An outbound
 * send of a seller edit that reads the opportunity between those two steps sees Microsoft's notes
 * in Salesforce but the old base, so it takes them for a seller change and sends them back; after
 * our own 204 PATCH there is no If-Match, so a newer Microsoft edit made meanwhile is overwritten
 * (and its webhook is then taken for the echo of that PATCH). The base save is held here, so the
 * window the chaos run hit once in 25 runs is open on every run: the send either
 * finishes inside it (the race) or waits for the apply (sync.outbound.waits_for_apply).
 */
describe('R13 an inbound apply and an outbound send of the same deal', () => {
  let holdLinkSave:
    { opportunityId: string; gate: ReturnType<typeof gate>; engaged?: boolean } | undefined;

  /** The real store, whose link save waits at the gate of `holdLinkSave` once. */
  function watchedStore(): StateStore {
    const store = openStore('sqlite::memory:');
    const save = store.saveLink.bind(store);
    store.saveLink = async (link, options) => {
      const hold = holdLinkSave;
      // The apply's save of the referral it applied (not a create intent).
      if (hold?.opportunityId === link.opportunityId && link.referralId) {
        holdLinkSave = undefined;
        hold.engaged = true;
        await hold.gate.wait();
      }
      return save(link, options);
    };
    return store;
  }
  /** The engine's log events, in order (debug level). */
  const events: string[] = [];
  const logger = pino(
    { level: 'debug' },
    {
      write: (line: string) => events.push(String((JSON.parse(line) as { event?: string }).event)),
    },
  );
  const world = inboundWorldForFile({ world: () => ({ store: watchedStore(), logger }) });

  const inboxPending = async () => (await world.store.queueDepths()).inboxPending;
  const referralDetails = async (referralId: string) =>
    (
      (await world.pcReferrals()).find((r) => r.id === referralId) as
        { details: { dealValue: number; notes: string | null } } | undefined
    )?.details;

  it('R13: a Microsoft edit made while the seller’s edit is sent on top of an apply in progress is kept on both sides', async () => {
    const { engine } = world.runtime;
    const { opportunityId, referralId } = await dealPatchedWithoutETag(world, {
      created: 60_000,
      patched: 61_000,
    });

    // 1. Microsoft edits the notes; the inbound worker reads them and writes them to Salesforce,
    //    and its save of the applied referral as the new base is held.
    const first = 'Microsoft: round one';
    await world.pcControl('POST', `/microsoft/referrals/${referralId}`, {
      details: { notes: first },
    });
    await waitFor(async () => (await inboxPending()) > 0 || undefined, "Microsoft's webhook");
    const held = gate();
    const hold: NonNullable<typeof holdLinkSave> = { opportunityId, gate: held };
    holdLinkSave = hold;
    const inbound = engine.processInbound();
    await waitFor(() => hold.engaged, 'the inbound apply to hold its base save');
    expect((await world.read('Opportunity', opportunityId)).Description).toBe(first);

    // 2. Meanwhile the seller changes the Amount and Microsoft edits the notes again.
    await world.edit(opportunityId, { Amount: 62_000 });
    await engine.resync({ opportunityId }, { fresh: false });
    const second = 'Microsoft: round two';
    await world.pcControl('POST', `/microsoft/referrals/${referralId}`, {
      details: { notes: second },
    });
    await waitFor(async () => (await inboxPending()) > 0 || undefined, 'the second webhook');

    // 3. The seller's edit goes out while the apply is still in progress: it must wait for it.
    let sendDone = false;
    const outbound = engine.processOutbound().finally(() => (sendDone = true));
    await waitFor(
      () => sendDone || events.includes('sync.outbound.waits_for_apply') || undefined,
      "the seller's send to finish or to wait for the apply",
    );
    held.open();
    expect(await outbound).toMatchObject({ synced: 1, failed: 0 });
    await inbound;
    await engine.drain();
    await engine.drain();

    // Both edits on both sides: the seller's Amount and Microsoft's LAST notes.
    expect(await referralDetails(referralId)).toMatchObject({ dealValue: 62_000, notes: second });
    const opportunity = await world.read('Opportunity', opportunityId);
    expect(opportunity).toMatchObject({ Amount: 62_000, Description: second });
  });
});
