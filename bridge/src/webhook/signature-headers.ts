import { WebhookRejectedError } from './rejected-error';

/**
 * Reads the signing headers of a Partner Center delivery (partner-center-webhooks):
 * `Authorization: Signature <base64>` — or `x-ms-signature: <base64>` when the registration set
 * signatureTokenToMsSignatureHeader — plus `x-ms-certificate-url` and
 * `x-ms-signature-algorithm: rsa-sha256`. Pure; throws 401 for anything missing or unusable.
 */

export type HeaderBag = Record<string, string | string[] | undefined>;

export interface SignatureHeaders {
  signature: Buffer;
  certificateUrl: string;
}

export const SUPPORTED_SIGNATURE_ALGORITHM = 'rsa-sha256';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function header(headers: HeaderBag, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

export function readSignatureHeaders(headers: HeaderBag): SignatureHeaders {
  const raw = header(headers, 'x-ms-signature') ?? header(headers, 'authorization');
  if (!raw) {
    throw new WebhookRejectedError(
      401,
      'no signature (Authorization: Signature … or x-ms-signature)',
    );
  }
  const match = /^(?:Signature\s+)?(\S+)\s*$/i.exec(raw.trim());
  const encoded = match?.[1];
  if (!encoded || !BASE64.test(encoded)) {
    throw new WebhookRejectedError(401, 'the signature is not a base64 "Signature <value>"');
  }
  const algorithm = header(headers, 'x-ms-signature-algorithm');
  if (!algorithm) throw new WebhookRejectedError(401, 'no x-ms-signature-algorithm header');
  if (algorithm.trim().toLowerCase() !== SUPPORTED_SIGNATURE_ALGORITHM) {
    throw new WebhookRejectedError(
      401,
      `unsupported signature algorithm "${algorithm.slice(0, 40)}" (expected ${SUPPORTED_SIGNATURE_ALGORITHM})`,
    );
  }
  const certificateUrl = header(headers, 'x-ms-certificate-url');
  if (!certificateUrl) throw new WebhookRejectedError(401, 'no x-ms-certificate-url header');
  return { signature: Buffer.from(encoded, 'base64'), certificateUrl: certificateUrl.trim() };
}
