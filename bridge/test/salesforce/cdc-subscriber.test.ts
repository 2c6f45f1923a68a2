import {
  type ChangeEvent,
  type ChangeEventHeader,
  createCdcSubscriber,
  createSalesforceWriter,
  changeOriginClient,
  type CdcSubscriber,
  type SalesforceConnection,
} from '../../src/salesforce';
import {
  CLIENT_NAME,
  connectBridge,
  control,
  editAsUser,
  type Emulator,
  routeCount,
  seed,
  seedCustomer,
  silentLogger,
  startEmulator,
  waitFor,
} from './emulator-harness';

const CHANNEL = '/data/OpportunityChangeEvent';

/** Stands in for the engine: records what it is handed and keeps the durable cursor. */
class RecordingEngine {
  readonly events: ChangeEvent[] = [];
  readonly cursor = new Map<string, number>();
  readonly replayInvalid: { channel: string; stale: number }[] = [];
  readonly gaps: ChangeEventHeader[] = [];
  readonly newEventsOnly: string[] = [];
  /** What onNewEventsOnly does besides recording (a test's stand-in for the engine's sweep). */
  sweep: () => Promise<void> = async () => undefined;

  handlers() {
    return {
      getReplayId: async (channel: string) => this.cursor.get(channel),
      onEvents: async (channel: string, events: ChangeEvent[]) => {
        this.events.push(...events);
        this.cursor.set(channel, events[events.length - 1]!.replayId);
      },
      onReplayInvalid: async (channel: string, stale: number) => {
        this.replayInvalid.push({ channel, stale });
      },
      onGap: async (_channel: string, header: ChangeEventHeader) => {
        this.gaps.push(header);
      },
      onNewEventsOnly: async (channel: string) => {
        this.newEventsOnly.push(channel);
        await this.sweep();
      },
    };
  }

  namesSeen(): unknown[] {
    return this.events.map((e) => e.fields.Name).filter((n) => n !== undefined);
  }

  waitForName(name: string) {
    return waitFor(
      () => this.events.find((e) => e.fields.Name === name),
      `a change event renaming to ${name}`,
    );
  }
}

