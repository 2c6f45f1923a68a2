import { request } from 'node:http';
import type { Connection } from 'jsforce';
import { connect, control, emulatorForFile, seedDeal, startEmulator, waitFor } from './helpers';
import { handshakeByHand, holdConnect, subscribe, type Subscriber } from './streaming-helpers';

const OPP = '/data/OpportunityChangeEvent';

describe('salesforce emulator: Streaming API (CometD) and Change Data Capture', () => {
  const emu = emulatorForFile({ cometdTimeoutMs: 1000 });
  let conn: Connection;
  const open: Subscriber[] = [];
  const sub = (channel: string, replayId: number | null = -1, c: Connection = conn) => {
    const s = subscribe(c, channel, replayId);
    open.push(s);
    return s;
  };

  beforeEach(async () => {
    conn = await connect(emu);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  it('an API update yields one UPDATE event with a complete ChangeEventHeader and changeOrigin from Sforce-Call-Options', async () => {
    const { opportunityId } = await seedDeal(conn);
    const s = sub(OPP);
    await s.ready;
    await conn
      .sobject('Opportunity')
      .update({ Id: opportunityId, StageName: 'Needs Analysis', Description: 'hi' });
    const [event] = await waitFor(
      () => (s.events.length ? s.events : undefined),
      'the change event',
    );
    expect(event?.payload.ChangeEventHeader).toEqual({
      entityName: 'Opportunity',
      recordIds: [opportunityId],
      changeType: 'UPDATE',
      changeOrigin: 'com/salesforce/api/rest/62.0;client=CoSellSync',
      transactionKey: expect.stringMatching(/^[0-9a-f-]{36}$/),
      sequenceNumber: 1,
      commitTimestamp: expect.any(Number),
      commitNumber: expect.any(Number),
      commitUser: emu.users.integration,
      changedFields: expect.arrayContaining([
        'StageName',
        'Description',
        'Probability',
        'LastModifiedDate',
      ]),
    });
    expect(event?.payload).toMatchObject({
      StageName: 'Needs Analysis',
      Description: 'hi',
      Probability: 20,
    });
    expect(event?.payload.LastModifiedDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(event?.payload).not.toHaveProperty('Name'); // unchanged fields stay out of the body
    expect(event?.event.replayId).toEqual(expect.any(Number));
    expect(typeof event?.schema).toBe('string');
  });

  it('UI-like seeding (no client id) has an empty changeOrigin and the seller as commitUser; CREATE carries non-empty fields', async () => {
    const s = sub(OPP);
    await s.ready;
    const { body } = await control(emu, 'POST', '/records', {
      sobject: 'Opportunity',
      records: [{ Name: 'From UI', StageName: 'Prospecting', CloseDate: '2030-01-01' }],
    });
    const id = (body as { ids: string[] }).ids[0];
    const [event] = await waitFor(
      () => (s.events.length ? s.events : undefined),
      'the create event',
    );
    expect(event?.payload.ChangeEventHeader).toMatchObject({
      changeType: 'CREATE',
      changeOrigin: '',
      commitUser: emu.users.seller,
      recordIds: [id],
    });
    expect(event?.payload).toMatchObject({
      Name: 'From UI',
      StageName: 'Prospecting',
      OwnerId: emu.users.seller,
    });
    expect(event?.payload).not.toHaveProperty('Amount');
  });

  it('/data/ChangeEvents carries every selected entity; a child insert also emits the roll-up UPDATE of its master in the same transaction', async () => {
    const { opportunityId } = await seedDeal(conn);
    const sol = await conn
      .sobject('Microsoft_Solution__c')
      .create({ Name: 'S', Solution_Id__c: 'S-1' });
    const all = sub('/data/ChangeEvents');
    const junction = sub('/data/Co_Sell_Solution__ChangeEvent');
    await Promise.all([all.ready, junction.ready]);
    await conn
      .sobject('Co_Sell_Solution__c')
      .create([{ Opportunity__c: opportunityId, Microsoft_Solution__c: sol.id }]);
    const events = await waitFor(
      () => (all.events.length >= 2 ? all.events : undefined),
      'two events',
    );
    const headers = events.map((e) => e.payload.ChangeEventHeader);
    expect(headers.map((h) => [h.entityName, h.changeType, h.sequenceNumber])).toEqual([
      ['Co_Sell_Solution__c', 'CREATE', 1],
      ['Opportunity', 'UPDATE', 2],
    ]);
    expect(headers[0]?.transactionKey).toBe(headers[1]?.transactionKey);
    expect(headers[1]?.changedFields).toEqual(
      expect.arrayContaining(['Co_Sell_Solution_Count__c']),
    );
    expect(events[1]?.payload.Co_Sell_Solution_Count__c).toBe(1);
    await waitFor(() => (junction.events.length === 1 ? true : undefined), 'the junction event');
    expect(junction.events[0]?.event.replayId).toBe(events[0]?.event.replayId);
    // Microsoft_Solution__c is not selected for CDC in the fixture metadata.
    expect(headers.some((h) => h.entityName === 'Microsoft_Solution__c')).toBe(false);
  });

  it('replay -2 delivers retained events, a replay id delivers only later ones, -1 only new ones', async () => {
    const { opportunityId } = await seedDeal(conn);
    for (const stage of ['Qualification', 'Needs Analysis']) {
      await conn.sobject('Opportunity').update({ Id: opportunityId, StageName: stage });
    }
    const everything = sub(OPP, -2);
    await everything.ready;
    const retained = await waitFor(
      () => (everything.events.length >= 3 ? everything.events : undefined),
      'retained',
    );
    expect(retained.map((e) => e.payload.ChangeEventHeader.changeType)).toEqual([
      'CREATE',
      'UPDATE',
      'UPDATE',
    ]);
    const firstId = retained[0]?.event.replayId ?? 0;
    const after = sub(OPP, firstId);
    const fresh = sub(OPP, -1);
    await Promise.all([after.ready, fresh.ready]);
    await conn.sobject('Opportunity').update({ Id: opportunityId, StageName: 'Closed Lost' });
    await waitFor(
      () => (after.events.length >= 3 && fresh.events.length >= 1 ? true : undefined),
      'replays',
    );
    expect(after.events.map((e) => e.payload.StageName)).toEqual([
      'Qualification',
      'Needs Analysis',
      'Closed Lost',
    ]);
    expect(fresh.events.map((e) => e.payload.StageName)).toEqual(['Closed Lost']);
  });

  it('a replay id older than the retention window is refused with the documented 400 text', async () => {
    const { opportunityId } = await seedDeal(conn);
    await control(emu, 'POST', '/retention', { retentionMs: 60_000 });
    const old = (await control(emu, 'GET', '/events')).body as { latestReplayId: number };
    await control(emu, 'POST', '/clock', { advanceMs: 120_000 });
    conn = await connect(emu);
    await conn.sobject('Opportunity').update({ Id: opportunityId, StageName: 'Qualification' });
    const s = sub(OPP, old.latestReplayId - 1);
    await expect(s.ready).rejects.toMatchObject({
      message: `400::The replayId {${old.latestReplayId - 1}} you provided was invalid. Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`,
    });
    const all = sub(OPP, -2);
    await all.ready;
    await waitFor(() => (all.events.length ? true : undefined), 'the retained event');
    expect(all.events.map((e) => e.payload.ChangeEventHeader.changeType)).toEqual(['UPDATE']);
  });

  it('after 403::Unknown client faye handshakes again and resubscribes from its last replay id, so nothing is lost', async () => {
    const { opportunityId } = await seedDeal(conn);
    const s = sub(OPP, -1);
    await s.ready;
    await conn.sobject('Opportunity').update({ Id: opportunityId, StageName: 'Qualification' });
    await waitFor(() => (s.events.length === 1 ? true : undefined), 'first event');
    const dropped = (await control(emu, 'POST', '/cometd/drop-clients')).body as {
      dropped: number;
    };
    expect(dropped.dropped).toBeGreaterThanOrEqual(1);
    await conn.sobject('Opportunity').update({ Id: opportunityId, StageName: 'Needs Analysis' });
    await waitFor(
      () => (s.events.length === 2 ? true : undefined),
      'the event made while disconnected',
    );
    expect(s.events.map((e) => e.payload.StageName)).toEqual(['Qualification', 'Needs Analysis']);
    const stats = (await control(emu, 'GET', '/stats')).body as {
      cometdChannels: Record<string, number>;
    };
    expect(stats.cometdChannels['/meta/handshake']).toBeGreaterThanOrEqual(2);
  });

  it('revoked tokens: the next connect answers 401::Authentication invalid with reconnect none (AuthFailure fires)', async () => {
    const s = sub(OPP);
    await s.ready;
    await control(emu, 'POST', '/faults', { expireTokens: true });
    const failure = await waitFor(() => s.authFailures[0], 'AuthFailure', 5000);
    expect(failure).toMatchObject({
      channel: '/meta/connect',
      error: '401::Authentication invalid',
      successful: false,
      advice: { reconnect: 'none', interval: 0 },
    });
  });

  it('gap and overflow events on demand carry only a header', async () => {
    const { opportunityId } = await seedDeal(conn);
    const s = sub(OPP);
    await s.ready;
    await control(emu, 'POST', '/cdc/gap', {
      entity: 'Opportunity',
      changeType: 'GAP_UPDATE',
      recordIds: [opportunityId],
    });
    await control(emu, 'POST', '/cdc/gap', { entity: 'Opportunity', changeType: 'GAP_OVERFLOW' });
    await waitFor(() => (s.events.length === 2 ? true : undefined), 'gap events');
    expect(
      s.events.map((e) => [
        e.payload.ChangeEventHeader.changeType,
        e.payload.ChangeEventHeader.recordIds,
      ]),
    ).toEqual([
      ['GAP_UPDATE', [opportunityId]],
      ['GAP_OVERFLOW', ['000000000000000AAA']],
    ]);
    expect(Object.keys(s.events[0]?.payload ?? {})).toEqual(['ChangeEventHeader']);
  });

  it('subscribing to a channel that does not exist is refused', async () => {
    const s = sub('/data/AccountChangeEvent', null);
    await expect(s.ready).rejects.toMatchObject({
      message:
        '400::The channel you requested to subscribe to does not exist {/data/AccountChangeEvent}',
    });
  });

  it('speaks raw Bayeux: handshake advertises long-polling with ext.replay, unknown clients get 403 with handshake advice', async () => {
    const post = (body: unknown, cookie?: string) =>
      fetch(`${emu.url}/cometd/62.0`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `OAuth ${conn.accessToken}`,
          ...(cookie ? { cookie } : {}),
        },
        body: JSON.stringify(body),
      });
    const hs = await post([
      {
        channel: '/meta/handshake',
        version: '1.0',
        supportedConnectionTypes: ['long-polling'],
        id: '1',
      },
    ]);
    const cookie = hs.headers.get('set-cookie')?.split(';')[0] ?? '';
    expect(cookie).toMatch(/^BAYEUX_BROWSER=/);
    const [reply] = (await hs.json()) as Array<Record<string, unknown>>;
    expect(reply).toMatchObject({
      channel: '/meta/handshake',
      successful: true,
      supportedConnectionTypes: ['long-polling'],
      ext: { replay: true, 'payload.format': true },
      clientId: expect.any(String),
    });
    const connect = await post(
      [
        {
          channel: '/meta/connect',
          clientId: reply?.clientId,
          connectionType: 'long-polling',
          id: '2',
          advice: { timeout: 0 },
        },
      ],
      cookie,
    );
    expect(await connect.json()).toEqual([
      expect.objectContaining({
        channel: '/meta/connect',
        successful: true,
        advice: { interval: 0, timeout: 1000, reconnect: 'retry' },
      }),
    ]);
    const unknown = await post(
      [{ channel: '/meta/connect', clientId: 'nope', connectionType: 'long-polling', id: '3' }],
      cookie,
    );
    expect(await unknown.json()).toEqual([
      {
        clientId: 'nope',
        channel: '/meta/connect',
        id: '3',
        advice: { interval: 0, reconnect: 'handshake' },
        error: '403::Unknown client',
        successful: false,
      },
    ]);
    // faye's WebSocket probe must get anything but 101 so it stays on long-polling.
    const probeStatus = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(`${emu.url}/cometd/62.0`, {
        headers: {
          upgrade: 'websocket',
          connection: 'Upgrade',
          'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
          'sec-websocket-version': '13',
        },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('upgrade', () => resolve(101));
      req.on('error', reject);
      req.end();
    });
    expect(probeStatus).toBe(400);
    const stats = (await control(emu, 'GET', '/stats')).body as {
      requests: Record<string, number>;
    };
    // CometD posts are counted apart from REST (a closing faye client may add its disconnect).
    expect(stats.requests['POST /cometd/vXX.X']).toBeGreaterThanOrEqual(3);
    expect(Object.keys(stats.requests).filter((k) => k.includes('cometd'))).toEqual([
      'GET /cometd/vXX.X',
      'POST /cometd/vXX.X',
    ]);
  });

  it('raw Bayeux errors: no token, bad version, oversized body, null replay id, unauthenticated handshake', async () => {
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${emu.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    const auth = { authorization: `OAuth ${conn.accessToken}` };
    const handshake = [{ channel: '/meta/handshake', version: '1.0', id: '1' }];
    expect(await (await post('/cometd/62.0', handshake)).json()).toEqual([
      { error: '401::Request requires authentication', successful: false },
    ]);
    expect(await (await post('/cometd/22.0', handshake, auth)).json()).toEqual([
      expect.objectContaining({ error: expect.stringContaining('400::Unsupported API version') }),
    ]);
    expect(await (await post('/cometd', handshake, auth)).json()).toEqual([
      expect.objectContaining({
        error: expect.stringContaining('API version in the URI is mandatory'),
      }),
    ]);
    const big = await post(
      '/cometd/62.0',
      JSON.stringify([{ channel: '/meta/connect', pad: 'x'.repeat(40_000) }]),
      auth,
    );
    expect(big.status).toBe(413);
    expect(
      await (await post('/cometd/62.0', handshake, { authorization: 'OAuth nope' })).json(),
    ).toEqual([
      {
        ext: {
          sfdc: { failureReason: '401::Authentication invalid' },
          replay: true,
          'payload.format': true,
        },
        advice: { reconnect: 'none' },
        channel: '/meta/handshake',
        id: '1',
        error: '403::Handshake denied',
        successful: false,
      },
    ]);
    const hs = await post('/cometd/62.0', handshake, auth);
    const cookie = hs.headers.get('set-cookie')?.split(';')[0] ?? '';
    const [{ clientId }] = (await hs.json()) as [{ clientId: string }];
    const subscribe = await post(
      '/cometd/62.0',
      [
        {
          channel: '/meta/subscribe',
          clientId,
          subscription: OPP,
          id: '2',
          ext: { replay: { [OPP]: null } },
        },
      ],
      { ...auth, cookie },
    );
    expect(await subscribe.json()).toEqual([
      expect.objectContaining({
        successful: false,
        error: expect.stringContaining(`400::The replayId for channel {${OPP}} wasn't found`),
      }),
    ]);
    const noCookie = await post(
      '/cometd/62.0',
      [{ channel: '/meta/connect', clientId, connectionType: 'long-polling', id: '3' }],
      auth,
    );
    expect(await noCookie.json()).toEqual([
      expect.objectContaining({
        error: expect.stringContaining('no BAYEUX_BROWSER cookie present'),
      }),
    ]);
  });

  it("a held connect is answered with all of a transaction's change events, not with its first one", async () => {
    const slow = await startEmulator({ cometdTimeoutMs: 120_000 });
    try {
      const { clientId, post } = await handshakeByHand(slow, (await connect(slow)).accessToken!);
      const subscribed = await post([
        {
          channel: '/meta/subscribe',
          clientId,
          subscription: OPP,
          id: '2',
          ext: { replay: { [OPP]: -1 } },
        },
      ]);
      expect(await subscribed.json()).toEqual([expect.objectContaining({ successful: true })]);
      const held = (await holdConnect(slow, { clientId, post }, 3)).answer.then(
        (r) => r.json() as Promise<Array<{ channel: string }>>,
      );

      // One transaction of 50 records (as a seller's list-view save or a composite update).
      const records = Array.from({ length: 50 }, (_, i) => ({
        Name: `Batch ${i}`,
        StageName: 'Prospecting',
        CloseDate: '2030-01-01',
      }));
      await control(slow, 'POST', '/records', { sobject: 'Opportunity', records });
      const answer = await held;
      expect(answer.filter((m) => m.channel === OPP)).toHaveLength(50);
    } finally {
      await slow.stop();
    }
  });

  it('a client refused with 401 has its held connect answered with the same 401 at once, not at the end of its hold', async () => {
    // A hold far longer than the test's deadline: only the 401 can end this connect in time.
    const slow = await startEmulator({ cometdTimeoutMs: 120_000 });
    try {
      const { clientId, post } = await handshakeByHand(slow, (await connect(slow)).accessToken!);
      const held = (await holdConnect(slow, { clientId, post }, 2)).answer.then((r) => r.json());

      await control(slow, 'POST', '/faults', { expireTokens: true });
      const refused = await post([{ channel: '/meta/disconnect', clientId, id: '4' }]);
      const authenticationInvalid = {
        clientId,
        advice: { interval: 0, reconnect: 'none' },
        error: '401::Authentication invalid',
        successful: false,
      };
      expect(await refused.json()).toEqual([
        { ...authenticationInvalid, channel: '/meta/disconnect', id: '4' },
      ]);
      const answered = await Promise.race([
        held,
        new Promise((resolve) => setTimeout(() => resolve('still held'), 5_000).unref()),
      ]);
      expect(answered).toEqual([{ ...authenticationInvalid, channel: '/meta/connect', id: '3' }]);
    } finally {
      await slow.stop();
    }
  });

  it('a client that does not reconnect within the reconnect window is forgotten (403::Unknown client)', async () => {
    const quick = await startEmulator({ cometdReconnectWindowMs: 200 });
    try {
      const { clientId, post } = await handshakeByHand(quick, (await connect(quick)).accessToken!);
      await waitFor(async () => {
        const { body } = await control(quick, 'GET', '/events');
        return (body as { cometdClients: number }).cometdClients === 0 ? true : undefined;
      }, 'the idle client to expire');
      const late = await post([
        { channel: '/meta/connect', clientId, connectionType: 'long-polling', id: '2' },
      ]);
      expect(await late.json()).toEqual([
        expect.objectContaining({
          error: '403::Unknown client',
          advice: { interval: 0, reconnect: 'handshake' },
        }),
      ]);
    } finally {
      await quick.stop();
    }
  });
});
