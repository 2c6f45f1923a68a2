import { WebhookRejectedError } from './rejected-error';

/**
 * Decides, before any request is made, whether a delivery's certificate URL may be fetched. The
 * URL comes from the (not yet authenticated) request, so without this check anyone could make the
 * bridge fetch arbitrary internal URLs (SSRF). Pure.
 *
 * An allowed host is `hostname` (any port) or `hostname:port`. HTTPS is required — TLS is what
 * proves the certificate really came from Microsoft's host — except for loopback hosts, which only
 * the local emulator uses.
 */

/** Microsoft's documented signing-certificate host (partner-center-webhooks sample). */
export const MICROSOFT_CERTIFICATE_HOST = '3psostorageacct.blob.core.windows.net';

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

export function checkCertificateUrl(raw: string, allowedHosts: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookRejectedError(401, 'the certificate URL is not a valid URL');
  }
  if (url.username || url.password) {
    throw new WebhookRejectedError(401, 'the certificate URL carries credentials');
  }
  const secure =
    url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  if (!secure) {
    throw new WebhookRejectedError(
      401,
      `the certificate URL must use https (got ${quoted(url.protocol)})`,
    );
  }
  const allowed = allowedHosts.map((h) => h.trim().toLowerCase()).filter(Boolean);
  const host = url.host.toLowerCase();
  const hostname = url.hostname.toLowerCase();
  if (!allowed.some((entry) => entry === host || entry === hostname)) {
    throw new WebhookRejectedError(
      401,
      `the certificate host ${quoted(hostname)} is not in PARTNER_CENTER_CERTIFICATE_HOSTS`,
    );
  }
  return url;
}

/** Request text in a reason (logged and sent back): enough to recognise, never unbounded. */
function quoted(text: string, max = 64): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
