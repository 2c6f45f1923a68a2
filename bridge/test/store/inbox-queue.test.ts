import { manualClock, storeBackends } from './helpers';

const REFERRAL = 'a1b2c3d4-0000-4000-8000-000000000001';

function delivery(dedupeKey: string, receivedAt: Date, referralId = REFERRAL) {
  return {
    source: 'webhook' as const,
    dedupeKey,
    eventName: 'referral-updated',
    referralId,
    resourceChangeUtc: receivedAt.toISOString(),
    receivedAt,
    body: JSON.stringify({ EventName: 'referral-updated', ResourceUri: `…/${referralId}` }),
  };
}

describe.each(storeBackends())('$name store', ({ open: memoryStore }) => {
  describe('webhook inbox', () => {
    it('R18: a repeated delivery is recognised and stored once', async () => {
      const clock = manualClock();
      const store = memoryStore({ now: clock.now });
      expect(await store.recordDelivery(delivery('k1', clock.now()))).toBe(true);
      expect(await store.recordDelivery(delivery('k1', clock.now()))).toBe(false);
      const items = await store.claimInbox(10);
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({
        referralId: REFERRAL,
        eventName: 'referral-updated',
        attempts: 0,
      });
      const [item] = items;
      expect(item?.source === 'webhook' && JSON.parse(item.body)).toMatchObject({
        EventName: 'referral-updated',
      });
      expect(await store.completeInbox(items[0]!)).toBe('completed');
      // Still a duplicate after it was processed: the dedupe memory outlives the work.
      expect(await store.recordDelivery(delivery('k1', clock.now()))).toBe(false);
      expect(await store.claimInbox(10)).toEqual([]);
      await store.close();
    });

    it('R1: completing one delivery answers older unclaimed ones for the same referral', async () => {
      const clock = manualClock();
      const store = memoryStore({ now: clock.now });
      await store.recordDelivery(delivery('k1', clock.now()));
      const [first] = await store.claimInbox(1);
      await store.recordDelivery(delivery('k2', clock.advance(10))); // arrives after the claim
      await store.recordDelivery(delivery('other', clock.now(), 'another-referral'));
      expect(await store.completeInbox(first!)).toBe('completed');
      // k2 arrived after the claim began, so the fetched state may predate it: it stays.
      const next = await store.claimInbox(10);
      expect(next.map((i) => i.referralId).sort()).toEqual([
        'a1b2c3d4-0000-4000-8000-000000000001',
        'another-referral',
      ]);
      await store.close();
    });

    it('R1: deliveries received before the claim are covered by it', async () => {
      const clock = manualClock();
      const store = memoryStore({ now: clock.now });
      await store.recordDelivery(delivery('k1', clock.now()));
      await store.recordDelivery(delivery('k2', clock.advance(5)));
      const [first] = await store.claimInbox(1, clock.advance(5));
      expect(await store.completeInbox(first!)).toBe('completed');
      expect(await store.claimInbox(10)).toEqual([]);
      expect((await store.queueDepths()).inboxPending).toBe(0);
      await store.close();
    });

    it('R13: a completion without a read (a listed state, an echo) leaves the other deliveries waiting', async () => {
      const clock = manualClock();
      const store = memoryStore({ now: clock.now });
      await store.recordDelivery(delivery('listed', clock.now()));
      await store.recordDelivery(delivery('microsoft', clock.advance(5)));
      const [first] = await store.claimInbox(10, clock.advance(5));
      expect(await store.completeInbox(first!, clock.now(), { coversEarlier: false })).toBe(
        'completed',
      );
      // The change that came after the listing is still to be read and applied.
      expect((await store.queueDepths()).inboxPending).toBe(1);
      expect(await store.claimInbox(10)).toHaveLength(1);
      await store.close();
    });

    it('claims one delivery per referral at a time, so states apply in order', async () => {
      const clock = manualClock();
      const store = memoryStore({ now: clock.now });
      await store.recordDelivery(delivery('k1', clock.now()));
      await store.recordDelivery(delivery('k2', clock.advance(1)));
      await store.recordDelivery(delivery('x1', clock.now(), 'another-referral'));
      const batch = await store.claimInbox(10, clock.advance(1));
      expect(batch.map((i) => i.referralId).sort()).toEqual([REFERRAL, 'another-referral']);
      // While that claim is live, the referral's other delivery is not handed to anyone else.
      await store.recordDelivery(delivery('k3', clock.advance(1)));
      expect(await store.claimInbox(10)).toEqual([]);
      const mine = batch.find((i) => i.referralId === REFERRAL)!;
      await store.failInbox(mine, { error: '503', permanent: false, retryAt: clock.now() });
      // The failed one is the oldest again; the others still wait behind it.
      expect((await store.claimInbox(10)).map((i) => i.id)).toEqual([mine.id]);
      await store.close();
    });

    it('R14: failures retry, can be listed and retried by referral id', async () => {
      const clock = manualClock();
      const store = memoryStore({ now: clock.now });
      await store.recordDelivery(delivery('k1', clock.now()));
      const [item] = await store.claimInbox(1);
      expect(
        await store.failInbox(item!, {
          error: 'Salesforce UNABLE_TO_LOCK_ROW',
          permanent: false,
          retryAt: clock.now(),
        }),
      ).toBe('retrying');
      const [again] = await store.claimInbox(1);
      expect(again).toMatchObject({ attempts: 1, lastError: 'Salesforce UNABLE_TO_LOCK_ROW' });
      await store.failInbox(again!, {
        error: 'INSUFFICIENT_ACCESS',
        permanent: true,
        retryAt: null,
      });
      expect(await store.listFailures()).toMatchObject([
        {
          direction: 'inbound',
          key: REFERRAL,
          permanent: true,
          attempts: 2,
          error: 'INSUFFICIENT_ACCESS',
        },
      ]);
      expect(await store.retryFailures({ ids: [REFERRAL] })).toBe(1);
      expect(await store.listFailures()).toEqual([]);
      expect(await store.claimInbox(1)).toMatchObject([{ referralId: REFERRAL, attempts: 0 }]);
      await store.close();
    });

    it('R1: says whether a delivery for one referral is failing, as listFailures would list it', async () => {
      const clock = manualClock();
      const store = memoryStore({ now: clock.now });
      const OTHER = 'a1b2c3d4-0000-4000-8000-000000000002';
      await store.recordDelivery(delivery('k1', clock.now()));
      await store.recordDelivery(delivery('k2', clock.now(), OTHER));
      // Pending, never failed: not failing.
      expect(await store.inboundFailing(REFERRAL)).toBe(false);
      const claimed = await store.claimInbox(10);
      const mine = claimed.find((i) => i.referralId === REFERRAL)!;
      const other = claimed.find((i) => i.referralId === OTHER)!;
      await store.failInbox(mine, { error: '503', permanent: false, retryAt: clock.now() });
      // Retrying after an error: failing, for this referral only.
      expect(await store.inboundFailing(REFERRAL)).toBe(true);
      expect(await store.inboundFailing(OTHER)).toBe(false);
      await store.failInbox(other, {
        error: 'INSUFFICIENT_ACCESS',
        permanent: true,
        retryAt: null,
      });
      expect(await store.inboundFailing(OTHER)).toBe(true);
      // An outbound job keyed like the referral is not an inbox delivery.
      expect(await store.inboundFailing('006000000000001AAA')).toBe(false);
      const [again] = await store.claimInbox(10);
      expect(await store.completeInbox(again!)).toBe('completed');
      expect(await store.inboundFailing(REFERRAL)).toBe(false);
      expect((await store.listFailures()).map((f) => f.key)).toEqual([OTHER]);
      await store.close();
    });

    it('prune forgets finished deliveries after the retention, never pending ones', async () => {
      const clock = manualClock();
      const store = memoryStore({ now: clock.now });
      await store.recordDelivery(delivery('done', clock.now(), 'r-done'));
      await store.recordDelivery(delivery('pending', clock.now(), 'r-pending'));
      const [done] = (await store.claimInbox(10)).filter((i) => i.referralId === 'r-done');
      await store.completeInbox(done!);
      clock.advance(31 * 24 * 3600_000);
      const result = await store.prune({ journalRetentionDays: 400, inboxRetentionDays: 30 });
      expect(result.inboxItems).toBe(1);
      expect(await store.recordDelivery(delivery('done', clock.now(), 'r-done'))).toBe(true);
      expect(await store.recordDelivery(delivery('pending', clock.now(), 'r-pending'))).toBe(false);
      await store.close();
    });
  });
});
