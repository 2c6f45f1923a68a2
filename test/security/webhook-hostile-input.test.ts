/**
 * Issue 7, hostile input at `POST /webhooks/partner-center` of the real bridge process (`cosell
 * run` against both emulators). Each hostile delivery gets a deliberate status code, leaves a log
 * line that says why without quoting secrets or the signature, and changes nothing: the bridge's
 * store, Partner Center's referrals and the calls made to either emulator are the same before and
 * after. The unit tests of the verifier (bridge/test/webhook) prove each check in isolation; this
 * suite proves the assembled process behaves the same on the wire.
 *
 * Deliveries are signed the documented way (RSA-SHA256 over the raw body, certificate URL header)
 * with certificates made here and served from loopback file hosts: 127.0.0.1 is on the bridge's
 * PARTNER_CENTER_CERTIFICATE_HOSTS (the emulator's host), 127.0.0.2 is not.
 */
import { randomBytes } from 'node:crypto';
import {
  makeCertificate,
  microsoftSigningForFile,
  referralEvent,
  signedHeaders,
  startFileHost,
  type FileHost,
} from '../../bridge/test/webhook/signing';
import { EMULATOR_CREDENTIALS, startStack, waitFor, waitForValue, type Stack } from '../support';
import { isIdle, worldState, type WorldState } from './world-state';

const SECRETS = [
  EMULATOR_CREDENTIALS.salesforceClientSecret,
  EMULATOR_CREDENTIALS.partnerCenterClientSecret,
  EMULATOR_CREDENTIALS.partnerCenterPassword,
];

