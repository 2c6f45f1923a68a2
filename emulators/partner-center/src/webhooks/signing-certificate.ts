import { X509Certificate, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { generate } from 'selfsigned';

/** Path the receiver fetches the certificate from (`x-ms-certificate-url`), as Microsoft names it. */
export const CERTIFICATE_PATH = '/cert/pcnotifications-dispatch.microsoft.com.cer';

export interface SigningCertificate {
  /** DER bytes, served at CERTIFICATE_PATH like Microsoft's `.cer` blob. */
  der: Buffer;
  pem: string;
  /** Base64 RSA-SHA256 signature over exactly these bytes. */
  sign(body: Buffer): string;
}

let shared: Promise<SigningCertificate> | undefined;

/**
 * An RSA key and certificate whose subject matches Microsoft's dispatcher
 * (`CN=pcnotifications-dispatch.microsoft.com, O=Microsoft Corporation`), so a receiver that
 * checks the organization as partner-center-webhooks advises accepts it. Generated once per
 * process: key generation is the slow part of start-up and the key has no other use.
 */
export function signingCertificate(): Promise<SigningCertificate> {
  shared ??= create();
  return shared;
}

async function create(): Promise<SigningCertificate> {
  const attributes = [
    { name: 'commonName', value: 'pcnotifications-dispatch.microsoft.com' },
    { name: 'organizationName', value: 'Microsoft Corporation' },
    { name: 'localityName', value: 'Redmond' },
    { shortName: 'ST', value: 'WA' },
    { name: 'countryName', value: 'US' },
  ];
  const pems = await generate(attributes, {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      {
        name: 'subjectAltName',
        altNames: [{ type: 2, value: 'pcnotifications-dispatch.microsoft.com' }],
      },
    ],
  });
  const key: KeyObject = createPrivateKey(pems.private);
  const certificate = new X509Certificate(pems.cert);
  return {
    der: certificate.raw,
    pem: pems.cert,
    sign: (body) => sign('sha256', body, key).toString('base64'),
  };
}
