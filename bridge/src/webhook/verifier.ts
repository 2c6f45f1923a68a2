import { verify as verifySignature } from 'node:crypto';
import type { Logger } from 'pino';
import { checkCertificate } from './certificate-checks';
import { createCertificateStore, type CachedCertificate } from './certificate-store';
import { checkCertificateUrl } from './certificate-url';
import { WebhookRejectedError } from './rejected-error';
import { readSignatureHeaders, header, type HeaderBag } from './signature-headers';
import { parseWebhookEvent, type VerifiedWebhookEvent } from './webhook-event';

/**
 * Authenticates a Partner Center webhook delivery, framework-free (the express adapter is thin).
 * Steps, in this order, as partner-center-webhooks prescribes: size and content type → signing
 * headers → certificate URL on the allow-list (before any request) → download (bounded, cached)
 * → certificate validity and organisation → RSA-SHA256 over the RAW body → only then JSON + zod.
 */

export interface WebhookVerifierOptions {
  /** PARTNER_CENTER_CERTIFICATE_HOSTS: `hostname` or `hostname:port` entries. */
  allowedCertificateHosts: readonly string[];
  logger: Logger;
  fetch?: typeof fetch;
  now?: () => Date;
  certificateCacheTtlMs?: number;
  certificateTimeoutMs?: number;
  /** Largest body accepted (default 64 KiB; Partner Center events are a few hundred bytes). */
  maxBodyBytes?: number;
  /** Defaults to "Microsoft Corporation"; the emulator's certificate carries the same name. */
  expectedOrganisation?: string;
}

export interface WebhookDelivery {
  headers: HeaderBag;
  rawBody: Buffer;
}

export interface WebhookVerifier {
  /** The verified event, or throws WebhookRejectedError with the status to answer. */
  verify(delivery: WebhookDelivery): Promise<VerifiedWebhookEvent>;
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
/**
 * A cached certificate older than this is downloaded again once when it fails to authenticate a
 * delivery (rotation). Younger ones are not, so forged deliveries cannot drive downloads.
 */
const ROTATION_RECHECK_AFTER_MS = 60_000;

export function createWebhookVerifier(options: WebhookVerifierOptions): WebhookVerifier {
  const now = options.now ?? (() => new Date());
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const certificates = createCertificateStore({
    fetch: options.fetch,
    now,
    logger: options.logger,
    ttlMs: options.certificateCacheTtlMs,
    timeoutMs: options.certificateTimeoutMs,
  });

  /** Why `entry` does not authenticate this body, or undefined when it does. */
  const problemWith = (
    entry: CachedCertificate,
    rawBody: Buffer,
    signature: Buffer,
  ): WebhookRejectedError | undefined => {
    try {
      checkCertificate(entry.certificate, now(), options.expectedOrganisation);
    } catch (error) {
      if (error instanceof WebhookRejectedError) return error;
      throw error;
    }
    let valid: boolean;
    try {
      valid = verifySignature('sha256', rawBody, entry.certificate.publicKey, signature);
    } catch {
      valid = false;
    }
    return valid
      ? undefined
      : new WebhookRejectedError(401, 'the signature does not match the body and certificate');
  };

  return {
    async verify({ headers, rawBody }) {
      if (rawBody.byteLength > maxBodyBytes) {
        throw new WebhookRejectedError(413, `the body is larger than ${maxBodyBytes} bytes`);
      }
      const contentType = header(headers, 'content-type') ?? '';
      if (!/^application\/json\s*(;|$)/i.test(contentType.trim())) {
        throw new WebhookRejectedError(415, 'the body must be application/json');
      }
      const { signature, certificateUrl } = readSignatureHeaders(headers);
      const url = checkCertificateUrl(certificateUrl, options.allowedCertificateHosts);

      const entry = await certificates.get(url);
      let problem = problemWith(entry, rawBody, signature);
      if (problem && now().getTime() - entry.fetchedAt > ROTATION_RECHECK_AFTER_MS) {
        // Microsoft may have rotated the certificate behind the same URL: look once more.
        problem = problemWith(await certificates.refresh(url), rawBody, signature);
      }
      if (problem) throw problem;
      return parseWebhookEvent(rawBody);
    },
  };
}
