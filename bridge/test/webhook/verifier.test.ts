import { X509Certificate } from 'node:crypto';
import fc from 'fast-check';
import pino from 'pino';
import {
  createWebhookVerifier,
  WebhookRejectedError,
  type WebhookVerifier,
} from '../../src/webhook';
import {
  captureLogger,
  makeCertificate,
  referralEvent,
  signBody,
  signedHeaders,
  startFileHost,
  type FileHost,
  microsoftSigningForFile,
} from './signing';

const silent = pino({ level: 'silent' });

async function rejection(promise: Promise<unknown>): Promise<WebhookRejectedError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof WebhookRejectedError) return error;
    throw error;
  }
  throw new Error('expected the delivery to be rejected');
}

describe('createWebhookVerifier', () => {
  const signing = microsoftSigningForFile({
    address: '127.0.0.1',
    path: '/cert/pcnotifications-dispatch.microsoft.com.cer',
  });
  let otherHost: FileHost;
  let verifier: WebhookVerifier;

  beforeAll(async () => {
    otherHost = await startFileHost('127.0.0.2');
  });

  afterAll(async () => {
    await otherHost.stop();
  });

  beforeEach(() => {
    otherHost.requests.length = 0;
    verifier = createWebhookVerifier({
      allowedCertificateHosts: [signing.host.host],
      logger: silent,
    });
  });

  it('R12: accepts a correctly signed referral event and takes the referral id from ResourceUri', async () => {
    const body = referralEvent();
    const event = await verifier.verify({
      headers: signedHeaders(body, signing.certUrl, signing.microsoft.privateKeyPem),
      rawBody: body,
    });
    expect(event).toMatchObject({
      EventName: 'referral-updated',
      kind: 'referral',
      referralId: '8f3c2b1a-0d5e-4c6f-9a7b-1e2d3c4b5a69',
      ResourceName: 'referral',
    });
    expect(event.deliveryKey).toBe(
      'referral-updated|8f3c2b1a-0d5e-4c6f-9a7b-1e2d3c4b5a69|2026-11-30T08:05:39.5485487+00:00',
    );
  });

  it('accepts the signature in x-ms-signature (signatureTokenToMsSignatureHeader)', async () => {
    const body = referralEvent({ EventName: 'referral-created' });
    const { authorization: _unused, ...headers } = signedHeaders(
      body,
      signing.certUrl,
      signing.microsoft.privateKeyPem,
    );
    const event = await verifier.verify({
      headers: { ...headers, 'x-ms-signature': signBody(body, signing.microsoft.privateKeyPem) },
      rawBody: body,
    });
    expect(event.kind).toBe('referral');
  });

  it('verifies the raw bytes, not a re-serialisation: reformatted but equal JSON is rejected', async () => {
    const body = referralEvent();
    const headers = signedHeaders(body, signing.certUrl, signing.microsoft.privateKeyPem);
    const reformatted = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 2));
    const error = await rejection(verifier.verify({ headers, rawBody: reformatted }));
    expect(error.status).toBe(401);
  });

  it('rejects every single-byte change to a signed body (property)', async () => {
    const body = referralEvent();
    const headers = signedHeaders(body, signing.certUrl, signing.microsoft.privateKeyPem);
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: body.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (index, xor) => {
          const tampered = Buffer.from(body);
          tampered[index] = tampered[index]! ^ xor;
          const error = await rejection(verifier.verify({ headers, rawBody: tampered }));
          expect(error.status).toBe(401);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('rejects a forged signature (another key, same certificate URL) with 401 before parsing the body', async () => {
    const forger = await makeCertificate();
    const notJson = Buffer.from('{not json');
    const error = await rejection(
      verifier.verify({
        headers: signedHeaders(notJson, signing.certUrl, forger.privateKeyPem),
        rawBody: notJson,
      }),
    );
    expect(error.status).toBe(401);
    expect(error.reason).toMatch(/signature does not match/);
  });

  it('rejects a certificate that has expired', async () => {
    const expired = await makeCertificate({
      notBefore: new Date(Date.now() - 10 * 86_400_000),
      notAfter: new Date(Date.now() - 86_400_000),
    });
    const url = signing.host.serve('/cert/expired.cer', expired.certPem);
    const body = referralEvent();
    const error = await rejection(
      verifier.verify({ headers: signedHeaders(body, url, expired.privateKeyPem), rawBody: body }),
    );
    expect(error.status).toBe(401);
    expect(error.reason).toMatch(/expired/);
  });

  it('rejects a certificate that is not valid yet', async () => {
    const future = await makeCertificate({
      notBefore: new Date(Date.now() + 2 * 86_400_000),
      notAfter: new Date(Date.now() + 20 * 86_400_000),
    });
    const url = signing.host.serve('/cert/future.cer', future.certPem);
    const body = referralEvent();
    const error = await rejection(
      verifier.verify({ headers: signedHeaders(body, url, future.privateKeyPem), rawBody: body }),
    );
    expect(error.reason).toMatch(/not valid before/);
  });

  it('rejects a certificate whose organisation is not Microsoft Corporation', async () => {
    const contoso = await makeCertificate({ organisation: 'Contoso Ltd' });
    const url = signing.host.serve('/cert/contoso.cer', contoso.certPem);
    const body = referralEvent();
    const error = await rejection(
      verifier.verify({ headers: signedHeaders(body, url, contoso.privateKeyPem), rawBody: body }),
    );
    expect(error.status).toBe(401);
    expect(error.reason).toMatch(/Contoso Ltd, not Microsoft Corporation/);
  });

  it('never contacts a certificate host that is not allow-listed (SSRF)', async () => {
    const foreignUrl = otherHost.serve('/cert/pc.cer', signing.microsoft.certPem);
    const body = referralEvent();
    const error = await rejection(
      verifier.verify({
        headers: signedHeaders(body, foreignUrl, signing.microsoft.privateKeyPem),
        rawBody: body,
      }),
    );
    expect(error.status).toBe(401);
    expect(error.reason).toMatch(/not in PARTNER_CENTER_CERTIFICATE_HOSTS/);
    expect(otherHost.requests).toEqual([]);
  });

  it('treats host:port allow-list entries as exact: another port on the same host is refused', async () => {
    const samePortless = new URL(signing.certUrl);
    samePortless.port = String(Number(samePortless.port) + 1);
    const body = referralEvent();
    const error = await rejection(
      verifier.verify({
        headers: signedHeaders(body, samePortless.href, signing.microsoft.privateKeyPem),
        rawBody: body,
      }),
    );
    expect(error.reason).toMatch(/not in PARTNER_CENTER_CERTIFICATE_HOSTS/);
  });

  it('requires https for non-loopback certificate hosts and makes no request', async () => {
    const fetchSpy = jest.fn<ReturnType<typeof fetch>, Parameters<typeof fetch>>();
    const strict = createWebhookVerifier({
      allowedCertificateHosts: ['3psostorageacct.blob.core.windows.net'],
      logger: silent,
      fetch: fetchSpy,
    });
    const body = referralEvent();
    const error = await rejection(
      strict.verify({
        headers: signedHeaders(
          body,
          'http://3psostorageacct.blob.core.windows.net/cert/pcnotifications-dispatch.microsoft.com.cer',
          signing.microsoft.privateKeyPem,
        ),
        rawBody: body,
      }),
    );
    expect(error.reason).toMatch(/must use https/);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it.each([
    ['no signature header', { authorization: undefined }, /no signature/],
    ['a non-base64 signature', { authorization: 'Signature not*base64!' }, /not a base64/],
    [
      'no algorithm header',
      { 'x-ms-signature-algorithm': undefined },
      /no x-ms-signature-algorithm/,
    ],
    [
      'another algorithm',
      { 'x-ms-signature-algorithm': 'hmac-sha1' },
      /unsupported signature algorithm/,
    ],
    ['no certificate URL', { 'x-ms-certificate-url': undefined }, /no x-ms-certificate-url/],
    [
      'a certificate URL with credentials',
      { 'x-ms-certificate-url': 'http://u:p@127.0.0.1/c' },
      /credentials/,
    ],
  ])('rejects a delivery with %s with 401 and no download', async (_name, change, reason) => {
    const body = referralEvent();
    const headers = {
      ...signedHeaders(body, signing.certUrl, signing.microsoft.privateKeyPem),
      ...change,
    };
    const error = await rejection(verifier.verify({ headers, rawBody: body }));
    expect(error.status).toBe(401);
    expect(error.reason).toMatch(reason);
    expect(signing.host.requests).toEqual([]);
  });

  it('rejects an oversized body with 413 before anything else', async () => {
    const small = createWebhookVerifier({
      allowedCertificateHosts: [signing.host.host],
      logger: silent,
      maxBodyBytes: 200,
    });
    const body = referralEvent({ AuditUri: 'x'.repeat(300) });
    const error = await rejection(
      small.verify({
        headers: signedHeaders(body, signing.certUrl, signing.microsoft.privateKeyPem),
        rawBody: body,
      }),
    );
    expect(error.status).toBe(413);
    expect(signing.host.requests).toEqual([]);
  });

  it('rejects a body that is not application/json with 415', async () => {
    const body = referralEvent();
    const headers = {
      ...signedHeaders(body, signing.certUrl, signing.microsoft.privateKeyPem),
      'content-type': 'text/plain',
    };
    expect((await rejection(verifier.verify({ headers, rawBody: body }))).status).toBe(415);
  });

  it.each([
    ['invalid JSON', Buffer.from('{"EventName":')],
    ['JSON that is not an event', Buffer.from('{"hello":"world"}')],
    [
      'a referral event whose ResourceUri has no id',
      referralEvent({ ResourceUri: 'https://api.partnercenter.microsoft.com/' }),
    ],
  ])('rejects a correctly signed delivery of %s with 400', async (_name, body) => {
    const error = await rejection(
      verifier.verify({
        headers: signedHeaders(body, signing.certUrl, signing.microsoft.privateKeyPem),
        rawBody: body,
      }),
    );
    expect(error.status).toBe(400);
  });

  it('classifies test-created as a test event and unknown names as unknown', async () => {
    const test = referralEvent({
      EventName: 'test-created',
      ResourceUri: 'https://api.partnercenter.microsoft.com/webhooks/v1/test',
    });
    const other = referralEvent({ EventName: 'subscription-updated' });
    expect(
      (
        await verifier.verify({
          headers: signedHeaders(test, signing.certUrl, signing.microsoft.privateKeyPem),
          rawBody: test,
        })
      ).kind,
    ).toBe('test');
    expect(
      (
        await verifier.verify({
          headers: signedHeaders(other, signing.certUrl, signing.microsoft.privateKeyPem),
          rawBody: other,
        })
      ).kind,
    ).toBe('unknown');
  });

  it('downloads the certificate once for many concurrent and later deliveries', async () => {
    const body = referralEvent();
    const headers = signedHeaders(body, signing.certUrl, signing.microsoft.privateKeyPem);
    await Promise.all(Array.from({ length: 5 }, () => verifier.verify({ headers, rawBody: body })));
    await verifier.verify({ headers, rawBody: body });
    expect(signing.host.requests).toEqual(['/cert/pcnotifications-dispatch.microsoft.com.cer']);
  });

  it('gives a replayed delivery the same deliveryKey so the inbox can drop it', async () => {
    const body = referralEvent();
    const headers = signedHeaders(body, signing.certUrl, signing.microsoft.privateKeyPem);
    const first = await verifier.verify({ headers, rawBody: body });
    const again = await verifier.verify({ headers, rawBody: Buffer.from(body) });
    const other = referralEvent({ ResourceChangeUtcDate: '2026-11-30T09:00:00Z' });
    const third = await verifier.verify({
      headers: signedHeaders(other, signing.certUrl, signing.microsoft.privateKeyPem),
      rawBody: other,
    });
    expect(again.deliveryKey).toBe(first.deliveryKey);
    expect(third.deliveryKey).not.toBe(first.deliveryKey);
  });

  it('picks up a certificate rotated behind the same URL once the cached one is old', async () => {
    let clock = new Date();
    const rotating = createWebhookVerifier({
      allowedCertificateHosts: [signing.host.host],
      logger: silent,
      now: () => clock,
    });
    const url = signing.host.serve('/cert/rotating.cer', signing.microsoft.certPem);
    const body = referralEvent();
    await rotating.verify({
      headers: signedHeaders(body, url, signing.microsoft.privateKeyPem),
      rawBody: body,
    });

    const successor = await makeCertificate();
    signing.host.serve('/cert/rotating.cer', successor.certPem);
    const signedByNew = signedHeaders(body, url, successor.privateKeyPem);
    // A young cache is trusted: a bad signature must not trigger downloads.
    expect((await rejection(rotating.verify({ headers: signedByNew, rawBody: body }))).status).toBe(
      401,
    );
    clock = new Date(clock.getTime() + 5 * 60_000);
    await expect(rotating.verify({ headers: signedByNew, rawBody: body })).resolves.toMatchObject({
      kind: 'referral',
    });
    expect(signing.host.requests.filter((p) => p === '/cert/rotating.cer')).toHaveLength(2);
  });

  it('reads DER certificates as well as PEM', async () => {
    const der = new X509Certificate(signing.microsoft.certPem).raw;
    const url = signing.host.serve('/cert/der.cer', der);
    const body = referralEvent();
    await expect(
      verifier.verify({
        headers: signedHeaders(body, url, signing.microsoft.privateKeyPem),
        rawBody: body,
      }),
    ).resolves.toMatchObject({ kind: 'referral' });
  });

  it('answers 401 when the certificate URL serves no certificate, 503 when the host is unreachable', async () => {
    const body = referralEvent();
    const missing = await rejection(
      verifier.verify({
        headers: signedHeaders(
          body,
          `${signing.host.url}/cert/none.cer`,
          signing.microsoft.privateKeyPem,
        ),
        rawBody: body,
      }),
    );
    expect(missing.status).toBe(401);
    const garbage = signing.host.serve('/cert/garbage.cer', 'hello, I am not a certificate');
    expect(
      (
        await rejection(
          verifier.verify({
            headers: signedHeaders(body, garbage, signing.microsoft.privateKeyPem),
            rawBody: body,
          }),
        )
      ).status,
    ).toBe(401);
    const huge = signing.host.serve('/cert/huge.cer', 'A'.repeat(100 * 1024));
    expect(
      (
        await rejection(
          verifier.verify({
            headers: signedHeaders(body, huge, signing.microsoft.privateKeyPem),
            rawBody: body,
          }),
        )
      ).reason,
    ).toMatch(/larger than/);

    const closed = await startFileHost('127.0.0.1');
    await closed.stop();
    const down = createWebhookVerifier({ allowedCertificateHosts: [closed.host], logger: silent });
    const unreachable = await rejection(
      down.verify({
        headers: signedHeaders(body, `${closed.url}/cert/pc.cer`, signing.microsoft.privateKeyPem),
        rawBody: body,
      }),
    );
    expect(unreachable.status).toBe(503);
  });

  it('never writes the signature into its logs', async () => {
    const { logger, text } = captureLogger();
    const logged = createWebhookVerifier({ allowedCertificateHosts: [signing.host.host], logger });
    const body = referralEvent();
    const headers = signedHeaders(body, signing.certUrl, signing.microsoft.privateKeyPem);
    await logged.verify({ headers, rawBody: body });
    expect(text()).toContain('downloaded webhook signing certificate');
    expect(text()).not.toContain(headers.authorization!.slice(10, 40));
  });
});
