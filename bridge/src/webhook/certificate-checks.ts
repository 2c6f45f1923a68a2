import type { X509Certificate } from 'node:crypto';
import { WebhookRejectedError } from './rejected-error';

/**
 * Checks on the signing certificate itself (partner-center-webhooks: "validate the certificate's
 * Organization"). Pure: the caller passes `now`.
 *
 * Limits, deliberately documented: the certificate is a single leaf (.cer) without its chain, so
 * the bridge does not build a chain to a trusted root. Its authenticity rests on where it came
 * from — an HTTPS download, authenticated by TLS, from a host on the allow-list — and this module
 * adds the validity window, the key type and the organisation as defence in depth.
 */

export const MICROSOFT_ORGANISATION = 'Microsoft Corporation';

/** Values of `O=` in a Node distinguished-name string ("C=US\nO=Microsoft Corporation\nCN=…"). */
export function organisations(distinguishedName: string): string[] {
  return distinguishedName
    .split('\n')
    .map((line) => /^O=(.*)$/.exec(line.trim())?.[1])
    .filter((o): o is string => o !== undefined)
    .map((o) => o.replace(/^"|"$/g, '').trim());
}

export function checkCertificate(
  certificate: X509Certificate,
  now: Date,
  expectedOrganisation: string = MICROSOFT_ORGANISATION,
): void {
  const notBefore = Date.parse(certificate.validFrom);
  const notAfter = Date.parse(certificate.validTo);
  if (Number.isNaN(notBefore) || Number.isNaN(notAfter)) {
    throw new WebhookRejectedError(401, 'the signing certificate has unreadable validity dates');
  }
  if (now.getTime() < notBefore) {
    throw new WebhookRejectedError(
      401,
      `the signing certificate is not valid before ${certificate.validFrom}`,
    );
  }
  if (now.getTime() > notAfter) {
    throw new WebhookRejectedError(
      401,
      `the signing certificate expired on ${certificate.validTo}`,
    );
  }
  if (certificate.publicKey.asymmetricKeyType !== 'rsa') {
    throw new WebhookRejectedError(401, 'the signing certificate does not hold an RSA key');
  }
  const found = [...organisations(certificate.subject), ...organisations(certificate.issuer)];
  if (!found.includes(expectedOrganisation)) {
    throw new WebhookRejectedError(
      401,
      `the signing certificate belongs to ${found.length ? found.join(', ') : 'no organisation'}, not ${expectedOrganisation}`,
    );
  }
}
