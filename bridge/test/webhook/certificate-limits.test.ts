/**
 * An unsigned delivery names the certificate URL the bridge downloads before any signature can be
 * checked. Downloads are therefore cached (failures too), limited in rate and in concurrency, a
 * flood of rejections is one warning a minute, and the environment guard bounds the hosts.
 */
import express from 'express';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { ConfigError } from '../../src/errors';
import { createWebhookRouter, createWebhookVerifier, WEBHOOK_ROUTE } from '../../src/webhook';
import { MAX_REJECTION_WARNINGS_PER_INTERVAL } from '../../src/webhook/express-router';
import { createCertificateStore } from '../../src/webhook/certificate-store';
import { captureLogger, referralEvent, signedHeaders, microsoftSigningForFile } from './signing';

const silent = pino({ level: 'silent' });

describe('webhook signing certificates: bounded downloads', () => {
  const signing = microsoftSigningForFile();

  it('a known URL is downloaded once; a failing one is not tried again for a while', async () => {
    const store = createCertificateStore({ logger: silent });
    const url = new URL(`${signing.host.url}/cert/pc.cer`);
    await store.get(url);
    await store.get(url);
    const missing = new URL(`${signing.host.url}/cert/missing.cer`);
    await expect(store.get(missing)).rejects.toMatchObject({ status: 401 });
    await expect(store.get(missing)).rejects.toMatchObject({ status: 401 });
    expect(signing.host.requests).toEqual(['/cert/pc.cer', '/cert/missing.cer']);
  });

  it('unknown URLs are downloaded at a bounded rate: past the limit a delivery gets 503 and nothing is fetched', async () => {
    const store = createCertificateStore({ logger: silent, maxDownloadsPerMinute: 3 });
    const outcomes = [];
    for (let i = 0; i < 8; i += 1) {
      outcomes.push(
        await store.get(new URL(`${signing.host.url}/cert/unknown-${i}.cer`)).then(
          () => 'ok',
          (error: { status: number }) => error.status,
        ),
      );
    }
    expect(signing.host.requests).toHaveLength(3);
    expect(outcomes).toEqual([401, 401, 401, 503, 503, 503, 503, 503]);
  });

  it('concurrent downloads are bounded', async () => {
    const store = createCertificateStore({
      logger: silent,
      maxConcurrentDownloads: 2,
      maxDownloadsPerMinute: 100,
    });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        store.get(new URL(`${signing.host.url}/cert/at-once-${i}.cer`)).then(
          () => 'ok',
          (error: { status: number }) => error.status,
        ),
      ),
    );
    expect(signing.host.requests).toHaveLength(2);
    expect(results.filter((status) => status === 503)).toHaveLength(4);
  });

  it('a thousand forged deliveries are one warning, not a thousand', async () => {
    const { logger, lines } = captureLogger();
    const verifier = createWebhookVerifier({
      allowedCertificateHosts: [signing.host.host],
      logger,
    });
    const app = express();
    app.use(createWebhookRouter({ verifier, onEvent: async () => undefined, logger }));
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const body = referralEvent();
      const forged = {
        ...signedHeaders(body, `${signing.host.url}/cert/pc.cer`, signing.microsoft.privateKeyPem),
      };
      forged.authorization = `Signature ${Buffer.from('forged').toString('base64')}`;
      for (let i = 0; i < 50; i += 1) {
        const res = await fetch(`http://127.0.0.1:${port}${WEBHOOK_ROUTE}`, {
          method: 'POST',
          headers: forged,
          body,
        });
        expect(res.status).toBe(401);
      }
    } finally {
      server.closeAllConnections();
      server.close();
    }
    const warnings = lines().filter((l) => l.level === 40 && l.msg === 'webhook rejected');
    expect(warnings).toHaveLength(1);
    // The certificate itself was downloaded once for all fifty.
    expect(signing.host.requests.filter((p) => p === '/cert/pc.cer')).toHaveLength(1);
  });
});

