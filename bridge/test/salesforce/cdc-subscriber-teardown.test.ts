import { createHook } from 'node:async_hooks';
import { type ChangeEvent, createCdcSubscriber } from '../../src/salesforce';
import {
  connectBridge,
  control,
  editAsUser,
  seed,
  seedCustomer,
  silentLogger,
  startEmulator,
  waitFor,
} from './emulator-harness';

// Real servers on a shared, loaded machine: the steps wait on conditions with their own deadlines.
jest.setTimeout(30_000);

/**
 * Timers armed by faye (CometD client) that are still pending: faye re-sends a failed request from
 * a timer and arms a request timeout before each send, so a client that was not torn down always
 * has one alive.
 */
function trackFayeTimers(): { live(): number; stop(): void } {
  const live = new Set<number>();
  const hook = createHook({
    init(asyncId, type) {
      if (type !== 'Timeout') return;
      if (/[\\/]faye[\\/]/.test(new Error().stack ?? '')) live.add(asyncId);
    },
    destroy(asyncId) {
      live.delete(asyncId);
    },
  }).enable();
  return { live: () => live.size, stop: () => hook.disable() };
}

describe('CDC subscriber teardown', () => {
  it('leaves no faye timer behind after stop(), even when the server refused a disconnect (expired token) and then went away', async () => {
    const fayeTimers = trackFayeTimers();
    // Long holds: the replaced client's long poll is still open when the server goes away.
    const emulator = await startEmulator({ cometdTimeoutMs: 30_000 });
    const salesforce = await connectBridge(emulator);
    const { accountId } = await seedCustomer(emulator);
    const [opportunityId] = (await seed(emulator, 'Opportunity', [
      { Name: 'Start', StageName: 'Prospecting', CloseDate: '2026-06-30', AccountId: accountId },
    ])) as [string];
    const events: ChangeEvent[] = [];
    const cursor = new Map<string, number>();
    const subscriber = createCdcSubscriber({
      connection: salesforce,
      // Two clients: the one whose poll fails triggers the token refresh, the other is replaced
      // while its poll is held and its /meta/disconnect is refused with 401.
      channels: ['/data/OpportunityChangeEvent', '/data/Co_Sell_Solution__ChangeEvent'],
      logger: silentLogger,
      getReplayId: async (channel) => cursor.get(channel),
      onEvents: async (channel, batch) => {
        events.push(...batch);
        cursor.set(channel, batch[batch.length - 1]!.replayId);
      },
      onReplayInvalid: async () => undefined,
      onGap: async () => undefined,
    });
    try {
      await subscriber.start();
      // A durable cursor first, so the rebuilt client resumes after it and misses nothing.
      await editAsUser(emulator, opportunityId, { Name: 'Before expiry' });
      await waitFor(
        () => events.some((e) => e.fields.Name === 'Before expiry'),
        'the change made before the token expired',
      );
      await control(emulator, 'POST', '/faults', { expireTokens: true });
      await editAsUser(emulator, opportunityId, { Name: 'After expiry' });
      await waitFor(
        () => events.some((e) => e.fields.Name === 'After expiry'),
        'the change made after the token expired',
      );

      await subscriber.stop();
      await emulator.stop();
      // A leak is a timer that never ends. Under a loaded parallel run, a reconnect timer faye
      // armed just before stop() may still be counting down its own interval (several seconds),
      // so the deadline covers one such interval rather than the quiet-host case.
      await waitFor(() => fayeTimers.live() === 0, 'every faye timer to end after stop()', 12_000);
    } finally {
      fayeTimers.stop();
      await subscriber.stop();
      await emulator.stop();
    }
  });
});
