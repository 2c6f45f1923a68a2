import { manualClock, storeBackends } from './helpers';

const CHANNEL = '/data/OpportunityChangeEvent';
const OPP_A = '006000000000001AAA';
const OPP_B = '006000000000002AAA';

describe.each(storeBackends())('$name store', ({ open: memoryStore }) => {
  describe('outbound queue', () => {
    it('R13: recordChangeEvents enqueues work and advances the replay cursor together', async () => {
      const clock = manualClock();
      const store = memoryStore({ now: clock.now });
      await store.recordChangeEvents(CHANNEL, 41, [
        {
          opportunityId: OPP_A,
          reason: 'cdc:UPDATE',
          changedFields: ['Amount'],
          notBefore: clock.now(),
        },
      ]);
      expect(await store.getReplayId(CHANNEL)).toBe(41);
      const [job] = await store.claimOutbound(10);
      expect(job).toMatchObject({ opportunityId: OPP_A, reason: 'cdc:UPDATE', attempts: 0 });
      expect(job?.changedFields).toEqual(['Amount']);
      // Events that need no work (sync off, unmapped fields) still move the cursor.
      await store.recordChangeEvents(CHANNEL, 42, []);
      expect(await store.replayCursors()).toEqual([
        { channel: CHANNEL, replayId: 42, updatedAt: clock.now().toISOString() },
      ]);
      await store.close();
    });

    it('R13: a failure inside the batch rolls back both the work and the cursor', async () => {
      const store = memoryStore();
      await store.recordChangeEvents(CHANNEL, 7, []);
      const bad = { opportunityId: null as unknown as string, reason: 'cdc:UPDATE' };
      await expect(
        store.recordChangeEvents(CHANNEL, 8, [{ opportunityId: OPP_A, reason: 'cdc:UPDATE' }, bad]),
      ).rejects.toThrow();
      expect(await store.getReplayId(CHANNEL)).toBe(7);
      expect(await store.getOutbound(OPP_A)).toBeUndefined();
      await store.close();
    });

    it('R1: coalesces a burst of edits into one job with the union of fields, due after the last', async () => {
      const clock = manualClock();
      const store = memoryStore({ now: clock.now, coalesceWindowMs: 2_000 });
      for (const [replayId, field] of [
        [1, 'Amount'],
        [2, 'CloseDate'],
        [3, 'Amount'],
      ] as const) {
        await store.recordChangeEvents(CHANNEL, replayId, [
          {
            opportunityId: OPP_A,
            reason: 'cdc:UPDATE',
            changedFields: [field],
            receivedAt: clock.now(),
          },
        ]);
        clock.advance(500);
      }
      // Last request at +1000 ms, window 2000 ms: due at +3000 ms, not before.
      expect(await store.claimOutbound(10, clock.advance(1_499))).toEqual([]);
      const jobs = await store.claimOutbound(10, clock.advance(1));
      expect(jobs).toHaveLength(1);
      expect(jobs[0]?.changedFields).toEqual(['Amount', 'CloseDate']);
      expect((await store.queueDepths()).outboundPending).toBe(1);
      await store.close();
    });

    it('R1: a change to a job that is already due rides on it instead of delaying it (leading edge)', async () => {
      const clock = manualClock();
      const store = memoryStore({ now: clock.now });
      const start = clock.now().getTime();
      await store.enqueueOutbound([
        {
          opportunityId: OPP_A,
          reason: 'cdc:UPDATE',
          changedFields: ['Amount'],
          notBefore: clock.now(),
        },
      ]);
      clock.advance(20);
      await store.enqueueOutbound([
        {
          opportunityId: OPP_A,
          reason: 'cdc:UPDATE',
          changedFields: ['CloseDate'],
          notBefore: new Date(start + 2_020),
        },
      ]);
      const [job] = await store.claimOutbound(10);
      expect(job?.changedFields).toEqual(['Amount', 'CloseDate']);
      await store.close();
    });

    it('R1: an edit during a running claim is due at its own (trailing) time once the claim completes', async () => {
      const clock = manualClock();
      const store = memoryStore({ now: clock.now });
      const start = clock.now().getTime();
      await store.enqueueOutbound([
        { opportunityId: OPP_A, reason: 'cdc:UPDATE', notBefore: clock.now() },
      ]);
      const [running] = await store.claimOutbound(1);
      await store.enqueueOutbound([
        { opportunityId: OPP_A, reason: 'cdc:UPDATE', notBefore: new Date(start + 2_000) },
      ]);
      expect(await store.completeOutbound(running!)).toBe('requeued');
      expect(await store.claimOutbound(1, clock.advance(1_999))).toEqual([]);
      expect(await store.claimOutbound(1, clock.advance(1))).toHaveLength(1);
      await store.close();
    });

    it('claims due jobs oldest first, up to the limit, each only once', async () => {
      const clock = manualClock();
      const store = memoryStore({ now: clock.now });
      const ids = Array.from({ length: 5 }, (_, i) => `0060000000000${i}0AAA`);
      await store.enqueueOutbound(
        ids.map((opportunityId, i) => ({
          opportunityId,
          reason: 'resync',
          notBefore: new Date(clock.now().getTime() - (5 - i) * 1000),
        })),
      );
      const first = await store.claimOutbound(3);
      const second = await store.claimOutbound(3);
      expect(first.map((j) => j.opportunityId)).toEqual(ids.slice(0, 3));
      expect(second.map((j) => j.opportunityId)).toEqual(ids.slice(3));
      expect(await store.claimOutbound(3)).toEqual([]);
      await store.close();
    });

    it('completes a job by id or by its claim', async () => {
      const store = memoryStore();
      await store.enqueueOutbound([
        { opportunityId: OPP_A, reason: 'cdc:UPDATE' },
        { opportunityId: OPP_B, reason: 'cdc:UPDATE' },
      ]);
      const [a, b] = await store.claimOutbound(2);
      expect(await store.completeOutbound(a!.id)).toBe('completed');
      expect(await store.completeOutbound(b!)).toBe('completed');
      expect(await store.completeOutbound(b!)).toBe('missing');
      expect(await store.getOutbound(OPP_A)).toBeUndefined();
      await store.close();
    });

    it('R1: a change that arrives while a job runs keeps it queued (no lost update)', async () => {
      const clock = manualClock();
      const store = memoryStore({ now: clock.now });
      await store.enqueueOutbound([
        { opportunityId: OPP_A, reason: 'cdc:UPDATE', changedFields: ['Amount'] },
      ]);
      const [running] = await store.claimOutbound(1);
      await store.enqueueOutbound([
        { opportunityId: OPP_A, reason: 'cdc:UPDATE', changedFields: ['Name'] },
      ]);
      // Still leased by the running claim: nobody else takes it meanwhile.
      expect(await store.claimOutbound(1)).toEqual([]);
      expect(await store.completeOutbound(running!)).toBe('requeued');
      const [again] = await store.claimOutbound(1);
      expect(again).toMatchObject({ opportunityId: OPP_A, attempts: 0 });
      expect(again?.changedFields).toEqual(['Amount', 'Name']);
      expect(await store.completeOutbound(again!)).toBe('completed');
      await store.close();
    });

    it('settleOutbound settles a batch like completeOutbound/failOutbound, in one transaction', async () => {
      const clock = manualClock();
      const store = memoryStore({ now: clock.now });
      const OPP_C = '006000000000003AAA';
      await store.enqueueOutbound(
        [OPP_A, OPP_B, OPP_C].map((opportunityId) => ({ opportunityId, reason: 'cdc:UPDATE' })),
      );
      const claimed = await store.claimOutbound(10);
      const byId = (id: string) => claimed.find((j) => j.opportunityId === id)!;
      // A newer change to B while the batch runs: completing B must keep it queued.
      await store.enqueueOutbound([{ opportunityId: OPP_B, reason: 'cdc:UPDATE' }]);

      // One settlement that cannot be written (an invalid retry time) rolls back the whole batch:
      // every job stays claimed, none is half-settled.
      await expect(
        store.settleOutbound([
          { job: byId(OPP_A) },
          { job: byId(OPP_C), failure: { error: 'x', permanent: false, retryAt: new Date(NaN) } },
        ]),
      ).rejects.toThrow();
      expect((await store.getOutbound(OPP_A))?.leasedUntil).not.toBeNull();

      const retryAt = clock.advance(0);
      expect(
        await store.settleOutbound([
          { job: byId(OPP_A) },
          { job: byId(OPP_B) },
          { job: byId(OPP_C), failure: { error: 'Partner Center 503', permanent: false, retryAt } },
          { job: byId(OPP_A) },
        ]),
      ).toEqual(['completed', 'requeued', 'retrying', 'missing']);
      expect(await store.getOutbound(OPP_A)).toBeUndefined();
      expect(await store.getOutbound(OPP_B)).toMatchObject({ state: 'pending', leasedUntil: null });
      expect(await store.getOutbound(OPP_C)).toMatchObject({
        lastError: 'Partner Center 503',
        notBefore: retryAt.toISOString(),
      });
      await store.close();
    });

    it('R14: a transient failure retries at retryAt with the attempt counted', async () => {
      const clock = manualClock();
      const store = memoryStore({ now: clock.now });
      await store.enqueueOutbound([{ opportunityId: OPP_A, reason: 'cdc:UPDATE' }]);
      const [job] = await store.claimOutbound(1);
      const retryAt = new Date(clock.now().getTime() + 60_000);
      expect(
        await store.failOutbound(job!, {
          error: '429 Too Many Requests',
          permanent: false,
          retryAt,
        }),
      ).toBe('retrying');
      expect(await store.claimOutbound(1, clock.advance(59_999))).toEqual([]);
      const [retry] = await store.claimOutbound(1, clock.advance(1));
      expect(retry).toMatchObject({ attempts: 1, lastError: '429 Too Many Requests' });
      const [failure] = await store.listFailures();
      expect(failure).toMatchObject({
        direction: 'outbound',
        key: OPP_A,
        permanent: false,
        attempts: 2,
        error: '429 Too Many Requests',
      });
      await store.close();
    });

    it('R14: a data change during backoff does not cut the backoff short', async () => {
      const clock = manualClock();
      const store = memoryStore({ now: clock.now });
      await store.enqueueOutbound([{ opportunityId: OPP_A, reason: 'cdc:UPDATE' }]);
      const [job] = await store.claimOutbound(1);
      const retryAt = new Date(clock.now().getTime() + 60_000);
      await store.failOutbound(job!, { error: '503', permanent: false, retryAt });
      await store.enqueueOutbound([
        { opportunityId: OPP_A, reason: 'cdc:UPDATE', notBefore: clock.now() },
      ]);
      expect(await store.claimOutbound(1, clock.advance(30_000))).toEqual([]);
      expect(await store.claimOutbound(1, clock.advance(30_000))).toHaveLength(1);
      await store.close();
    });

    it('R14: a permanent failure waits for a data change, then starts fresh', async () => {
      const clock = manualClock();
      const store = memoryStore({ now: clock.now });
      await store.enqueueOutbound([{ opportunityId: OPP_A, reason: 'cdc:UPDATE' }]);
      const [job] = await store.claimOutbound(1);
      const error = 'Add a co-sell solution (R17)';
      expect(await store.failOutbound(job!, { error, permanent: true, retryAt: null })).toBe(
        'failed',
      );
      expect(await store.claimOutbound(1, clock.advance(24 * 3600_000))).toEqual([]);
      expect(await store.listFailures()).toMatchObject([
        { key: OPP_A, permanent: true, nextAttemptAt: null, error },
      ]);
      expect((await store.queueDepths()).failed).toBe(1);

      await store.enqueueOutbound([
        { opportunityId: OPP_A, reason: 'cdc:UPDATE', changedFields: ['Solution'] },
      ]);
      expect(await store.listFailures()).toEqual([]);
      const [fresh] = await store.claimOutbound(1);
      expect(fresh).toMatchObject({ opportunityId: OPP_A, attempts: 0, lastError: null });
      await store.close();
    });

    it('R14: a permanent failure for data that changed meanwhile is retried with the new data', async () => {
      const store = memoryStore();
      await store.enqueueOutbound([{ opportunityId: OPP_A, reason: 'cdc:UPDATE' }]);
      const [job] = await store.claimOutbound(1);
      await store.enqueueOutbound([{ opportunityId: OPP_A, reason: 'cdc:UPDATE' }]);
      expect(
        await store.failOutbound(job!.id, { error: 'invalid', permanent: true, retryAt: null }),
      ).toBe('requeued');
      expect(await store.claimOutbound(1)).toMatchObject([{ opportunityId: OPP_A, attempts: 0 }]);
      await store.close();
    });

    it('R13: a claim held by a crashed process is re-claimable after its lease expires', async () => {
      const clock = manualClock();
      const crashed = memoryStore({ now: clock.now, leaseMs: 60_000 }, 'crash');
      await crashed.enqueueOutbound([{ opportunityId: OPP_A, reason: 'cdc:UPDATE' }]);
      const [lost] = await crashed.claimOutbound(1);
      await crashed.close(); // "crash": the job was never completed

      const restarted = memoryStore({ now: clock.now, leaseMs: 60_000 }, 'crash');
      expect(await restarted.claimOutbound(1, clock.advance(59_000))).toEqual([]);
      const [reclaimed] = await restarted.claimOutbound(1, clock.advance(1_000));
      expect(reclaimed).toMatchObject({ id: lost!.id, opportunityId: OPP_A, attempts: 1 });
      // The crashed claim can no longer complete or fail what another worker now owns.
      expect(await restarted.completeOutbound(lost!)).toBe('lost');
      expect(
        await restarted.failOutbound(lost!, { error: 'x', permanent: true, retryAt: null }),
      ).toBe('lost');
      expect(await restarted.completeOutbound(reclaimed!)).toBe('completed');
      await restarted.close();
    });

    it('two store instances on one database never claim the same job', async () => {
      const a = memoryStore({}, 'concurrent');
      const b = memoryStore({}, 'concurrent');
      const ids = Array.from({ length: 40 }, (_, i) => `006${String(i).padStart(12, '0')}AAA`);
      await a.enqueueOutbound(
        ids.slice(0, 20).map((opportunityId) => ({ opportunityId, reason: 'resync' })),
      );
      await b.enqueueOutbound(
        ids.slice(20).map((opportunityId) => ({ opportunityId, reason: 'resync' })),
      );
      const claimed: string[] = [];
      for (let round = 0; round < 10; round += 1) {
        const [fromA, fromB] = await Promise.all([a.claimOutbound(3), b.claimOutbound(3)]);
        claimed.push(...fromA.map((j) => j.opportunityId), ...fromB.map((j) => j.opportunityId));
      }
      expect(claimed).toHaveLength(40);
      expect(new Set(claimed).size).toBe(40);
      await a.close();
      await b.close();
    });

    it('dueTimes: when pending jobs become claimable, earliest first; a live lease counts at its end', async () => {
      const clock = manualClock();
      const store = memoryStore({ now: clock.now, leaseMs: 60_000 });
      const at = (ms: number) => new Date(clock.now().getTime() + ms);
      await store.enqueueOutbound([
        { opportunityId: OPP_A, reason: 'cdc:UPDATE', notBefore: at(300) },
        { opportunityId: OPP_B, reason: 'cdc:UPDATE', notBefore: at(100) },
      ]);
      expect(await store.dueTimes('outbound', 10)).toEqual([
        at(100).toISOString(),
        at(300).toISOString(),
      ]);
      expect(await store.dueTimes('outbound', 1)).toEqual([at(100).toISOString()]);
      expect(await store.dueTimes('inbound', 10)).toEqual([]);

      clock.advance(100);
      const [claimed] = await store.claimOutbound(1);
      expect(claimed?.opportunityId).toBe(OPP_B);
      // Held by this (live) process: claimable again only when its lease runs out.
      expect(await store.dueTimes('outbound', 10)).toEqual([
        at(200).toISOString(),
        at(60_000).toISOString(),
      ]);
      await store.completeOutbound(claimed!);
      expect(await store.dueTimes('outbound', 10)).toEqual([at(200).toISOString()]);
      await store.close();
    });
  });
});
