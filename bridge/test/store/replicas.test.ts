import { storeBackends } from './helpers';

/**
 * Several bridge replicas on one store (Postgres in production; SQLite processes on one machine
 * obey the same rules): they claim in parallel but never the same opportunity or referral at
 * once, and they share one daily Partner Center budget (R1).
 */
const REPLICAS = 3;
const opp = (i: number) => `006${String(i).padStart(12, '0')}AAA`;

describe.each(storeBackends())('$name store', ({ open }) => {
  describe('replicas on one store', () => {
    it('R1: replicas reserving at once never pass the shared daily budget', async () => {
      const stores = Array.from({ length: REPLICAS }, () => open({}, 'budget'));
      const results = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          stores[i % REPLICAS]!.reserveApiCalls('partner-center', '2026-03-02', 40),
        ),
      );
      expect(results.filter((r) => r.granted)).toHaveLength(40);
      expect(await stores[0]!.apiCalls('2026-03-02')).toEqual({ 'partner-center': 40 });
    });

    it('never two live claims on one referral, though its deliveries are separate rows', async () => {
      const stores = Array.from({ length: REPLICAS }, () => open({ leaseMs: 60_000 }, 'inbox'));
      const referrals = ['ref-1', 'ref-2'];
      for (let i = 0; i < 12; i += 1) {
        await stores[i % REPLICAS]!.recordDelivery({
          source: 'webhook',
          dedupeKey: `delivery-${i}`,
          eventName: 'referral-updated',
          referralId: referrals[i % 2]!,
          resourceChangeUtc: null,
          receivedAt: new Date(Date.UTC(2026, 2, 2, 9, 0, i)),
          body: '{}',
        });
      }
      const at = new Date(Date.UTC(2026, 2, 2, 10));
      const claimed = (await Promise.all(stores.map((s) => s.claimInbox(5, at)))).flat();
      // One per referral across all replicas, though each asked for five.
      expect(claimed.map((item) => item.referralId).sort()).toEqual(referrals);
      expect((await Promise.all(stores.map((s) => s.claimInbox(5, at)))).flat()).toEqual([]);
    });

    it('R1: concurrent enqueues of one opportunity coalesce into one job; parallel claims split the rest', async () => {
      const stores = Array.from({ length: REPLICAS }, () => open({}, 'outbound'));
      const ids = Array.from({ length: 30 }, (_, i) => opp(i));
      await Promise.all(
        stores.map((store, r) =>
          store.enqueueOutbound([
            ...ids.map((opportunityId) => ({
              opportunityId,
              reason: 'resync',
              changedFields: [`Field${r}`],
              notBefore: new Date(0),
            })),
          ]),
        ),
      );
      expect((await stores[0]!.queueDepths()).outboundPending).toBe(30);
      const claimed: string[] = [];
      for (let round = 0; round < 6; round += 1) {
        const batches = await Promise.all(stores.map((s) => s.claimOutbound(4)));
        claimed.push(...batches.flat().map((job) => job.opportunityId));
      }
      expect(claimed).toHaveLength(30);
      expect(new Set(claimed).size).toBe(30);
    });
  });
});
