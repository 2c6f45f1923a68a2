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

/** A webhook delivery as the Partner Center emulator logs it. */
interface Delivery {
  id: number;
  eventName: string;
  body: string;
  state: string;
  attempts: { status?: number }[];
}

/**
 * R1 echo race, made deterministic: our PATCH's referral-updated webhook (or our create's
 * referral-created) reaches the bridge BEFORE the outbound worker stores the referral state the
 * PATCH (create) returned. The link save is held, so the race that the end-to-end test hits on
 * most runs happens on every run here. The webhook intake waits (bounded) for the send and then
 * answers the echo without storing it; when the send does not settle within that wait, the
 * delivery is stored and the inbound worker recognises it instead.
 */
describe('R1 webhook echo of our own PATCH', () => {
  let holdLinkSave:
    { opportunityId: string; gate: ReturnType<typeof gate>; engaged?: boolean } | undefined;
  let inboxClaims = 0;
  let watchGetLink: string | undefined;
  let getLinkCalls = 0;
  /** Deliveries recorded in the inbox, per referral (new and redelivered alike). */
  const recorded = new Map<string, number>();
  /** Link look-ups by referral id (the echo checks), per referral. */
  const lookups = new Map<string, number>();
  const bump = (counts: Map<string, number>, key: string) =>
    counts.set(key, (counts.get(key) ?? 0) + 1);

  /** The real store; only the link save can be held, and inbox work and look-ups are counted. */
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
              hold.engaged = true;
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
        if (property === 'getLinkByReferral') {
          return async (...args: Parameters<StateStore['getLinkByReferral']>) => {
            bump(lookups, args[0]);
            return target.getLinkByReferral(...args);
          };
        }
        if (property === 'recordDelivery') {
          return async (...args: Parameters<StateStore['recordDelivery']>) => {
            bump(recorded, args[0].referralId);
            return target.recordDelivery(...args);
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

  /** The emulator's webhook deliveries for one referral, oldest first. */
  async function deliveriesOf(referralId: string): Promise<Delivery[]> {
    const { value } = (await world.pcControl('GET', '/deliveries')) as { value: Delivery[] };
    return value.filter((d) => d.body.includes(`/referrals/${referralId}"`));
  }

  /** Every delivery after the first `from` of a referral answered 2xx (none left in flight). */
  async function answered(referralId: string, from: number, count: number) {
    await waitFor(async () => {
      const later = (await deliveriesOf(referralId)).slice(from);
      return (
        later.length === count &&
        later.every((d) => d.state === 'succeeded' && d.attempts.at(-1)?.status === 200)
      );
    }, `${count} webhook deliveries for ${referralId} answered 200`);
  }

  /** Echoes counted in /metrics: an inbound sync outcome "skipped" (no read, nothing applied). */
  async function skippedInbound(): Promise<number> {
    const metric = world.metrics.registry.getSingleMetric('cosell_sync_outcomes_total');
    const values = (await metric?.get())?.values ?? [];
    return values
      .filter((v) => v.labels.direction === 'inbound' && v.labels.outcome === 'skipped')
      .reduce((sum, v) => sum + v.value, 0);
  }

  /** A synced opportunity, its referral id, and a seller edit queued for sending. */
  async function editedOpportunity(fields: Record<string, unknown>) {
    const { engine } = world.runtime;
    const { opportunityId } = await world.readyOpportunity();
    await engine.resync({ opportunityId }, { fresh: false });
    await engine.drain();
    await engine.drain();
    await inboxSettled();
    const referralId = (await world.store.getLink(opportunityId))?.referralId;
    if (!referralId) throw new Error(`no referral for ${opportunityId}`);
    await world.edit(opportunityId, fields);
    await engine.resync({ opportunityId }, { fresh: false });
    return { opportunityId, referralId };
  }

  it('R1: the webhook of our PATCH is answered without being stored and costs no read, even when it outruns the link save', async () => {
    const { engine } = world.runtime;
    const { opportunityId, referralId } = await editedOpportunity({ Amount: 63_000 });
    const before = await world.pcStats();
    const deliveriesBefore = (await deliveriesOf(referralId)).length;
    const lookupsBefore = lookups.get(referralId) ?? 0;
    const skippedBefore = await skippedInbound();
    const held = gate();
    holdLinkSave = { opportunityId, gate: held };

    // 1. The outbound worker PATCHes (answered 204); its link save is held.
    const outbound = engine.processOutbound();
    // 2. The PATCH's webhook reaches the intake, which waits for the send (nothing stored yet).
    await waitFor(
      () => (lookups.get(referralId) ?? 0) > lookupsBefore || undefined,
      'the intake to judge the webhook of our PATCH',
    );
    expect(recorded.get(referralId) ?? 0).toBe(0);
    // 3. The PATCH's result is stored; the intake answers the echo without storing it.
    held.open();
    expect((await outbound).synced).toBe(1);
    await answered(referralId, deliveriesBefore, 1);

    const after = await world.pcStats();
    const delta = (route: string) => (after[route] ?? 0) - (before[route] ?? 0);
    expect(delta('PATCH /v1.0/engagements/referrals/{id}')).toBe(1);
    expect(delta('GET /v1.0/engagements/referrals/{id}')).toBe(0);
    expect(recorded.get(referralId) ?? 0).toBe(0);
    expect((await world.store.queueDepths()).inboxPending).toBe(0);
    expect(await skippedInbound()).toBe(skippedBefore + 1);
    expect((await engine.processInbound()).claimed).toBe(0);
  });

  it('R9 R12: a Microsoft change made while our PATCH is in flight is stored, read and applied to Salesforce', async () => {
    const { engine } = world.runtime;
    const { opportunityId, referralId } = await editedOpportunity({ Amount: 64_500 });
    const before = await world.pcStats();
    const deliveriesBefore = (await deliveriesOf(referralId)).length;
    const lookupsBefore = lookups.get(referralId) ?? 0;
    const held = gate();
    const hold: NonNullable<typeof holdLinkSave> = { opportunityId, gate: held };
    holdLinkSave = hold;

    // 1. Our PATCH is answered; its link save is held, so the send is still in flight ...
    const outbound = engine.processOutbound();
    await waitFor(() => hold.engaged, 'our PATCH answered and its link save held');
    // 2. ... when Microsoft changes the referral's notes: two webhooks, ours and theirs.
    const notes = 'Microsoft: the customer asks for a migration workshop';
    await world.pcControl('POST', `/microsoft/referrals/${referralId}`, { details: { notes } });
    await waitFor(
      () => (lookups.get(referralId) ?? 0) >= lookupsBefore + 2 || undefined,
      'the intake to judge both webhooks',
    );
    // 3. The send settles: one webhook is taken as our echo, the other is stored.
    held.open();
    expect((await outbound).synced).toBe(1);
    await answered(referralId, deliveriesBefore, 2);
    expect(recorded.get(referralId) ?? 0).toBe(1);

    // 4. Reading the stored one reads both changes: Microsoft's notes reach Salesforce.
    await engine.drain();
    const opportunity = await world.read('Opportunity', opportunityId);
    expect(opportunity.Description).toBe(notes);
    expect(opportunity.Amount).toBe(64_500);
    const after = await world.pcStats();
    const delta = (route: string) => (after[route] ?? 0) - (before[route] ?? 0);
    expect(delta('PATCH /v1.0/engagements/referrals/{id}')).toBe(1);
    expect(delta('GET /v1.0/engagements/referrals/{id}')).toBe(1);
    const referral = (await world.pcReferrals()).find((r) => r.id === referralId) as
      { details: { dealValue: number; notes: string } } | undefined;
    expect(referral?.details).toMatchObject({ dealValue: 64_500, notes });
  });

  it('R1: a PATCH whose send does not settle within the intake wait: its webhook is stored as before, and still costs no read', async () => {
    const { engine } = world.runtime;
    const { opportunityId, referralId } = await editedOpportunity({ Amount: 64_000 });
    const before = await world.pcStats();
    const held = gate();
    holdLinkSave = { opportunityId, gate: held };
    const claimsBefore = inboxClaims;

    // 1. The outbound worker PATCHes; its link save is held.
    const outbound = engine.processOutbound();
    // 2. The intake waits for the send as long as it may (ECHO_SETTLE_WAIT_MS), then stores the
    //    webhook: it cannot call it an echo yet.
    await waitFor(
      async () => (await world.store.queueDepths()).inboxPending > 0 || undefined,
      'the referral-updated webhook of our PATCH in the inbox',
    );
    expect(recorded.get(referralId)).toBe(1);
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

  it('R1: the referral-created webhook of our create is answered without being stored, even before the new referral is stored', async () => {
    const { engine } = world.runtime;
    await inboxSettled();
    const { opportunityId } = await world.readyOpportunity();
    await engine.resync({ opportunityId }, { fresh: false });
    const before = await world.pcStats();
    const total = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);
    const recordedBefore = total(recorded);
    const lookupsBefore = total(lookups);
    const held = gate();
    const hold: NonNullable<typeof holdLinkSave> = { opportunityId, gate: held };
    holdLinkSave = hold;

    // 1. The outbound worker creates the referral; storing the new referral id is held.
    const outbound = engine.processOutbound();
    // 2. The create's referral-created reaches the intake, which finds no link naming the new
    //    referral (its save is held) and waits for the create in flight.
    await waitFor(
      () => (hold.engaged && total(lookups) > lookupsBefore) || undefined,
      'the intake to judge the referral-created of our create',
    );
    // 3. The create's result is stored; the intake answers the echo without storing it.
    held.open();
    expect((await outbound).synced).toBe(1);
    const referralId = (await world.store.getLink(opportunityId))?.referralId ?? '';
    await answered(referralId, 0, 1);

    const after = await world.pcStats();
    const delta = (route: string) => (after[route] ?? 0) - (before[route] ?? 0);
    expect(delta('POST /v1.0/engagements/referrals')).toBe(1);
    expect(delta('GET /v1.0/engagements/referrals/{id}')).toBe(0);
    expect(total(recorded)).toBe(recordedBefore);
    expect((await world.store.queueDepths()).inboxPending).toBe(0);
  });

  it('R1: a create whose send does not settle within the intake wait: its referral-created is stored, and still costs no read', async () => {
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
    // 2. Partner Center's referral-created for it is stored once the intake gave up waiting for
    //    the create (no link names the referral yet).
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
