import type { StateStore } from '../../src/store';
import { manualClock, storeBackends } from './helpers';

const OPP = '006000000000001AAA';
const REFERRAL = 'a1b2c3d4-0000-4000-8000-000000000001';

describe.each(storeBackends())('$name store', ({ open: memoryStore }) => {
  describe('referral links', () => {
    it('saves, merges and finds a link from either side', async () => {
      const clock = manualClock();
      const store = memoryStore({ now: clock.now });
      expect(await store.getLink(OPP)).toBeUndefined();
      await store.saveLink({
        opportunityId: OPP,
        referralId: null,
        createIntentAt: '2026-03-02T08:59:00.000Z',
      });
      const linked = await store.saveLink({
        opportunityId: OPP,
        referralId: REFERRAL,
        engagementId: 'eng-1',
        eTag: '"1"',
        updatedDateTime: '2026-03-02T09:00:00Z',
        status: 'Active',
        substatus: 'Accepted',
      });
      expect(linked.createIntentAt).toBe('2026-03-02T08:59:00.000Z');
      expect(await store.getLinkByReferral(REFERRAL)).toEqual(linked);
      await store.saveLink({ opportunityId: OPP, eTag: '"2"', createIntentAt: null });
      expect(await store.getLink(OPP)).toMatchObject({
        referralId: REFERRAL,
        eTag: '"2"',
        createIntentAt: null,
        engagementId: 'eng-1',
      });
      await store.close();
    });

    it('keeps the last referral state as JSON', async () => {
      const store = memoryStore();
      const referral = { id: REFERRAL, name: 'Contoso', status: 'Active' } as never;
      await store.saveLink({ opportunityId: OPP, referralId: REFERRAL, referral });
      expect((await store.getLink(OPP))?.referral).toEqual(referral);
      await store.close();
    });

    it('refuses to link one referral to two opportunities', async () => {
      const store = memoryStore();
      await store.saveLink({ opportunityId: OPP, referralId: REFERRAL });
      await expect(
        store.saveLink({ opportunityId: '006000000000002AAA', referralId: REFERRAL }),
      ).rejects.toThrow(/already linked to opportunity 006000000000001AAA/);
      await store.close();
    });
  });

  describe('watermarks and idempotency keys', () => {
    it('stores watermarks; advanceWatermark never moves back', async () => {
      const store = memoryStore();
      expect(await store.getWatermark('salesforce.systemModstamp')).toBeUndefined();
      await store.setWatermark('salesforce.systemModstamp', '2026-03-02T09:00:00.000Z');
      expect(
        await store.advanceWatermark('salesforce.systemModstamp', '2026-03-01T00:00:00.000Z'),
      ).toBe('2026-03-02T09:00:00.000Z');
      expect(
        await store.advanceWatermark('salesforce.systemModstamp', '2026-03-03T00:00:00.000Z'),
      ).toBe('2026-03-03T00:00:00.000Z');
      expect(await store.getWatermark('salesforce.systemModstamp')).toBe(
        '2026-03-03T00:00:00.000Z',
      );
      await store.close();
    });

    it('an idempotency key keeps its first value', async () => {
      const store = memoryStore();
      expect(await store.rememberIdempotencyKey('create:' + OPP, REFERRAL)).toEqual({
        created: true,
        value: REFERRAL,
      });
      expect(await store.rememberIdempotencyKey('create:' + OPP, 'other')).toEqual({
        created: false,
        value: REFERRAL,
      });
      expect(await store.getIdempotencyKey('create:' + OPP)).toBe(REFERRAL);
      await store.close();
    });
  });

  describe('API call counters (R1)', () => {
    it('R1: counts per UTC day and api', async () => {
      const store = memoryStore();
      expect(await store.countApiCall('partner-center', '2026-03-02')).toBe(1);
      expect(await store.countApiCall('partner-center', '2026-03-02', 2)).toBe(3);
      await store.countApiCall('salesforce', '2026-03-02');
      await store.countApiCall('partner-center', '2026-03-03');
      expect(await store.apiCalls('2026-03-02')).toEqual({ 'partner-center': 3, salesforce: 1 });
      expect(await store.apiCalls('2026-03-04')).toEqual({});
      await store.close();
    });

    it('R1: reserveApiCalls never exceeds the daily budget', async () => {
      const store = memoryStore();
      const results = [];
      for (let i = 0; i < 5; i += 1)
        results.push(await store.reserveApiCalls('partner-center', '2026-03-02', 3));
      expect(results.map((r) => r.granted)).toEqual([true, true, true, false, false]);
      expect(results.at(-1)?.total).toBe(3);
      expect(await store.reserveApiCalls('partner-center', '2026-03-02', 10, 8)).toEqual({
        granted: false,
        total: 3,
      });
      await store.close();
    });
  });

  describe('audit outbox and journal (R10, R18)', () => {
    const event = (
      message: string,
      occurredAt: string,
      extra: { opportunityId?: string | null; referralId?: string | null } = {},
    ) => ({
      opportunityId: OPP,
      referralId: null,
      direction: 'Outbound' as const,
      outcome: 'Success' as const,
      message,
      apiCalls: 1,
      occurredAt,
      ...extra,
    });

    it('R10: audits leave in batches, are leased while being written and survive a failed write', async () => {
      const clock = manualClock();
      const store = memoryStore({ now: clock.now, leaseMs: 60_000 });
      for (let i = 0; i < 5; i += 1)
        await store.enqueueAudit(event(`attempt ${i}`, `2026-03-02T09:00:0${i}.000Z`));
      const batch = await store.takeAuditBatch(3);
      expect(batch.map((b) => b.event.message)).toEqual(['attempt 0', 'attempt 1', 'attempt 2']);
      // Leased: a second writer gets the rest, not the same rows.
      expect((await store.takeAuditBatch(10)).map((b) => b.event.message)).toEqual([
        'attempt 3',
        'attempt 4',
      ]);
      await store.markAuditWritten(batch.map((b) => b.id));
      expect((await store.queueDepths()).auditPending).toBe(2);
      // The second writer "crashed": after the lease its rows come back.
      expect(await store.takeAuditBatch(10)).toEqual([]);
      const retaken = await store.takeAuditBatch(10, clock.advance(60_000));
      expect(retaken.map((b) => b.event.message)).toEqual(['attempt 3', 'attempt 4']);
      await store.close();
    });

    it('R10: the news an event carries survives the outbox and the journal', async () => {
      const store = memoryStore();
      await store.enqueueAudit({
        ...event('created', '2026-03-02T09:00:00.000Z'),
        news: 'new-referral',
      });
      await store.enqueueAudits([
        { ...event('failed', '2026-03-02T09:00:01.000Z'), news: 'sync-error' },
        event('plain', '2026-03-02T09:00:02.000Z'),
      ]);
      const batch = await store.takeAuditBatch(10);
      expect(batch.map((b) => [b.event.message, b.event.news])).toEqual([
        ['created', 'new-referral'],
        ['failed', 'sync-error'],
        ['plain', undefined],
      ]);
      expect(batch[2]!.event).not.toHaveProperty('news');
      expect((await store.journal(OPP)).map((e) => e.news)).toEqual([
        'new-referral',
        'sync-error',
        undefined,
      ]);
      await store.close();
    });

    it('R13/R14: news is told once written, leased, retried at its time, and done once told', async () => {
      const clock = manualClock();
      const store = memoryStore({ now: clock.now, leaseMs: 60_000 });
      await store.enqueueAudits([
        { ...event('created', '2026-03-02T09:00:00.000Z'), news: 'new-referral' },
        event('plain', '2026-03-02T09:00:01.000Z'),
        { ...event('failed', '2026-03-02T09:00:02.000Z'), news: 'sync-error' },
      ]);
      // Not before its audit record is in Salesforce.
      expect(await store.takeNewsBatch(10)).toEqual([]);
      expect((await store.queueDepths()).newsPending).toBe(0);
      await store.markAuditWritten((await store.takeAuditBatch(10)).map((b) => b.id));
      expect((await store.queueDepths()).newsPending).toBe(2);
      const taken = await store.takeNewsBatch(10);
      expect(taken.map((n) => [n.event.message, n.event.news, n.attempts])).toEqual([
        ['created', 'new-referral', 0],
        ['failed', 'sync-error', 0],
      ]);
      // Leased: a second teller does not take them too; a crashed teller's lease expires.
      expect(await store.takeNewsBatch(10)).toEqual([]);
      expect((await store.takeNewsBatch(10, clock.advance(60_000))).map((n) => n.id)).toEqual(
        taken.map((n) => n.id),
      );
      expect(await store.nextNewsRetryAt()).toBeNull();
      const retryAt = new Date(clock.now().getTime() + 30_000);
      await store.settleNews([
        { id: taken[0]!.id },
        { id: taken[1]!.id, retryAt, error: 'Salesforce answered 503' },
      ]);
      // When the audit loop has to wake up for it (nothing else announces a retry).
      expect(await store.nextNewsRetryAt()).toBe(retryAt.toISOString());
      expect(await store.takeNewsBatch(10, new Date(retryAt.getTime() - 1))).toEqual([]);
      // Waiting for its retry, it is still to send (the gauge an operator watches in an outage).
      expect((await store.queueDepths()).newsPending).toBe(1);
      const retried = await store.takeNewsBatch(10, retryAt);
      expect(retried.map((n) => [n.event.message, n.attempts])).toEqual([['failed', 1]]);
      await store.settleNews([{ id: retried[0]!.id, error: 'refused for good' }]);
      expect(await store.nextNewsRetryAt()).toBeNull();
      expect(await store.takeNewsBatch(10, clock.advance(3_600_000))).toEqual([]);
      expect((await store.queueDepths()).newsPending).toBe(0);
      await store.close();
    });

    it('R14: a sync error told once is known as told for its whole run of errors, also after a restart', async () => {
      let store = memoryStore({}, 'told-errors');
      let second = 0;
      const at = () => `2026-03-02T09:00:${String((second += 1)).padStart(2, '0')}.000Z`;
      const error = (message: string, opportunityId = OPP) => ({
        ...event(message, at(), { opportunityId }),
        outcome: 'Error' as const,
        news: 'sync-error' as const,
      });
      /** Writes what is queued, takes the news due and settles each as `settle` says. */
      const nextNews = async (
        settle: (message: string) => { told?: boolean; retryAt?: Date } = () => ({}),
      ) => {
        await store.markAuditWritten((await store.takeAuditBatch(50)).map((b) => b.id));
        const taken = await store.takeNewsBatch(50);
        await store.settleNews(taken.map((n) => ({ id: n.id, ...settle(n.event.message) })));
        return taken.map((n) => [n.event.message, n.sameErrorTold, n.errorRun]);
      };
      // An attempt the card did not show (nothing to tell) does not count; the one told does.
      await store.enqueueAudits([error('quiet'), error('Amount missing')]);
      expect(await nextNews((m) => ({ told: m !== 'quiet' }))).toEqual([
        ['quiet', false, 0],
        ['Amount missing', false, 0],
      ]);
      // The bridge restarts: what was told is in the store, not in the process.
      await store.close();
      store = memoryStore({}, 'told-errors');
      // The same error of this opportunity (only of it) is known as told; an applied Microsoft
      // change (inbound) does not end the run.
      await store.enqueueAudits([
        { ...event('applied', at()), direction: 'Inbound' as const },
        error('Amount missing'),
        error('Amount missing', '006B'),
      ]);
      expect(await nextNews()).toEqual([
        ['Amount missing', true, 0],
        ['Amount missing', false, 0],
      ]);
      // A sync ends the run: the same error after it is news again, in a run of its own.
      await store.enqueueAudits([event('synced', at()), error('Amount missing')]);
      const [[, told, run]] = (await nextNews(() => ({
        retryAt: new Date(Date.now() + 30_000),
      }))) as [[string, boolean, number]];
      expect([told, run > 0]).toEqual([false, true]);
      // That send failed and waits; a newer copy is told meanwhile: the older one's retry is
      // then known as told (no second notification of the same error).
      await store.enqueueAudits([error('Amount missing')]);
      expect(await nextNews(() => ({ told: true }))).toEqual([['Amount missing', false, run]]);
      const retried = await store.takeNewsBatch(50, new Date(Date.now() + 60_000));
      expect(retried.map((n) => [n.event.message, n.sameErrorTold, n.errorRun])).toEqual([
        ['Amount missing', true, run],
      ]);
      // "Nothing to send" ends a run too.
      await store.settleNews(retried.map((n) => ({ id: n.id })));
      await store.enqueueAudits([
        { ...event('Nothing to send', at()), outcome: 'Skipped' as const },
        error('Amount missing'),
      ]);
      expect((await nextNews()).map(([message, sameTold]) => [message, sameTold])).toEqual([
        ['Amount missing', false],
      ]);
      await store.close();
    });

    it('R10: enqueueAudits stores a batch in order, in one transaction', async () => {
      const store = memoryStore();
      const ids = await store.enqueueAudits([
        event('one', '2026-03-02T09:00:00.000Z'),
        event('two', '2026-03-02T09:00:01.000Z'),
      ]);
      expect(ids).toHaveLength(2);
      expect(ids[1]).toBeGreaterThan(ids[0]!);
      await expect(
        store.enqueueAudits([
          event('three', '2026-03-02T09:00:02.000Z'),
          { ...event('bad', 'x'), outcome: 'Maybe' as never },
        ]),
      ).rejects.toThrow();
      expect((await store.journal(OPP)).map((e) => e.message)).toEqual(['one', 'two']);
      await store.close();
    });

    it('R18: the journal keeps every event for an opportunity and its referral, in time order', async () => {
      const store = memoryStore();
      await store.saveLink({ opportunityId: OPP, referralId: REFERRAL });
      await store.enqueueAudit(
        event('created referral', '2026-03-02T09:00:01.000Z', { referralId: REFERRAL }),
      );
      await store.enqueueAudit(event('validation failed', '2026-03-02T09:00:00.000Z'));
      await store.enqueueAudit({
        ...event('inbound status Won', '2026-03-02T10:00:00.000Z', {
          opportunityId: null,
          referralId: REFERRAL,
        }),
        direction: 'Inbound',
      });
      await store.enqueueAudit(
        event('someone else', '2026-03-02T09:30:00.000Z', { opportunityId: '006000000000009AAA' }),
      );
      const [first] = await store.takeAuditBatch(1);
      await store.markAuditWritten([first!.id]);
      for (const id of [OPP, REFERRAL]) {
        const journal = await store.journal(id);
        expect(journal.map((e) => e.message)).toEqual([
          'validation failed',
          'created referral',
          'inbound status Won',
        ]);
      }
      // Written events stay in the journal (explain needs them).
      expect((await store.journal(OPP)).some((e) => e.writtenAt !== null)).toBe(true);
      await store.close();
    });

    it('prune drops only written events past the retention', async () => {
      const clock = manualClock('2027-06-01T00:00:00.000Z');
      const store = memoryStore({ now: clock.now });
      await store.enqueueAudit(event('old written', '2026-01-01T00:00:00.000Z'));
      await store.enqueueAudit(event('old unwritten', '2026-01-01T00:00:01.000Z'));
      await store.enqueueAudit(event('recent written', '2027-05-30T00:00:00.000Z'));
      const batch = await store.takeAuditBatch(10);
      await store.markAuditWritten([batch[0]!.id, batch[2]!.id]);
      expect((await store.prune({ journalRetentionDays: 400 })).auditEvents).toBe(1);
      expect((await store.journal(OPP)).map((e) => e.message)).toEqual([
        'old unwritten',
        'recent written',
      ]);
      await store.close();
    });
  });

  describe('operations', () => {
    it('R14: retryFailures by id, by opportunity id, or all', async () => {
      const clock = manualClock();
      const store = memoryStore({ now: clock.now });
      const opps = ['006000000000001AAA', '006000000000002AAA', '006000000000003AAA'];
      await store.enqueueOutbound(
        opps.map((opportunityId) => ({ opportunityId, reason: 'cdc:UPDATE' })),
      );
      for (const job of await store.claimOutbound(10)) {
        await store.failOutbound(job, {
          error: `bad ${job.opportunityId}`,
          permanent: true,
          retryAt: null,
        });
      }
      const failures = await store.listFailures();
      expect(failures).toHaveLength(3);
      expect(await store.retryFailures({})).toBe(0);
      expect(
        await store.retryFailures({ ids: [failures.find((f) => f.key === opps[0])!.id] }),
      ).toBe(1);
      expect(await store.retryFailures({ ids: [opps[1]!] })).toBe(1);
      expect(await store.retryFailures({ all: true })).toBe(1);
      expect(await store.listFailures()).toEqual([]);
      expect((await store.claimOutbound(10)).map((j) => j.attempts)).toEqual([0, 0, 0]);
      await store.close();
    });

    it('queueDepths counts each queue', async () => {
      const clock = manualClock();
      const store = memoryStore({ now: clock.now });
      await store.enqueueOutbound([
        { opportunityId: 'a', reason: 'r' },
        { opportunityId: 'b', reason: 'r', notBefore: new Date(clock.now().getTime() + 5_000) },
      ]);
      await store.recordDelivery({
        source: 'webhook',
        dedupeKey: 'k',
        eventName: 'referral-created',
        referralId: REFERRAL,
        resourceChangeUtc: null,
        receivedAt: clock.now(),
        body: '{}',
      });
      expect(await store.queueDepths()).toEqual({
        outboundPending: 2,
        outboundDue: 1,
        inboxPending: 1,
        failed: 0,
        auditPending: 0,
        newsPending: 0,
      });
      await store.close();
    });

    it('satisfies the StateStore interface the sync engine uses', async () => {
      const store = memoryStore();
      const asState: StateStore = store;
      expect(await asState.getReplayId('x')).toBeUndefined();
      expect(await asState.getWatermark('x')).toBeUndefined();
      await store.close();
    });
  });

  describe('bridge heartbeats', () => {
    it('upserts one row per process, lists the newest beat first, and a stop clears its own row', async () => {
      const store = memoryStore();
      const beat = (owner: string, beatAt: string) => ({
        owner,
        host: 'h1',
        pid: Number(owner.split('/')[1]),
        startedAt: '2026-03-02T09:00:00.000Z',
        beatAt,
      });
      await store.recordHeartbeat(beat('h1/100', '2026-03-02T09:00:00.000Z'));
      await store.recordHeartbeat(beat('h1/200', '2026-03-02T09:00:05.000Z'));
      await store.recordHeartbeat(beat('h1/100', '2026-03-02T09:00:10.000Z'));
      expect(await store.heartbeats()).toEqual([
        beat('h1/100', '2026-03-02T09:00:10.000Z'),
        beat('h1/200', '2026-03-02T09:00:05.000Z'),
      ]);
      await store.clearHeartbeat('h1/100');
      expect((await store.heartbeats()).map((b) => b.owner)).toEqual(['h1/200']);
      await store.close();
    });
  });
});
