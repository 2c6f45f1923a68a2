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
});