describe('CDC subscriber against the emulator (real jsforce streaming over loopback)', () => {
  let emulator: Emulator;
  let salesforce: SalesforceConnection;
  let opportunityId: string;
  const running: CdcSubscriber[] = [];

  function subscriber(engine: RecordingEngine, connection = salesforce): CdcSubscriber {
    const created = createCdcSubscriber({
      connection,
      channels: [CHANNEL],
      logger: silentLogger,
      ...engine.handlers(),
    });
    running.push(created);
    return created;
  }

  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await emulator.stop();
  });
  beforeEach(async () => {
    await control(emulator, 'POST', '/reset', {});
    salesforce = await connectBridge(emulator);
    const { accountId } = await seedCustomer(emulator);
    [opportunityId] = (await seed(emulator, 'Opportunity', [
      {
        Name: 'Start',
        StageName: 'Prospecting',
        CloseDate: '2026-06-30',
        Amount: 10,
        AccountId: accountId,
      },
    ])) as [string];
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });

  it('R9: tells the bridge’s own writes (changeOrigin client id) from a user’s edit', async () => {
    const engine = new RecordingEngine();
    await subscriber(engine).start();

    await createSalesforceWriter({ salesforce, logger: silentLogger }).writeBack([
      { id: opportunityId, fields: { Name: 'Bridge write' } },
    ]);
    await editAsUser(emulator, opportunityId, { Name: 'User edit' });

    const own = await engine.waitForName('Bridge write');
    const user = await engine.waitForName('User edit');
    expect(own.header.changeOrigin).toContain(`client=${CLIENT_NAME}`);
    expect(changeOriginClient(own.header)).toBe(CLIENT_NAME);
    expect(changeOriginClient(user.header)).not.toBe(CLIENT_NAME);
    expect(own.header.recordIds).toEqual([opportunityId]);
  });

  it('R13: after a restart it resumes from the stored replay id: nothing missed, nothing repeated', async () => {
    const engine = new RecordingEngine();
    const first = subscriber(engine);
    await first.start();
    await editAsUser(emulator, opportunityId, { Name: 'Before restart' });
    await engine.waitForName('Before restart');
    await first.stop();

    await editAsUser(emulator, opportunityId, { Name: 'While down 1' });
    await editAsUser(emulator, opportunityId, { Name: 'While down 2' });
    await subscriber(engine).start();
    await editAsUser(emulator, opportunityId, { Name: 'After restart' });

    await engine.waitForName('After restart');
    // Only the first start listened "from now on"; the restart resumed from its cursor.
    expect(engine.newEventsOnly).toEqual([CHANNEL]);
    expect(engine.namesSeen()).toEqual([
      'Before restart',
      'While down 1',
      'While down 2',
      'After restart',
    ]);
    const replayIds = engine.events.map((e) => e.replayId);
    expect([...replayIds].sort((a, b) => a - b)).toEqual(replayIds);
  });

  it('R13: a token expiring mid-stream rebuilds the client with a new token and loses no event', async () => {
    const engine = new RecordingEngine();
    await subscriber(engine).start();
    await editAsUser(emulator, opportunityId, { Name: 'Before expiry' });
    await engine.waitForName('Before expiry');
    const tokenBefore = salesforce.connection.accessToken;

    await control(emulator, 'POST', '/faults', { expireTokens: true });
    await editAsUser(emulator, opportunityId, { Name: 'During expiry' });
    await editAsUser(emulator, opportunityId, { Name: 'After expiry' });

    await engine.waitForName('After expiry');
    expect(salesforce.connection.accessToken).not.toBe(tokenBefore);
    expect(engine.namesSeen()).toEqual(['Before expiry', 'During expiry', 'After expiry']);
  });

  it('re-handshakes after 403::Unknown client and keeps delivering in order', async () => {
    const engine = new RecordingEngine();
    await subscriber(engine).start();
    await editAsUser(emulator, opportunityId, { Name: 'Before drop' });
    await engine.waitForName('Before drop');

    await control(emulator, 'POST', '/cometd/drop-clients', {});
    await editAsUser(emulator, opportunityId, { Name: 'After drop' });

    await engine.waitForName('After drop');
    expect(engine.namesSeen()).toEqual(['Before drop', 'After drop']);
    // faye resubscribed from the last replay id it saw: no gap, so no extra sweep.
    expect(engine.newEventsOnly).toEqual([CHANNEL]);
  });

  it('R13: a first start asks for a sweep only once the subscription is acknowledged, so a change made while subscribing is not lost', async () => {
    // The handshake and then the connect+subscribe batch are each answered 2 s late: the seller's
    // edit lands while the subscription is on its way, before the stream listens.
    await control(emulator, 'POST', '/faults', {
      match: { method: 'POST', path: '/cometd' },
      latencyMs: 2_000,
      times: 2,
    });
    const engine = new RecordingEngine();
    const s = subscriber(engine);
    const atSweep: Array<{ subscribed: boolean; name: unknown }> = [];
    engine.sweep = async () => {
      const stored = await control<{ fields: Record<string, unknown> }>(
        emulator,
        'GET',
        `/records/${opportunityId}`,
      );
      atSweep.push({ subscribed: s.status()[0]!.subscribed, name: stored.fields.Name });
    };
    const started = s.start();
    await waitFor(
      async () => ((await routeCount(emulator, 'POST /cometd/vXX.X')) >= 2 ? true : undefined),
      'the subscribe to be on its way',
    );
    await editAsUser(emulator, opportunityId, { Name: 'Edited while subscribing' });
    await started;

    await waitFor(() => atSweep[0], 'onNewEventsOnly', 15_000);
    // Called after the subscription was acknowledged, and a sweep run then sees the edit…
    expect(atSweep).toEqual([{ subscribed: true, name: 'Edited while subscribing' }]);
    // …which the stream itself never delivers: -1 means "new events only".
    await editAsUser(emulator, opportunityId, { Name: 'After start' });
    await engine.waitForName('After start');
    expect(engine.namesSeen()).toEqual(['After start']);
  }, 20_000);

  it('R13: a forced resubscribe "from now on" (403::Unknown client before any event) asks for another sweep', async () => {
    const engine = new RecordingEngine();
    await subscriber(engine).start();
    await waitFor(() => engine.newEventsOnly[0], 'the first-start sweep');

    await control(emulator, 'POST', '/cometd/drop-clients', {});
    await waitFor(() => engine.newEventsOnly[1], 'a sweep after faye resubscribed at -1');
    expect(engine.newEventsOnly).toEqual([CHANNEL, CHANNEL]);
    await editAsUser(emulator, opportunityId, { Name: 'After resubscribe' });
    await engine.waitForName('After resubscribe');
  });

  it('R13: a stored replay id older than the retention window → onReplayInvalid, then live again at -1', async () => {
    const engine = new RecordingEngine();
    const first = subscriber(engine);
    await first.start();
    await editAsUser(emulator, opportunityId, { Name: 'Old news' });
    await engine.waitForName('Old news');
    await first.stop();
    const stale = engine.cursor.get(CHANNEL)!;

    await editAsUser(emulator, opportunityId, { Name: 'Purged while down' });
    await control(emulator, 'POST', '/clock', { advanceMs: 73 * 3_600_000 });
    await subscriber(engine).start();

    await waitFor(() => engine.replayInvalid[0], 'onReplayInvalid');
    expect(engine.replayInvalid).toEqual([{ channel: CHANNEL, stale }]);
    await editAsUser(emulator, opportunityId, { Name: 'Fresh' });
    await engine.waitForName('Fresh');
    expect(engine.namesSeen()).not.toContain('Purged while down');
  });

  it('R13: the silent forced resubscribe after 403::Unknown client with an expired replay id is caught (jsforce#1709)', async () => {
    // Long-lived tokens, so only the CometD client (not the session) ages out with the clock.
    await control(emulator, 'POST', '/settings', { tokenTtlMs: 1_000 * 3_600_000 });
    salesforce = await connectBridge(emulator);
    const engine = new RecordingEngine();
    await subscriber(engine).start();
    await editAsUser(emulator, opportunityId, { Name: 'Seen' });
    await engine.waitForName('Seen');
    const stale = engine.cursor.get(CHANNEL)!;
    // Replay ids are org-wide: a later event on another channel, purged too, makes `stale` too old.
    await control(emulator, 'POST', '/cdc/gap', {
      entity: 'Co_Sell_Solution__c',
      changeType: 'GAP_UPDATE',
      recordIds: [],
    });

    await control(emulator, 'POST', '/clock', { advanceMs: 73 * 3_600_000 });
    await control(emulator, 'POST', '/cometd/drop-clients', {});

    await waitFor(() => engine.replayInvalid[0], 'onReplayInvalid after the forced resubscribe');
    expect(engine.replayInvalid).toEqual([{ channel: CHANNEL, stale }]);
    await editAsUser(emulator, opportunityId, { Name: 'Live again' });
    await engine.waitForName('Live again');
  });

  it('R13: gap events reach onGap and stay in the ordered stream', async () => {
    const engine = new RecordingEngine();
    await subscriber(engine).start();

    await control(emulator, 'POST', '/cdc/gap', {
      entity: 'Opportunity',
      changeType: 'GAP_UPDATE',
      recordIds: [opportunityId],
    });
    await editAsUser(emulator, opportunityId, { Name: 'After gap' });

    await engine.waitForName('After gap');
    expect(engine.gaps).toEqual([
      expect.objectContaining({ changeType: 'GAP_UPDATE', recordIds: [opportunityId] }),
    ]);
    expect(engine.events.map((e) => e.header.changeType)).toEqual(['GAP_UPDATE', 'UPDATE']);
  });

  it('retries a failing handler with the same batch and only then moves the cursor', async () => {
    const engine = new RecordingEngine();
    const handlers = engine.handlers();
    let failures = 1;
    const flaky = createCdcSubscriber({
      connection: salesforce,
      channels: [CHANNEL],
      logger: silentLogger,
      ...handlers,
      onEvents: async (channel, events) => {
        if (failures-- > 0) throw new Error('store is busy');
        await handlers.onEvents(channel, events);
      },
    });
    running.push(flaky);
    await flaky.start();

    await editAsUser(emulator, opportunityId, { Name: 'Retried' });

    await engine.waitForName('Retried');
    expect(engine.namesSeen()).toEqual(['Retried']);
    expect(flaky.status()[0]).toMatchObject({
      subscribed: true,
      durableReplayId: engine.cursor.get(CHANNEL),
    });
  });
});
