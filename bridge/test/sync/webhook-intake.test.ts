import pino from 'pino';
import { openStore, type StateStore } from '../../src/store';
import { createEchoExpectations } from '../../src/sync/echo';
import { createOutboundInFlight } from '../../src/sync/outbound-in-flight';
import { createWebhookIntake } from '../../src/sync/webhook-intake';
import { parseWebhookEvent, referralIdFromResourceUri } from '../../src/webhook';

const logger = pino({ level: 'silent' });
const uri = (id: string) =>
  `https://api.partnercenter.microsoft.com/engagements/v1/referrals/${id}`;
/** What the verifier hands over: the body, parsed by the webhook module's own parser. */
const verified = (body: object) => parseWebhookEvent(Buffer.from(JSON.stringify(body)));

describe('webhook intake', () => {
  let store: StateStore;
  let queued: number;
  let onWebhook: ReturnType<typeof createWebhookIntake>;

  beforeEach(() => {
    store = openStore('sqlite::memory:');
    queued = 0;
    onWebhook = createWebhookIntake({
      store,
      logger,
      now: () => new Date('2026-01-01T00:00:00Z'),
      onQueued: () => (queued += 1),
    });
  });

  afterEach(async () => {
    await store.close();
  });

  it('takes the referral id from the last path segment of ResourceUri', () => {
    expect(referralIdFromResourceUri(uri('abc-123'))).toBe('abc-123');
    expect(referralIdFromResourceUri(`${uri('abc-123')}?x=1`)).toBe('abc-123');
    // A ResourceUri that is no URL is split as text: a dot segment is no referral id.
    expect(referralIdFromResourceUri('.')).toBeUndefined();
    expect(referralIdFromResourceUri('x/..')).toBeUndefined();
  });

  it('R18: persists a referral event once; a repeated delivery is a duplicate and wakes nobody', async () => {
    const body = {
      EventName: 'referral-updated',
      ResourceUri: uri('r1'),
      ResourceChangeUtcDate: '2026-01-01T00:00:01.1234567+00:00',
    };
    const event = verified(body);
    expect(await onWebhook(event, Buffer.from(JSON.stringify(body)))).toEqual({
      status: 'queued',
      referralId: 'r1',
    });
    expect(await onWebhook(event, Buffer.from(JSON.stringify(body)))).toEqual({
      status: 'duplicate',
      referralId: 'r1',
    });
    expect(queued).toBe(1);
    expect((await store.queueDepths()).inboxPending).toBe(1);
  });

  it('skips the echo of our own PATCH: a change not newer than the state we stored needs no read', async () => {
    await store.saveLink({
      opportunityId: '006A',
      referralId: 'r2',
      updatedDateTime: '2026-01-01T00:00:05.0000000+00:00',
    });
    const echo = {
      EventName: 'referral-updated',
      ResourceUri: uri('r2'),
      ResourceChangeUtcDate: '2026-01-01T00:00:05.0000000+00:00',
    };
    expect(await onWebhook(verified(echo))).toEqual({ status: 'echo', referralId: 'r2' });
    const later = { ...echo, ResourceChangeUtcDate: '2026-01-01T00:00:05.0000001+00:00' };
    expect((await onWebhook(verified(later))).status).toBe('queued');
  });

  const STORED_AT = '2026-01-01T00:00:05.0000000+00:00';
  const updated = (referralId: string, at: string) =>
    verified({
      EventName: 'referral-updated',
      ResourceUri: uri(referralId),
      ResourceChangeUtcDate: at,
    });

  /**
   * A referral whose state we stored, an intake that sees our sends, and one send of its
   * opportunity in flight until `finish()`.
   */
  async function sendInFlight(opportunityId: string, referralId: string, settleWaitMs?: number) {
    await store.saveLink({ opportunityId, referralId, updatedDateTime: STORED_AT });
    const outboundInFlight = createOutboundInFlight();
    const echoes = createEchoExpectations();
    const intake = createWebhookIntake({
      store,
      logger,
      now: () => new Date(),
      outboundInFlight,
      echoes,
      settleWaitMs,
      onQueued: () => (queued += 1),
    });
    let settle!: () => void;
    const send = outboundInFlight.run(
      opportunityId,
      () => new Promise<void>((resolve) => (settle = resolve)),
    );
    return { intake, echoes, finish: () => (settle(), send) };
  }

  it('R1: the echo of our 204 PATCH is answered without being stored once its send settles; a second change is stored', async () => {
    const { intake, echoes, finish } = await sendInFlight('006B', 'r4');
    const ours = intake(updated('r4', '2026-01-01T00:00:06.0000000+00:00'));
    // Our PATCH was answered 204 (its change time unknown): one echo is expected, then the send
    // finishes saving its result.
    echoes.expect('r4');
    await finish();
    expect(await ours).toEqual({ status: 'echo', referralId: 'r4' });
    // A redelivery of the same event is the same echo.
    expect((await intake(updated('r4', '2026-01-01T00:00:06.0000000+00:00'))).status).toBe('echo');
    // One 204 explains one change: the next one is Microsoft's, stored to be read.
    expect((await intake(updated('r4', '2026-01-01T00:00:07.0000000+00:00'))).status).toBe(
      'queued',
    );
    expect(queued).toBe(1);
    expect((await store.queueDepths()).inboxPending).toBe(1);
  });

  it('R1: a delivery whose send does not settle within the wait is stored as before', async () => {
    const { intake, echoes, finish } = await sendInFlight('006C', 'r5', 20);
    echoes.expect('r5');
    const result = await intake(updated('r5', '2026-01-01T00:00:06.0000000+00:00'));
    expect(result).toEqual({ status: 'queued', referralId: 'r5' });
    expect((await store.queueDepths()).inboxPending).toBe(1);
    await finish();
    // The expectation was not used up: the inbound worker can still recognise the echo.
    expect(echoes.take('r5', ['2026-01-01T00:00:06.0000000+00:00'])).toBe(true);
  });

  it('acknowledges but ignores events that are not referral events (the R8 test event)', async () => {
    const result = await onWebhook(
      verified({
        EventName: 'test-created',
        ResourceUri: 'https://x/webhooks/v1/registration/validationEvents/1',
      }),
    );
    expect(result.status).toBe('ignored');
    expect((await store.queueDepths()).inboxPending).toBe(0);
  });

  it('R18: a redelivered webhook is recognised by its delivery key, however its JSON is laid out', async () => {
    const lines: Record<string, unknown>[] = [];
    const logged = pino(
      { level: 'info' },
      { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
    );
    const intake = createWebhookIntake({ store, logger: logged, now: () => new Date() });
    const first = Buffer.from(
      JSON.stringify({
        EventName: 'referral-created',
        ResourceUri: uri('r3'),
        ResourceChangeUtcDate: '2026-01-01T00:00:02Z',
      }),
    );
    // The same event again, as Partner Center retries it: other whitespace and field order.
    const again = Buffer.from(
      `{ "ResourceChangeUtcDate": "2026-01-01T00:00:02Z", "ResourceUri": "${uri('r3')}",\n  "EventName": "referral-created" }`,
    );
    const event = parseWebhookEvent(first);
    const redelivered = parseWebhookEvent(again);
    expect(redelivered.deliveryKey).toBe(event.deliveryKey);
    expect(await intake(event, first)).toEqual({ status: 'queued', referralId: 'r3' });
    expect(await intake(redelivered, again)).toEqual({ status: 'duplicate', referralId: 'r3' });
    expect(lines).toContainEqual(
      expect.objectContaining({
        event: 'sync.webhook.redelivered',
        deliveryKey: event.deliveryKey,
      }),
    );
    // A later change of the same referral is a new event, not a redelivery.
    const next = verified({
      EventName: 'referral-created',
      ResourceUri: uri('r3'),
      ResourceChangeUtcDate: '2026-01-01T00:00:03Z',
    });
    expect(next.deliveryKey).not.toBe(event.deliveryKey);
    expect((await intake(next)).status).toBe('queued');
    const [item] = await store.claimInbox(10);
    expect(item).toMatchObject({ source: 'webhook', referralId: 'r3', body: first.toString() });
    expect((await store.queueDepths()).inboxPending).toBe(2);
  });
});
