import {
  checkCertificateUrl,
  isLoopbackHost,
  readSignatureHeaders,
  referralIdFromResourceUri,
  WebhookRejectedError,
} from '../../src/webhook';
import { organisations } from '../../src/webhook/certificate-checks';

const MS = '3psostorageacct.blob.core.windows.net';
const MS_URL = `https://${MS}/cert/pcnotifications-dispatch.microsoft.com.cer`;

function rejectionOf(run: () => unknown): WebhookRejectedError | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof WebhookRejectedError) return error;
    throw error;
  }
  return undefined;
}

describe('checkCertificateUrl', () => {
  it.each([
    [MS_URL, [MS]],
    [`https://${MS.toUpperCase()}/cert/x.cer`, [MS]],
    ['http://127.0.0.1:4010/cert/x.cer', ['127.0.0.1:4010']],
    ['http://127.0.0.1:4010/cert/x.cer', ['127.0.0.1']],
    ['http://localhost:4010/cert/x.cer', ['localhost']],
    ['http://[::1]:4010/cert/x.cer', ['[::1]:4010']],
  ])('allows %s for %j', (url, hosts) => {
    expect(checkCertificateUrl(url, hosts).href).toBe(new URL(url).href);
  });

  it.each([
    ['not a url', [MS], /not a valid URL/],
    [`http://${MS}/cert/x.cer`, [MS], /must use https/],
    [`ftp://${MS}/cert/x.cer`, [MS], /must use https/],
    ['https://evil.example/cert/x.cer', [MS], /evil.example is not in/],
    [`https://${MS}.evil.example/cert/x.cer`, [MS], /not in/],
    [`https://user:pw@${MS}/cert/x.cer`, [MS], /credentials/],
    ['http://127.0.0.1:4011/cert/x.cer', ['127.0.0.1:4010'], /not in/],
    ['http://169.254.169.254/latest/meta-data', [MS], /must use https/],
  ])('refuses %s for %j', (url, hosts, reason) => {
    const error = rejectionOf(() => checkCertificateUrl(url, hosts));
    expect(error?.status).toBe(401);
    expect(error?.reason).toMatch(reason);
  });

  it('knows loopback hosts', () => {
    expect(['localhost', '127.0.0.1', '127.9.8.7', '[::1]', '::1'].every(isLoopbackHost)).toBe(
      true,
    );
    expect(['10.0.0.1', 'example.com', '127.0.0.1.nip.io', '0.0.0.0'].some(isLoopbackHost)).toBe(
      false,
    );
  });
});

describe('readSignatureHeaders', () => {
  const base = {
    authorization: 'Signature c2lnbmF0dXJl',
    'x-ms-certificate-url': MS_URL,
    'x-ms-signature-algorithm': 'rsa-sha256',
  };

  it('reads Authorization: Signature, case-insensitively, and decodes the base64', () => {
    const read = readSignatureHeaders({
      Authorization: base.authorization,
      'X-MS-Certificate-Url': MS_URL,
      'X-MS-Signature-Algorithm': 'RSA-SHA256',
    });
    expect(read.signature.toString()).toBe('signature');
    expect(read.certificateUrl).toBe(MS_URL);
  });

  it('prefers x-ms-signature, with or without the "Signature " prefix', () => {
    expect(
      readSignatureHeaders({ ...base, 'x-ms-signature': 'b3RoZXI=' }).signature.toString(),
    ).toBe('other');
    expect(
      readSignatureHeaders({
        ...base,
        'x-ms-signature': 'Signature b3RoZXI=',
      }).signature.toString(),
    ).toBe('other');
  });

  it('refuses a Bearer token in place of a signature', () => {
    expect(
      rejectionOf(() => readSignatureHeaders({ ...base, authorization: 'Bearer abc.def' }))?.status,
    ).toBe(401);
  });
});

describe('referralIdFromResourceUri', () => {
  it.each([
    [
      'https://api.partnercenter.microsoft.com/engagements/v1/referrals/8f3c2b1a-0d5e-4c6f-9a7b-1e2d3c4b5a69',
      '8f3c2b1a-0d5e-4c6f-9a7b-1e2d3c4b5a69',
    ],
    ['https://api.partnercenter.microsoft.com/engagements/v1/referrals/abc123/', 'abc123'],
    ['https://api.partnercenter.microsoft.com/engagements/v1/referrals/abc?x=1', 'abc'],
    ['/engagements/v1/referrals/rel-1', 'rel-1'],
  ])('%s → %s', (uri, id) => {
    expect(referralIdFromResourceUri(uri)).toBe(id);
  });

  it.each([
    'https://api.partnercenter.microsoft.com/',
    'https://x/referrals/a%2Fb',
    'https://x/referrals/%E0%A4%A',
    'https://x/referrals/<script>',
  ])('finds no safe id in %s', (uri) => {
    expect(referralIdFromResourceUri(uri)).toBeUndefined();
  });
});

describe('organisations', () => {
  it('reads O= values from a Node distinguished name', () => {
    expect(
      organisations(
        'C=US\nST=WA\nO=Microsoft Corporation\nCN=pcnotifications-dispatch.microsoft.com',
      ),
    ).toEqual(['Microsoft Corporation']);
    expect(organisations('CN=Microsoft Corporation')).toEqual([]);
    expect(organisations('OU=Microsoft Corporation\nO=Contoso')).toEqual(['Contoso']);
  });
});
