import { resolve } from 'node:path';
import type { Connection } from 'jsforce';
import {
  connect,
  control,
  emulatorForFile,
  restAs,
  seedDeal,
  waitFor,
  connectAs as connectAsUser,
} from './helpers';
import { subscribe, type Subscriber } from './streaming-helpers';

const REPOSITORY_FORCE_APP = resolve(__dirname, '../../../force-app');
const EVENT = 'Co_Sell_Sync_Update__e';
const CHANNEL = `/event/${EVENT}`;

interface UpdateMessage {
  schema: string;
  payload: Record<string, unknown>;
  event: { replayId: number; EventUuid: string };
}

describe('salesforce emulator: platform events (live status for sellers without View All)', () => {
  const emu = emulatorForFile({ forceAppDir: REPOSITORY_FORCE_APP, cometdTimeoutMs: 1000 });
  let bridge: Connection;
  const open: Subscriber[] = [];
  const sub = (c: Connection, replayId = -1) => {
    const s = subscribe(c, CHANNEL, replayId);
    open.push(s);
    return s;
  };
  const messages = (s: Subscriber) => s.events as unknown as UpdateMessage[];

  const connectAs = (username: string) => connectAsUser(emu, username, '');

  beforeEach(async () => {
    bridge = await connect(emu);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  it('R10: a seller with only Co_Sell_Seller (no View All) receives what the integration user publishes, with replay id and EventUuid', async () => {
    const rep = await connectAs('rep@cosell.example');
    const s = sub(rep);
    await s.ready;
    const { opportunityId } = await seedDeal(bridge);
    const result = await bridge
      .sobject(EVENT)
      .create({ Opportunity_Id__c: opportunityId, Sync_Status__c: 'Synced' });
    expect(result).toMatchObject({ success: true, id: expect.stringMatching(/^e0/) });
    const [message] = await waitFor(() => (s.events.length ? messages(s) : undefined), 'event');
    expect(message?.payload).toEqual({
      Opportunity_Id__c: opportunityId,
      Sync_Status__c: 'Synced',
      CreatedById: emu.users.integration,
      CreatedDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
    expect(message?.event).toEqual({
      replayId: expect.any(Number),
      EventUuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it('R10: a user without Read on the event is refused at subscribe; sellers cannot publish', async () => {
    await control(emu, 'POST', '/permission-sets', {
      username: 'rep@cosell.example',
      permissionSet: 'Co_Sell_Seller',
      assigned: false,
    });
    const outsider = await connectAs('rep@cosell.example');
    // faye splits Salesforce's `403:denied_by_security_policy:create_denied` into its parts.
    await expect(sub(outsider).ready).rejects.toMatchObject({
      code: 403,
      params: ['denied_by_security_policy'],
      message: 'create_denied',
    });
    await control(emu, 'POST', '/permission-sets', {
      username: 'rep@cosell.example',
      permissionSet: 'Co_Sell_Seller',
      assigned: true,
    });
    const rep = await connectAs('rep@cosell.example');
    await expect(
      rep.sobject(EVENT).create({ Opportunity_Id__c: '006000000000000AAA' }),
    ).rejects.toMatchObject({ errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY' });
  });

  it('Publish After Commit: a rolled-back request publishes nothing; allOrNone=false publishes the records that saved', async () => {
    const rep = await connectAs('rep@cosell.example');
    const s = sub(rep);
    await s.ready;
    const events = (ids: (string | null)[]) =>
      ids.map((id) => ({
        attributes: { type: EVENT },
        Opportunity_Id__c: id,
        Sync_Status__c: 'Error',
      }));
    const rolledBack = await bridge.sobject(EVENT).create(events(['006A', null]) as never, {
      allOrNone: true,
    });
    expect(rolledBack.map((r) => r.success)).toEqual([false, false]);
    const partial = await bridge.sobject(EVENT).create(events(['006B', null]) as never, {
      allOrNone: false,
    });
    expect(partial.map((r) => r.success)).toEqual([true, false]);
    await waitFor(() => (s.events.length ? true : undefined), 'the event that saved');
    // A later marker proves nothing else was queued behind it.
    await bridge.sobject(EVENT).create({ Opportunity_Id__c: '006C' });
    await waitFor(() => (s.events.length >= 2 ? true : undefined), 'the marker');
    expect(messages(s).map((m) => m.payload.Opportunity_Id__c)).toEqual(['006B', '006C']);
  });

  it('events cannot be queried, updated or read back; the stream replays them from a replay id like change events', async () => {
    await bridge.sobject(EVENT).create({ Opportunity_Id__c: '006D' });
    await expect(bridge.query(`SELECT Id FROM ${EVENT}`)).rejects.toMatchObject({
      errorCode: 'INVALID_TYPE',
    });
    const describe = await bridge.sobject(EVENT).describe();
    expect(describe).toMatchObject({ queryable: false, updateable: false, createable: true });
    const replayed = sub(bridge, -2);
    await replayed.ready;
    await waitFor(() => (replayed.events.length ? true : undefined), 'the replayed event');
    expect(messages(replayed)[0]?.payload.Opportunity_Id__c).toBe('006D');
  });

  it('composite: a write-back and its events in ONE API call; allOrNone rolls the events back with a failed update', async () => {
    const rep = await connectAs('rep@cosell.example');
    const s = sub(rep);
    await s.ready;
    const { opportunityId } = await seedDeal(bridge);
    const rest = restAs(emu, () => bridge);
    const base = '/services/data/v62.0';
    const composite = (allOrNone: boolean, stage: string) =>
      rest('/composite', {
        method: 'POST',
        body: JSON.stringify({
          allOrNone,
          compositeRequest: [
            {
              method: 'PATCH',
              url: `${base}/composite/sobjects`,
              referenceId: 'writeBack',
              body: {
                allOrNone: false,
                records: [
                  { attributes: { type: 'Opportunity' }, id: opportunityId, StageName: stage },
                ],
              },
            },
            {
              method: 'POST',
              url: `${base}/sobjects/${EVENT}`,
              referenceId: 'status',
              body: { Opportunity_Id__c: opportunityId, Sync_Status__c: stage },
            },
          ],
        }),
      });
    const start = emu.state.apiRequestsUsed;
    const ok = await composite(false, 'Needs Analysis');
    expect(ok.status).toBe(200);
    expect(emu.state.apiRequestsUsed - start).toBe(1);
    const body = (await ok.json()) as { compositeResponse: { httpStatusCode: number }[] };
    expect(body.compositeResponse.map((r) => r.httpStatusCode)).toEqual([200, 201]);
    await waitFor(() => (s.events.length ? true : undefined), 'the status event');
    expect(messages(s)[0]?.payload).toMatchObject({ Sync_Status__c: 'Needs Analysis' });

    // A PATCH collection answers 200 even with failed records; a bad sObject subrequest fails.
    const failing = await rest('/composite', {
      method: 'POST',
      body: JSON.stringify({
        allOrNone: true,
        compositeRequest: [
          {
            method: 'POST',
            url: `${base}/sobjects/${EVENT}`,
            referenceId: 'status',
            body: { Opportunity_Id__c: opportunityId, Sync_Status__c: 'Rolled back' },
          },
          {
            method: 'PATCH',
            url: `${base}/sobjects/Opportunity/${opportunityId}`,
            referenceId: 'writeBack',
            body: { StageName: 'No Such Stage', Amount: 'not a number' },
          },
        ],
      }),
    });
    const rolled = (await failing.json()) as {
      compositeResponse: { httpStatusCode: number; body: { errorCode: string }[] }[];
    };
    expect(rolled.compositeResponse.map((r) => r.httpStatusCode)).toEqual([400, 400]);
    expect(rolled.compositeResponse[0]?.body[0]?.errorCode).toBe('PROCESSING_HALTED');
    await bridge.sobject(EVENT).create({ Opportunity_Id__c: '006E' });
    await waitFor(() => (s.events.length >= 2 ? true : undefined), 'the marker');
    expect(messages(s).map((m) => m.payload.Sync_Status__c ?? null)).toEqual([
      'Needs Analysis',
      null,
    ]);
  });
});
