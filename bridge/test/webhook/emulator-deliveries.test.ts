import { harnessForFile } from '../partner-center/emulator-harness';
import { receiverForFile, startReceiver, waitFor } from './receiver';

/** Partner Center emulator → signed deliveries → the bridge's real receiver, over loopback. */
describe('webhook deliveries from the Partner Center emulator', () => {
  const h = harnessForFile();
  const receiver = receiverForFile(h);

  beforeEach(async () => {
    receiver.stored.length = 0;
    receiver.onEvent = async (event) => {
      receiver.stored.push(event);
    };
    await h.webhooks().register(receiver.webhookUrl);
  });

  interface Delivery {
    eventName: string;
    state: string;
    attempts: Array<{ status?: number }>;
  }
  const deliveries = async () =>
    ((await h.control('GET', '/deliveries')) as { value: Delivery[] }).value;

  const microsoftCreatesReferral = async () =>
    (await h.control('POST', '/microsoft/referrals', {
      name: 'Fabrikam expansion',
      customerProfile: { name: 'Fabrikam', address: { country: 'SE' } },
      details: { dealValue: 120000, currency: 'SEK', closingDateTime: '2027-01-31T00:00:00Z' },
    })) as { id: string };

  it('R18: a referral Microsoft creates arrives verified, with its referral id, and is stored', async () => {
    const referral = await microsoftCreatesReferral();
    await waitFor(() => receiver.stored.length > 0, 5_000, 'the referral-created delivery');
    expect(receiver.stored[0]).toMatchObject({
      EventName: 'referral-created',
      kind: 'referral',
      referralId: referral.id,
    });
    await waitFor(async () => (await deliveries()).every((d) => d.state === 'succeeded'));
    // The allow-listed certificate was fetched from the emulator (the contrast to the SSRF test).
    expect(Object.keys(await h.stats()).some((route) => route.includes('/cert/'))).toBe(true);
  });

  it('R18: duplicated deliveries reach the inbox with one deliveryKey, so they are harmless', async () => {
    await h.control('POST', '/faults', { webhook: { duplicate: 3 }, times: 1 });
    await microsoftCreatesReferral();
    await waitFor(() => receiver.stored.length === 3, 5_000, 'three copies');
    expect(new Set(receiver.stored.map((e) => e.deliveryKey)).size).toBe(1);
  });

  it('R18: an event that could not be stored is answered 503 and arrives again on retry', async () => {
    let failures = 1;
    receiver.onEvent = async (event) => {
      if (failures-- > 0) throw new Error('inbox unavailable');
      receiver.stored.push(event);
    };
    const referral = await microsoftCreatesReferral();
    await waitFor(() => receiver.stored.length === 1, 5_000, 'the retried delivery');
    expect(receiver.stored[0]!.referralId).toBe(referral.id);
    const [delivery] = await deliveries();
    expect(delivery!.attempts.map((a) => a.status)).toEqual([503, 200]);
  });

  it('refuses deliveries whose certificate host is not allow-listed, without fetching it', async () => {
    const strict = await startReceiver({
      allowedCertificateHosts: ['3psostorageacct.blob.core.windows.net'],
    });
    try {
      await h.webhooks().register(strict.webhookUrl);
      await microsoftCreatesReferral();
      await waitFor(async () => (await deliveries()).some((d) => d.attempts.length > 0));
      const [delivery] = await deliveries();
      expect(delivery!.attempts[0]!.status).toBe(401);
      expect(strict.stored).toEqual([]);
      const stats = await h.stats();
      expect(Object.keys(stats).filter((route) => route.includes('/cert/'))).toEqual([]);
    } finally {
      await strict.stop();
    }
  });
});
