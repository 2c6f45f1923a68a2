import { REFERRAL_EVENTS, TEST_EVENT } from '../../src/partner-center';
import { receiverForFile, startReceiver } from '../webhook/receiver';
import { harnessForFile } from './emulator-harness';

describe('createWebhookRegistrationClient (against the emulator)', () => {
  const h = harnessForFile();
  const receiver = receiverForFile(h);

  it('reads no registration as null and lists the events Partner Center can send', async () => {
    const client = h.webhooks();
    await expect(client.getRegistration()).resolves.toBeNull();
    const events = await client.listEvents();
    expect(events).toEqual(expect.arrayContaining([...REFERRAL_EVENTS, TEST_EVENT]));
  });

  it('R8: registers all four referral events and overwrites an existing registration (POST, 409, PUT)', async () => {
    const client = h.webhooks();
    const first = await client.register('https://old.example/webhooks/partner-center');
    expect(first.webhookEvents).toEqual([...REFERRAL_EVENTS, TEST_EVENT]);
    h.calls.length = 0;
    const second = await client.register(receiver.webhookUrl);
    expect(second.webhookUrl).toBe(receiver.webhookUrl);
    expect(
      h.calls.filter((c) => c.api === 'webhooks').map((c) => `${c.operation}:${c.status}`),
    ).toEqual(['register webhook:409', 'replace webhook registration:200']);
    await expect(client.getRegistration()).resolves.toMatchObject({
      webhookUrl: receiver.webhookUrl,
    });
  });

  it('R8: proves the registration with a signed test event round-trip to the bridge receiver', async () => {
    const client = h.webhooks();
    await client.register(receiver.webhookUrl);
    const result = await client.verifyRegistration(receiver.webhookUrl, {
      timeoutMs: 5_000,
      pollIntervalMs: 50,
    });
    expect(result).toMatchObject({ ok: true, responseCode: 'OK' });
    expect(result.message).toContain(receiver.webhookUrl);
  });

  it('R8: reports a registration that points elsewhere, or lacks events, without sending a test event', async () => {
    const client = h.webhooks();
    await expect(client.verifyRegistration(receiver.webhookUrl)).resolves.toMatchObject({
      ok: false,
      message: expect.stringMatching(/No webhook is registered/),
    });
    await client.register('https://elsewhere.example/hook');
    await expect(client.verifyRegistration(receiver.webhookUrl)).resolves.toMatchObject({
      ok: false,
      message: expect.stringMatching(/registered for https:\/\/elsewhere.example\/hook/),
    });
    await client.register(receiver.webhookUrl, ['referral-created', TEST_EVENT]);
    await expect(client.verifyRegistration(receiver.webhookUrl)).resolves.toMatchObject({
      ok: false,
      message: expect.stringMatching(/lacks referral-updated/),
    });
    expect(h.calls.some((c) => c.operation === 'send webhook validation event')).toBe(false);
  });

  it('R8: reports a failed round-trip when the bridge rejects the delivery', async () => {
    const strict = await startReceiver({
      allowedCertificateHosts: ['3psostorageacct.blob.core.windows.net'],
    });
    try {
      const client = h.webhooks();
      await client.register(strict.webhookUrl);
      const result = await client.verifyRegistration(strict.webhookUrl, {
        timeoutMs: 5_000,
        pollIntervalMs: 50,
      });
      expect(result).toMatchObject({ ok: false, responseCode: 'Unauthorized' });
    } finally {
      await strict.stop();
    }
  });
});
