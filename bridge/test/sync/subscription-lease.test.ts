import pino from 'pino';
import type { CdcHandlers, CdcSubscriber } from '../../src/salesforce';
import { LeaseLostError, newClaimToken, type StateStore } from '../../src/store';
import { createSubscriptionLease } from '../../src/sync/subscription-lease';
import { waitFor } from '../../../test/support/wait-for';
import { storeBackends } from '../store/helpers';

const logger = pino({ level: 'silent' });
const CHANNEL = '/data/OpportunityChangeEvent';

/** Stands in for the CDC subscriber: records whether it runs and hands events to the handlers. */
function fakeSubscriber() {
  const state = { running: false, handlers: undefined as CdcHandlers | undefined };
  const factory = (handlers: CdcHandlers): CdcSubscriber => {
    state.handlers = handlers;
    return {
      start: async () => {
        state.running = true;
      },
      stop: async () => {
        state.running = false;
      },
      status: () => [],
    };
  };
  return { state, factory };
}

/** A replica: its own lease module and subscriber over a store; `cut` simulates a partition. */
function replica(store: StateStore, ttlMs: number) {
  const link = { cut: false };
  const reachable = <K extends 'acquireLease' | 'renewLease' | 'releaseLease'>(key: K) =>
    ((...args: Parameters<StateStore[K]>) => {
      if (link.cut) return Promise.reject(new Error('connection to the store lost'));
      return (store[key] as (...a: Parameters<StateStore[K]>) => ReturnType<StateStore[K]>)(
        ...args,
      );
    }) as StateStore[K];
  const lease = createSubscriptionLease({
    store: {
      acquireLease: reachable('acquireLease'),
      renewLease: reachable('renewLease'),
      releaseLease: reachable('releaseLease'),
    },
    holder: newClaimToken(),
    logger,
    ttlMs,
    retryEveryMs: 50,
  });
  const subscriber = fakeSubscriber();
  const stream = lease.guard(subscriber.factory)({
    getReplayId: (channel) => store.getReplayId(channel),
    onEvents: async (channel, events) => {
      const replayId = Math.max(...events.map((e) => e.replayId));
      await store.recordChangeEvents(channel, replayId, [], lease.fence());
    },
    onGap: async () => undefined,
    onReplayInvalid: async () => undefined,
    onNewEventsOnly: async () => undefined,
  });
  return { lease, stream, subscriber: subscriber.state, link };
}

const event = (replayId: number) =>
  ({ replayId, header: { changeType: 'UPDATE' }, fields: {} }) as never;

describe.each(storeBackends())('$name store', ({ open }) => {
  describe('CDC subscription lease (replicas)', () => {
    it('only the holder subscribes; a graceful stop hands the subscription to a standby at once', async () => {
      const a = replica(open({}, 'handover'), 60_000);
      const b = replica(open({}, 'handover'), 60_000);
      await a.stream.start();
      await b.stream.start();
      expect([a.subscriber.running, b.subscriber.running]).toEqual([true, false]);
      await a.subscriber.handlers!.onEvents(CHANNEL, [event(5)]);

      await a.stream.stop();
      await waitFor(() => b.subscriber.running, {
        timeoutMs: 10_000,
        description: 'the standby to subscribe',
      });
      await b.subscriber.handlers!.onEvents(CHANNEL, [event(6)]);
      expect(await open({}, 'handover').getReplayId(CHANNEL)).toBe(6);
      await b.stream.stop();
    });

    it('a holder cut off from the store stops subscribing once its lease may have run out; the standby takes over and the old fence is refused', async () => {
      const a = replica(open({}, 'partition'), 600);
      const b = replica(open({}, 'partition'), 600);
      await a.stream.start();
      await b.stream.start();
      expect(a.subscriber.running).toBe(true);
      const staleHandlers = a.subscriber.handlers!;

      a.link.cut = true;
      await waitFor(() => !a.subscriber.running && b.subscriber.running, {
        timeoutMs: 10_000,
        description: 'the partitioned holder to stop and the standby to take over',
      });
      await b.subscriber.handlers!.onEvents(CHANNEL, [event(20)]);
      // Whatever the old holder still had in flight cannot move the cursor past its successor.
      await expect(staleHandlers.onEvents(CHANNEL, [event(99)])).rejects.toBeInstanceOf(
        LeaseLostError,
      );
      expect(await open({}, 'partition').getReplayId(CHANNEL)).toBe(20);
      a.link.cut = false;
      await a.stream.stop();
      await b.stream.stop();
    });
  });
});