describe('hostile input at POST /webhooks/partner-center (bridge process)', () => {
  let stack: Stack;
  /** Microsoft's certificate on 127.0.0.1, a host on the bridge's PARTNER_CENTER_CERTIFICATE_HOSTS. */
  const trusted = microsoftSigningForFile({ address: '127.0.0.1' });
  let foreignHost: FileHost;
  let knownReferralId: string;

  beforeAll(async () => {
    [stack, foreignHost] = await Promise.all([startStack(), startFileHost('127.0.0.2')]);
    // One real referral, known to the bridge, so deliveries name something that exists.
    // With a co-sell-ready solution, so the opportunity it becomes is complete (R17) and the
    // bridge goes idle instead of reporting it every sweep.
    const solution = await stack.seed.solution();
    const body = stack.seed.microsoftReferralBody();
    body.details = {
      ...(body.details as Record<string, unknown>),
      requirements: { solutions: [{ id: solution.solutionId }] },
    };
    const created = await stack.partnerCenter.control.microsoftCreate(body);
    knownReferralId = String(created.id);
    await waitForValue(
      () => worldState(stack),
      (state) => (state.store.referral_links ?? []).length > 0 && isIdle(state),
      { timeoutMs: 30_000, description: 'the bridge to apply the Microsoft referral and go idle' },
    );
  }, 120_000);

  afterAll(async () => {
    await Promise.all([stack?.dispose(), foreignHost?.stop()]);
  });

  function eventFor(overrides: Record<string, unknown> = {}): Buffer {
    return referralEvent({
      ResourceUri: `${stack.partnerCenter.url}/engagements/v1/referrals/${knownReferralId}`,
      ResourceChangeUtcDate: new Date(Date.now() + 60_000).toISOString(),
      ...overrides,
    });
  }

  async function post(body: Buffer | string, headers: Record<string, string>) {
    const res = await fetch(`${stack.bridge.url}/webhooks/partner-center`, {
      method: 'POST',
      headers,
      body,
    });
    return { status: res.status, text: await res.text() };
  }

  /**
   * Sends one delivery and checks the three promises: the status, a log line saying why (free of
   * secrets and of the signature) and no state change once the bridge had time to act on it.
   */
  async function expectHandled(
    delivery: { body: Buffer | string; headers: Record<string, string> },
    expected: { status: number; logMessage: RegExp },
  ): Promise<{ log: Record<string, unknown>; before: WorldState }> {
    const before = await waitForValue(() => worldState(stack), isIdle, {
      timeoutMs: 30_000,
      description: 'the bridge to be idle before the delivery',
    });
    const logsBefore = stack.bridge.logs().length;
    const res = await post(delivery.body, delivery.headers);
    expect({ status: res.status, body: res.text }).toEqual({
      status: expected.status,
      body: expect.any(String),
    });
    const log = await waitFor(
      () =>
        stack.bridge
          .logs()
          .slice(logsBefore)
          .find((l) => expected.logMessage.test(String(l.msg))),
      { timeoutMs: 5_000, description: `a log line matching ${expected.logMessage}` },
    );
    const logText = JSON.stringify(stack.bridge.logs().slice(logsBefore));
    for (const secret of [...SECRETS, delivery.headers.authorization ?? '\u0000']) {
      expect(logText).not.toContain(secret.replace(/^Signature /, ''));
    }
    // No wait needed: the bridge persists before it answers, so anything this delivery made
    // durable is in the store by the time the answer arrived (and a fetch needs an inbox row).
    expect(await worldState(stack)).toEqual(before);
    return { log, before };
  }

  it('missing signature → 401', async () => {
    const body = eventFor();
    const headers = signedHeaders(body, trusted.certUrl, trusted.microsoft.privateKeyPem);
    delete headers.authorization;
    const { log } = await expectHandled(
      { body, headers },
      { status: 401, logMessage: /webhook rejected/ },
    );
    expect(log).toMatchObject({ status: 401 });
  });

  it('forged signature (a key that is not the certificate owner) → 401', async () => {
    const forger = await makeCertificate();
    const body = eventFor();
    const headers = signedHeaders(body, trusted.certUrl, forger.privateKeyPem);
    await expectHandled({ body, headers }, { status: 401, logMessage: /webhook rejected/ });
  });

  it('signature made for another body (signed bytes changed in transit) → 401', async () => {
    const signedBody = eventFor();
    const headers = signedHeaders(signedBody, trusted.certUrl, trusted.microsoft.privateKeyPem);
    const tampered = eventFor({ ResourceChangeUtcDate: '2031-01-01T00:00:00.0000000+00:00' });
    await expectHandled(
      { body: tampered, headers },
      { status: 401, logMessage: /webhook rejected/ },
    );
  });

  it('expired signing certificate → 401', async () => {
    const expired = await makeCertificate({
      notBefore: new Date(Date.now() - 60 * 86_400_000),
      notAfter: new Date(Date.now() - 86_400_000),
    });
    const url = trusted.host.serve('/cert/expired.cer', expired.certPem);
    const body = eventFor();
    const { log } = await expectHandled(
      { body, headers: signedHeaders(body, url, expired.privateKeyPem) },
      { status: 401, logMessage: /webhook rejected/ },
    );
    expect(String(log.reason)).toMatch(/expired|valid/i);
  });

  it('certificate URL on a host that is not allow-listed → 401 and NO request reaches it (SSRF)', async () => {
    const url = foreignHost.serve('/cert/pc.cer', trusted.microsoft.certPem);
    const body = eventFor();
    const { log } = await expectHandled(
      { body, headers: signedHeaders(body, url, trusted.microsoft.privateKeyPem) },
      { status: 401, logMessage: /webhook rejected/ },
    );
    expect(String(log.reason)).toMatch(/host|allow/i);
    expect(foreignHost.requests).toEqual([]);
  });

  it('oversized body → 413 before anything else is looked at', async () => {
    const body = Buffer.concat([eventFor(), Buffer.from(' '.repeat(70 * 1024))]);
    await expectHandled(
      { body, headers: signedHeaders(body, trusted.certUrl, trusted.microsoft.privateKeyPem) },
      { status: 413, logMessage: /webhook rejected/ },
    );
  });

  it('wrong content type → 415', async () => {
    const body = eventFor();
    const headers = {
      ...signedHeaders(body, trusted.certUrl, trusted.microsoft.privateKeyPem),
      'content-type': 'text/plain',
    };
    await expectHandled({ body, headers }, { status: 415, logMessage: /webhook rejected/ });
  });

  it('malformed JSON, correctly signed → 400 (parsed only after the signature checks)', async () => {
    const body = Buffer.from('{"EventName":"referral-updated","ResourceUri":');
    await expectHandled(
      { body, headers: signedHeaders(body, trusted.certUrl, trusted.microsoft.privateKeyPem) },
      { status: 400, logMessage: /webhook rejected/ },
    );
  });

  it('well-formed JSON that is not an event (schema) → 400', async () => {
    const body = Buffer.from(JSON.stringify({ EventName: 42, ResourceUri: ['x'] }));
    await expectHandled(
      { body, headers: signedHeaders(body, trusted.certUrl, trusted.microsoft.privateKeyPem) },
      { status: 400, logMessage: /webhook rejected/ },
    );
  });

  it('unknown event name, correctly signed → 202 ignored, nothing stored or fetched', async () => {
    const body = eventFor({ EventName: 'referral-deleted' });
    await expectHandled(
      { body, headers: signedHeaders(body, trusted.certUrl, trusted.microsoft.privateKeyPem) },
      { status: 202, logMessage: /ignored/ },
    );
  });

  it('R18: a replayed genuine delivery → 200 once more, and it is applied only once', async () => {
    // A genuine delivery: Microsoft changes the referral; we re-sign the emulator's exact body.
    const deliveriesBefore = (await stack.partnerCenter.control.deliveries()).length;
    await stack.partnerCenter.control.microsoftUpdate(knownReferralId, {
      details: { notes: `replay check ${randomBytes(4).toString('hex')}` },
    });
    const delivery = await waitFor(
      async () =>
        (await stack.partnerCenter.control.deliveries())
          .slice(deliveriesBefore)
          .find((d) => d.state === 'succeeded' && d.body.includes(knownReferralId)),
      { timeoutMs: 15_000, description: 'the genuine referral-updated delivery' },
    );
    await waitForValue(() => worldState(stack), isIdle, {
      timeoutMs: 30_000,
      description: 'the genuine delivery to be applied',
    });
    const body = Buffer.from(delivery.body);
    const headers = signedHeaders(body, trusted.certUrl, trusted.microsoft.privateKeyPem);
    for (let replay = 0; replay < 3; replay += 1) {
      await expectHandled({ body, headers }, { status: 200, logMessage: /webhook event stored/ });
    }
  }, 60_000);
});
