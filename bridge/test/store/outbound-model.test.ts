import fc from 'fast-check';
import type { OutboundJob } from '../../src/store';
import { manualClock, storeBackends } from './helpers';

/**
 * Model-based check of the outbound queue: any interleaving of change events, claims,
 * completions and transient failures must never lose an update (a change that arrived after a
 * claim started is processed by a later claim) nor hand one opportunity to two live claims.
 */
type Op =
  | { kind: 'change'; opp: number }
  | { kind: 'claim'; limit: number }
  | { kind: 'complete'; pick: number }
  | { kind: 'fail'; pick: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('change' as const), opp: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('claim' as const), limit: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('complete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('fail' as const), pick: fc.nat() }),
);

describe.each(storeBackends())('$name store', ({ name, open: memoryStore }) => {
  describe('outbound queue model', () => {
    it('R1/R13: no interleaving loses an update or double-claims an opportunity', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
          const clock = manualClock();
          const store = memoryStore({ now: clock.now });
          let seq = 0;
          const lastChange = new Map<string, number>();
          const live = new Map<string, { job: OutboundJob; seq: number }>();
          const settle = async (pick: number, how: 'complete' | 'fail') => {
            const entries = [...live.values()];
            if (entries.length === 0) return;
            const { job, seq: claimedAt } = entries[pick % entries.length]!;
            live.delete(job.opportunityId);
            const newer = (lastChange.get(job.opportunityId) ?? -1) > claimedAt;
            const result =
              how === 'complete'
                ? await store.completeOutbound(job)
                : await store.failOutbound(job, {
                    error: 'e',
                    permanent: false,
                    retryAt: clock.now(),
                  });
            expect(result).toBe(newer ? 'requeued' : how === 'complete' ? 'completed' : 'retrying');
            if (how === 'complete' && !newer) lastChange.delete(job.opportunityId);
          };
          for (const step of ops) {
            seq += 1;
            clock.advance(1);
            if (step.kind === 'change') {
              const opportunityId = `opp-${step.opp}`;
              await store.enqueueOutbound([
                { opportunityId, reason: 'cdc:UPDATE', notBefore: clock.now() },
              ]);
              lastChange.set(opportunityId, seq);
            } else if (step.kind === 'claim') {
              for (const job of await store.claimOutbound(step.limit)) {
                expect(live.has(job.opportunityId)).toBe(false);
                live.set(job.opportunityId, { job, seq });
              }
            } else {
              await settle(step.pick, step.kind);
            }
          }
          // Drain: finish the live claims, then every opportunity with an unprocessed change
          // must still be queued, and nothing else.
          while (live.size > 0) await settle(0, 'complete');
          const drained = new Set<string>();
          for (let round = 0; round < 10; round += 1) {
            clock.advance(1);
            const jobs = await store.claimOutbound(10);
            if (jobs.length === 0) break;
            for (const job of jobs) {
              drained.add(job.opportunityId);
              expect(await store.completeOutbound(job)).toBe('completed');
            }
          }
          expect([...drained].sort()).toEqual([...lastChange.keys()].sort());
          expect((await store.queueDepths()).outboundPending).toBe(0);
          await store.close();
        }),
        // Each run opens a fresh store: a new Postgres schema and its migrations cost ~0.1 s.
        { numRuns: name === 'sqlite' ? 150 : 40 },
      );
    }, 120_000);
  });
});
