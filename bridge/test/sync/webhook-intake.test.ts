import pino from 'pino';
import { openStore, type StateStore } from '../../src/store';
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