describe('webhook rejections that quote the request', () => {
  it('fifty deliveries naming fifty certificate hosts are a few warnings, and each reason is short', async () => {
    const { logger, lines } = captureLogger();
    const verifier = createWebhookVerifier({ allowedCertificateHosts: ['127.0.0.1'], logger });
    const app = express();
    app.use(createWebhookRouter({ verifier, onEvent: async () => undefined, logger }));
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const body = referralEvent();
    const reasons: string[] = [];
    try {
      const { port } = server.address() as AddressInfo;
      for (let i = 0; i < 50; i += 1) {
        // The certificate URL is the sender's to choose: a new host each time, and a long one.
        const host = `h${i}-${'x'.repeat(60)}.${'y'.repeat(60)}.example`;
        const res = await fetch(`http://127.0.0.1:${port}${WEBHOOK_ROUTE}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Signature ${Buffer.from('unchecked').toString('base64')}`,
            'x-ms-signature-algorithm': 'rsa-sha256',
            'x-ms-certificate-url': `https://${host}/cert.cer`,
          },
          body,
        });
        expect(res.status).toBe(401);
        reasons.push(((await res.json()) as { error: string }).error);
      }
    } finally {
      server.closeAllConnections();
      server.close();
    }
    const warnings = lines().filter((l) => l.level === 40 && l.msg === 'webhook rejected');
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.length).toBeLessThanOrEqual(MAX_REJECTION_WARNINGS_PER_INTERVAL);
    // Every rejection is still logged, the rest at debug level.
    expect(lines().filter((l) => l.msg === 'webhook rejected')).toHaveLength(50);
    for (const reason of reasons) {
      expect(reason).toMatch(
        /^the certificate host h\d+-x+.*… is not in PARTNER_CENTER_CERTIFICATE_HOSTS$/,
      );
      expect(reason.length).toBeLessThanOrEqual(160);
    }
  });
});

describe('R5: the environment guard covers the certificate hosts', () => {
  const base = {
    BRIDGE_ENVIRONMENT: 'emulator',
    SALESFORCE_LOGIN_URL: 'http://127.0.0.1:1111',
    SALESFORCE_CLIENT_ID: 'id',
    SALESFORCE_CLIENT_SECRET: 'secret',
    PARTNER_CENTER_API_URL: 'http://127.0.0.1:2222',
    PARTNER_CENTER_WEBHOOK_API_URL: 'http://127.0.0.1:2222',
    PARTNER_CENTER_TOKEN_URL: 'http://127.0.0.1:2222/<tenant>/oauth2/token',
    PARTNER_CENTER_TENANT_ID: 'tenant',
    PARTNER_CENTER_CLIENT_ID: 'id',
    PARTNER_CENTER_CLIENT_SECRET: 'secret',
    PARTNER_CENTER_USERNAME: 'user@example.com',
    PARTNER_CENTER_PASSWORD: 'password',
  };

  it("emulator mode does not allow Microsoft's certificate host, by default or by hand", () => {
    expect(loadConfig(base).partnerCenter.certificateHosts).toEqual(['127.0.0.1:2222']);
    expect(() =>
      loadConfig({
        ...base,
        PARTNER_CENTER_CERTIFICATE_HOSTS: '127.0.0.1:2222,3psostorageacct.blob.core.windows.net',
      }),
    ).toThrow(
      new ConfigError(
        'PARTNER_CENTER_CERTIFICATE_HOSTS must list only loopback hosts when BRIDGE_ENVIRONMENT=emulator, got 3psostorageacct.blob.core.windows.net',
        'PARTNER_CENTER_CERTIFICATE_HOSTS',
      ),
    );
  });

  const production = {
    ...base,
    BRIDGE_ENVIRONMENT: 'production',
    SALESFORCE_LOGIN_URL: 'https://contoso.my.salesforce.com',
    PARTNER_CENTER_API_URL: 'https://api.partner.microsoft.com',
    PARTNER_CENTER_WEBHOOK_API_URL: 'https://api.partnercenter.microsoft.com',
    PARTNER_CENTER_TOKEN_URL: 'https://login.microsoftonline.com/<tenant>/oauth2/token',
  };

  it('production allows only Microsoft hosts', () => {
    expect(loadConfig(production).partnerCenter.certificateHosts).toEqual([
      '3psostorageacct.blob.core.windows.net',
      'api.partner.microsoft.com',
    ]);
    expect(() =>
      loadConfig({ ...production, PARTNER_CENTER_CERTIFICATE_HOSTS: 'certs.attacker.example' }),
    ).toThrow(/PARTNER_CENTER_CERTIFICATE_HOSTS must list only Microsoft hosts/);
  });

  it.each([
    // Any Azure customer publishes files under its own storage account, with Microsoft's TLS
    // certificate for *.blob.core.windows.net: a self-signed "O=Microsoft Corporation" certificate
    // there would sign deliveries the bridge accepts (it builds no chain; the host is the trust).
    'contoso-certs.blob.core.windows.net',
    'contoso.web.core.windows.net',
    'contoso.servicebus.windows.net',
  ])("production refuses %s: an Azure customer's host, not Microsoft's", (host) => {
    expect(() => loadConfig({ ...production, PARTNER_CENTER_CERTIFICATE_HOSTS: host })).toThrow(
      /PARTNER_CENTER_CERTIFICATE_HOSTS must list only Microsoft hosts/,
    );
    expect(
      loadConfig({
        ...production,
        PARTNER_CENTER_CERTIFICATE_HOSTS:
          '3psostorageacct.blob.core.windows.net,api.partner.microsoft.com',
      }).partnerCenter.certificateHosts,
    ).toHaveLength(2);
  });
});
