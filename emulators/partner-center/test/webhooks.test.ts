import { REFERRAL_EVENTS } from '../src';
import {
  harnessForFile,
  referralBody,
  verifyDelivery,
  waitFor,
  WebhookReceiver,
  type Json,
} from './helpers';

describe('Partner Center emulator: webhook registration and signed deliveries', () => {
  const pc = harnessForFile({ webhookRetryScheduleMs: [100, 200] });
  let receiver: WebhookReceiver;
  let webhookToken: string;
  let referralsToken: string;

  beforeEach(async () => {
    receiver = await new WebhookReceiver().start();
    webhookToken = await pc.appToken();
    referralsToken = await pc.userToken();
  });
  afterEach(() => receiver.stop());

  const webhookApi = (method: string, path: string, body?: unknown) =>
    pc.api(method, `/webhooks/v1${path}`, { token: webhookToken, body });
  const register = async (events: readonly string[] = [...REFERRAL_EVENTS, 'test-created']) => {
    const res = await webhookApi('POST', '/registration', {
      WebhookUrl: receiver.url,
      WebhookEvents: events,
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Json;
  };
  const createReferral = async () =>
    (await (
      await pc.api('POST', '/v1.0/engagements/referrals', {
        token: referralsToken,
        body: referralBody(),
      })
    ).json()) as Json;
  const deliveries = async () =>
    ((await (await pc.control('GET', '/deliveries')).json()) as { value: Json[] }).value;

  it('lists the events one can register for, including the four referral events', async () => {
    const res = await webhookApi('GET', '/registration/events');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(expect.arrayContaining(['test-created', ...REFERRAL_EVENTS]));
  });

  it('R8: creates a registration, answers 409 to a second POST, replaces it with PUT', async () => {
    expect((await webhookApi('GET', '/registration')).status).toBe(404);
    const created = await register(['referral-created']);
    expect(created).toMatchObject({
      WebhookUrl: receiver.url,
      WebhookEvents: ['referral-created'],
    });
    expect(typeof created.SubscriberId).toBe('string');
    const again = await webhookApi('POST', '/registration', {
      WebhookUrl: receiver.url,
      WebhookEvents: ['referral-updated'],
    });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({
      code: 409,
      description: expect.stringMatching(/PUT/),
      data: [],
    });
    const replaced = await webhookApi('PUT', '/registration', {
      webhookUrl: `${receiver.url}?v=2`,
      webhookEvents: [...REFERRAL_EVENTS],
    });
    expect(replaced.status).toBe(200);
    const read = (await (await webhookApi('GET', '/registration')).json()) as Json;
    expect(read).toMatchObject({
      WebhookUrl: `${receiver.url}?v=2`,
      WebhookEvents: [...REFERRAL_EVENTS],
      SubscriberId: created.SubscriberId,
    });
  });

  it('rejects a registration with an unknown event or a relative URL', async () => {
    expect(
      (
        await webhookApi('POST', '/registration', {
          WebhookUrl: receiver.url,
          WebhookEvents: ['referral-exploded'],
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await webhookApi('POST', '/registration', {
          WebhookUrl: '/relative',
          WebhookEvents: ['referral-created'],
        })
      ).status,
    ).toBe(400);
  });

  it('R8: a validation event delivers a signed test-created event and records the answer', async () => {
    await register();
    const res = await webhookApi('POST', '/registration/validationEvents');
    expect(res.status).toBe(200);
    const { correlationId } = (await res.json()) as { correlationId: string };
    const event = await receiver.first('test-created');
    expect(event.signatureValid).toBe(true);
    expect(event.body).toEqual({
      EventName: 'test-created',
      ResourceUri: `${pc.url}/webhooks/v1/registration/validationEvents/${correlationId}`,
      ResourceName: 'test',
      AuditUri: null,
      ResourceChangeUtcDate: expect.stringMatching(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}\+00:00$/,
      ),
    });
    const status = await waitFor(async () => {
      const doc = (await (
        await webhookApi('GET', `/registration/validationEvents/${correlationId}`)
      ).json()) as Json;
      return doc.status === 'completed' ? doc : undefined;
    });
    expect(status).toMatchObject({
      correlationId,
      callbackUrl: receiver.url,
      results: [{ responseCode: 'OK', systemError: false }],
    });
  });

  it('throttles validation events to 2 per minute and needs test-created registered', async () => {
    await register(['referral-created']);
    expect((await webhookApi('POST', '/registration/validationEvents')).status).toBe(400);
    await webhookApi('PUT', '/registration', {
      WebhookUrl: receiver.url,
      WebhookEvents: ['test-created'],
    });
    expect((await webhookApi('POST', '/registration/validationEvents')).status).toBe(200);
    expect((await webhookApi('POST', '/registration/validationEvents')).status).toBe(200);
    const third = await webhookApi('POST', '/registration/validationEvents');
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('signs deliveries with RSA-SHA256 by a Microsoft-named certificate fetched from x-ms-certificate-url', async () => {
    await register();
    const referral = await createReferral();
    const event = await receiver.first('referral-created');
    expect(event.signatureValid).toBe(true);
    expect(event.certificateSubject).toMatch(/CN=pcnotifications-dispatch\.microsoft\.com/);
    expect(event.headers['x-ms-certificate-url']).toBe(
      `${pc.url}/cert/pcnotifications-dispatch.microsoft.com.cer`,
    );
    expect(event.headers['x-ms-signature-algorithm']).toBe('rsa-sha256');
    expect(event.headers['content-type']).toBe('application/json');
    expect(event.headers.authorization).toMatch(/^Signature [A-Za-z0-9+/]+=*$/);
    expect(event.body).toMatchObject({
      EventName: 'referral-created',
      ResourceUri: `${pc.url}/engagements/v1/referrals/${String(referral.id)}`,
      ResourceName: 'referral',
      AuditUri: null,
    });
    // A tampered body must not verify against the same signature: the check is real.
    const tampered = Buffer.concat([event.rawBody, Buffer.from(' ')]);
    expect((await verifyDelivery(event.headers, tampered)).signatureValid).toBe(false);
  });

  it('stamps ResourceChangeUtcDate with the time the referral changed (its updatedDateTime)', async () => {
    await register();
    const referral = await createReferral();
    const event = await receiver.first('referral-created');
    const changedAt = Date.parse(String((event.body as Json).ResourceChangeUtcDate));
    // A receiver compares this with the updatedDateTime it last saw to spot its own echoes.
    expect(changedAt).toBe(Date.parse(String(referral.updatedDateTime)));
  });

  it('fires referral events for partner PATCHes and Microsoft-side actions, related events within an engagement', async () => {
    await register();
    const referral = await createReferral();
    await pc.api('PATCH', `/v1.0/engagements/referrals/${String(referral.id)}`, {
      token: referralsToken,
      body: [{ op: 'replace', path: '/details/notes', value: 'changed' }],
    });
    const incoming = (await (
      await pc.control('POST', '/microsoft/referrals', {
        ...referralBody({ engagementId: referral.engagementId }),
      })
    ).json()) as Json;
    await pc.control('POST', `/microsoft/referrals/${String(incoming.id)}`, {
      status: 'Active',
      substatus: 'Accepted',
    });
    await waitFor(() => (receiver.events.length >= 6 ? true : undefined), 5_000, 'six events');
    const seen = receiver.events
      .map((e) => `${String(e.body.EventName)} ${String(e.body.ResourceUri).split('/').pop()}`)
      .sort();
    expect(seen).toEqual(
      [
        `referral-created ${String(referral.id)}`,
        `referral-updated ${String(referral.id)}`,
        `referral-created ${String(incoming.id)}`,
        `related-referral-created ${String(incoming.id)}`,
        `referral-updated ${String(incoming.id)}`,
        `related-referral-updated ${String(incoming.id)}`,
      ].sort(),
    );
    expect(receiver.events.every((e) => e.signatureValid)).toBe(true);
  });

  it('fires referral-updated when an unanswered incoming referral expires after 14 days', async () => {
    await register(['referral-updated']);
    const incoming = (await (
      await pc.control('POST', '/microsoft/referrals', referralBody())
    ).json()) as Json;
    await pc.control('POST', '/clock', { advanceMs: 14 * 24 * 60 * 60 * 1000 });
    const event = await receiver.first('referral-updated');
    expect(event.body.ResourceUri).toBe(
      `${pc.url}/engagements/v1/referrals/${String(incoming.id)}`,
    );
    const state = ((await (await pc.control('GET', '/referrals')).json()) as { value: Json[] })
      .value[0];
    expect(state).toMatchObject({ status: 'Closed', substatus: 'Expired' });
  });

  it('sends only the events the registration names', async () => {
    await register(['referral-updated']);
    const referral = await createReferral();
    await pc.control('POST', `/microsoft/referrals/${String(referral.id)}`, {
      details: { notes: 'from Microsoft' },
    });
    await receiver.first('referral-updated');
    expect(receiver.named('referral-created')).toHaveLength(0);
  });

  it('retries a non-2xx answer on the schedule and gives up after it', async () => {
    await register();
    receiver.script.push(500, 503);
    await createReferral();
    await waitFor(() => (receiver.events.length === 3 ? true : undefined), 5_000, 'three attempts');
    const [log] = await deliveries();
    expect(log).toMatchObject({
      state: 'succeeded',
      attempts: [{ status: 500 }, { status: 503 }, { status: 200 }],
    });

    receiver.script.push(500, 500, 500);
    await createReferral();
    const failed = await waitFor(
      async () => (await deliveries()).find((d) => d.state === 'failed'),
      5_000,
      'give up',
    );
    expect(failed.attempts).toHaveLength(3);
    const stats = (await (await pc.control('GET', '/stats')).json()) as { deliveries: Json };
    expect(stats.deliveries).toMatchObject({ attempted: 6, succeeded: 1, failed: 5, gaveUp: 1 });
  });

  it('fault: drop loses one delivery for good', async () => {
    await register();
    await pc.control('POST', '/faults', { webhook: { drop: true }, times: 1 });
    await createReferral();
    const second = await createReferral();
    const event = await waitFor(() => receiver.events[0], 5_000, 'second delivery');
    expect(event.body.ResourceUri).toMatch(String(second.id));
    expect((await deliveries()).map((d) => d.state)).toEqual(['dropped', 'succeeded']);
    expect(receiver.events).toHaveLength(1);
  });

  it('fault: duplicate sends several identical signed copies', async () => {
    await register();
    await pc.control('POST', '/faults', { webhook: { duplicate: 3 }, times: 1 });
    await createReferral();
    await waitFor(() => (receiver.events.length === 3 ? true : undefined), 5_000, 'three copies');
    const bodies = new Set(receiver.events.map((e) => e.rawBody.toString()));
    expect(bodies.size).toBe(1);
    expect(receiver.events.every((e) => e.signatureValid)).toBe(true);
  });

  it('fault: delayMs holds a delivery back', async () => {
    await register();
    await pc.control('POST', '/faults', {
      webhook: { delayMs: 400, event: 'referral-created' },
      times: 1,
    });
    const started = Date.now();
    await createReferral();
    await waitFor(() => receiver.events[0], 5_000, 'delayed delivery');
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
  });

  it('fault: reorder delivers an event after the one that follows it', async () => {
    await register();
    await pc.control('POST', '/faults', { webhook: { reorder: true }, times: 1 });
    const referral = await createReferral();
    expect((await deliveries())[0]?.state).toBe('held');
    await pc.control('POST', `/microsoft/referrals/${String(referral.id)}`, {
      details: { notes: 'later change' },
    });
    await waitFor(() => (receiver.events.length === 2 ? true : undefined), 5_000, 'two deliveries');
    expect(receiver.events.map((e) => e.body.EventName)).toEqual([
      'referral-updated',
      'referral-created',
    ]);
  });

  it('rejects malformed webhook fault rules', async () => {
    expect((await pc.control('POST', '/faults', { webhook: { explode: true } })).status).toBe(400);
    expect((await pc.control('POST', '/faults', { webhook: {} })).status).toBe(400);
    expect(
      (await pc.control('POST', '/faults', { webhook: { drop: true }, respond: { status: 500 } }))
        .status,
    ).toBe(400);
  });

  it('puts the signature in x-ms-signature when the registration asks for it', async () => {
    await webhookApi('POST', '/registration', {
      WebhookUrl: receiver.url,
      WebhookEvents: ['referral-created'],
      SignatureTokenToMsSignatureHeader: true,
    });
    await createReferral();
    const event = await waitFor(() => receiver.events[0], 5_000, 'delivery');
    expect(event.headers.authorization).toBeUndefined();
    expect(event.headers['x-ms-signature']).toBeDefined();
    expect(event.signatureValid).toBe(true);
  });
});
