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

/** Timers keeping the event loop alive (unref'd ones are not listed). */
function liveTimers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
}

describe('CDC subscriber teardown', () => {
  it('leaves no faye timer behind after stop(), even when the server refused a disconnect (expired token) and then went away', async () => {
    const baseline = liveTimers();
    // Long holds: the replaced client's long poll is still open when the server goes away.
    const emulator = await startEmulator({ cometdTimeoutMs: 30_000 });
    const salesforce = await connectBridge(emulator);
    const { accountId } = await seedCustomer(emulator);
    const [opportunityId] = (await seed(emulator, 'Opportunity', [
      { Name: 'Start', StageName: 'Prospecting', CloseDate: '2026-06-30', AccountId: accountId },
    ])) as [string];
    const events: ChangeEvent[] = [];
    const subscriber = createCdcSubscriber({
      connection: salesforce,
      // Two clients: the one whose poll fails triggers the token refresh, the other is replaced
      // while its poll is held and its /meta/disconnect is refused with 401.
      channels: ['/data/OpportunityChangeEvent', '/data/Co_Sell_Solution__ChangeEvent'],
      logger: silentLogger,
      getReplayId: async () => undefined,
      onEvents: async (_channel, batch) => {
        events.push(...batch);
      },
      onReplayInvalid: async () => undefined,
      onGap: async () => undefined,
    });
    try {
      await subscriber.start();
      await control(emulator, 'POST', '/faults', { expireTokens: true });
      await editAsUser(emulator, opportunityId, { Name: 'After expiry' });
      await waitFor(
        () => events.some((e) => e.fields.Name === 'After expiry'),
        'the change made after the token expired',
      );
    } finally {
      await subscriber.stop();
      await emulator.stop();
    }

    // A leaked client re-sends its failed poll every 5 s forever: a timer is always armed.
    await waitFor(() => liveTimers() <= baseline, 'every timer to end after stop()', 4_000);
    expect(liveTimers()).toBeLessThanOrEqual(baseline);
  });
});
