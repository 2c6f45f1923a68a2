import { openStore, type StateStore } from '../../src/store';
import { inboundWorldForFile, waitFor } from './helpers/world';

// Real servers on a shared 2-core machine: each step waits on a condition with its own deadline.
jest.setTimeout(30_000);

/** A one-shot gate: `wait()` blocks until `open()`. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, wait: () => opened };
}

/**
 * R1 echo race, made deterministic: our PATCH's referral-updated webhook (or our create's
 * referral-created) is delivered and claimed by the inbound worker BEFORE the outbound worker
 * stores the referral state the PATCH (create) returned.
 * The steps are ordered explicitly (the link save is held until the inbound worker has claimed
 * the webhook), so the race that the end-to-end test hits on most runs happens on every run here.
 */
describe('R1 webhook echo of our own PATCH', () => {
  let holdLinkSave: { opportunityId: string; gate: ReturnType<typeof gate> } | undefined;
  let inboxClaims = 0;
  let watchGetLink: string | undefined;
  let getLinkCalls = 0;

  /** The real store; only the link save can be held, and inbox claims are counted. */
  function watchedStore(): StateStore {
    const real = openStore('sqlite::memory:');
    return new Proxy(real, {
      get(target, property, receiverObject) {
        if (property === 'saveLink') {
          return async (...args: Parameters<StateStore['saveLink']>) => {
            const [link] = args;
            const hold = holdLinkSave;
            // Only a save that names the referral (after the PATCH or the create), not an intent.
            if (hold && link.opportunityId === hold.opportunityId && link.referralId) {
              holdLinkSave = undefined;
              await hold.gate.wait();
            }
            return target.saveLink(...args);
          };
        }
        if (property === 'getLink') {
          return async (...args: Parameters<StateStore['getLink']>) => {
            if (args[0] === watchGetLink) getLinkCalls += 1;
            return target.getLink(...args);
          };
        }
        if (property === 'claimInbox') {
          return async (...args: Parameters<StateStore['claimInbox']>) => {
            const items = await target.claimInbox(...args);
            inboxClaims += items.length;
            return items;
          };
        }
        const value: unknown = Reflect.get(target, property, receiverObject);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }
  const world = inboundWorldForFile({ world: () => ({ store: watchedStore() }) });

  async function inboxSettled() {
    await waitFor(
      async () => (await world.store.queueDepths()).inboxPending === 0 || undefined,
      'the inbox to be empty',
    );
  }

  it('R1: a seller change costs one PATCH and no read, even when its webhook outruns the link save', async () => {
    const { engine } = world.runtime;
    const { opportunityId } = await world.readyOpportunity();
    await engine.resync({ opportunityId }, { fresh: false });
    await engine.drain();
    await engine.drain();
    await inboxSettled();

    await world.edit(opportunityId, { Amount: 64_000 });
    await engine.resync({ opportunityId }, { fresh: false });
    const before = await world.pcStats();
    const held = gate();
    holdLinkSave = { opportunityId, gate: held };
    const claimsBefore = inboxClaims;

    // 1. The outbound worker PATCHes; its link save is held.
    const outbound = engine.processOutbound();
    // 2. The PATCH's webhook is verified and queued (intake cannot call it an echo yet).
    await waitFor(
      async () => (await world.store.queueDepths()).inboxPending > 0 || undefined,
      'the referral-updated webhook of our PATCH in the inbox',
    );
    // 3. The inbound worker claims it while the link still holds the state before the PATCH.
    const inbound = engine.processInbound();
    await waitFor(async () => inboxClaims > claimsBefore || undefined, 'the inbox claim');
    // 4. Only now is the PATCH's result stored.
    held.open();
    const [outResult, inResult] = await Promise.all([outbound, inbound]);

    const after = await world.pcStats();
    const delta = (route: string) => (after[route] ?? 0) - (before[route] ?? 0);
    expect(outResult.synced).toBe(1);
    expect(delta('PATCH /v1.0/engagements/referrals/{id}')).toBe(1);
    expect(delta('GET /v1.0/engagements/referrals/{id}')).toBe(0);
    expect(inResult).toMatchObject({ claimed: 1, stale: 1, failed: 0 });
    expect((await world.store.queueDepths()).inboxPending).toBe(0);
  });

  it('R1: a create costs one POST and no read, even when its referral-created webhook is claimed before the new referral is stored', async () => {
    const { engine } = world.runtime;
    await inboxSettled();
    const { opportunityId } = await world.readyOpportunity();
    await engine.resync({ opportunityId }, { fresh: false });
    const before = await world.pcStats();
    const held = gate();
    holdLinkSave = { opportunityId, gate: held };
    const claimsBefore = inboxClaims;

    // 1. The outbound worker creates the referral; storing the new referral id is held.
    const outbound = engine.processOutbound();
    // 2. Partner Center's referral-created for it is queued (no link names the referral yet).
    await waitFor(
      async () => (await world.store.queueDepths()).inboxPending > 0 || undefined,
      'the referral-created webhook of our create in the inbox',
    );
    // 3. The inbound worker claims it and looks at the send in flight ...
    watchGetLink = opportunityId;
    getLinkCalls = 0;
    let inboundDone = false;
    const inbound = engine.processInbound().finally(() => (inboundDone = true));
    await waitFor(async () => inboxClaims > claimsBefore || undefined, 'the inbox claim');
    await waitFor(
      async () => getLinkCalls > 0 || inboundDone || undefined,
      'the inbound worker to look at the create in flight',
    );
    // 4. ... and only now is the create's result stored.
    held.open();
    const [outResult, inResult] = await Promise.all([outbound, inbound]);
    watchGetLink = undefined;

    const after = await world.pcStats();
    const delta = (route: string) => (after[route] ?? 0) - (before[route] ?? 0);
    expect(outResult.synced).toBe(1);
    expect(delta('POST /v1.0/engagements/referrals')).toBe(1);
    expect(delta('GET /v1.0/engagements/referrals/{id}')).toBe(0);
    expect(inResult).toMatchObject({ claimed: 1, stale: 1, failed: 0 });
    expect((await world.store.queueDepths()).inboxPending).toBe(0);
  });
});
