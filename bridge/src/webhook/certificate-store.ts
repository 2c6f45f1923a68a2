import { X509Certificate } from 'node:crypto';
import type { Logger } from 'pino';
import { WebhookRejectedError } from './rejected-error';

/**
 * Downloads and caches webhook signing certificates. Only URLs that passed checkCertificateUrl
 * reach here. Downloads are bounded in time and size and never follow redirects (a redirect could
 * lead off the allow-list). Concurrent deliveries share one download per URL.
 */

export interface CertificateStoreOptions {
  fetch?: typeof fetch;
  now?: () => Date;
  logger: Logger;
  /** How long a downloaded certificate is reused (default 1 hour). */
  ttlMs?: number;
  timeoutMs?: number;
  maxBytes?: number;
  /** Downloads of URLs not in the cache allowed per minute (default 6). */
  maxDownloadsPerMinute?: number;
  /** Downloads in flight at once (default 2). */
  maxConcurrentDownloads?: number;
  /** A URL whose download failed is not tried again for this long (default 60 s). */
  failureTtlMs?: number;
}

export interface CachedCertificate {
  certificate: X509Certificate;
  fetchedAt: number;
}

export interface CertificateStore {
  get(url: URL): Promise<CachedCertificate>;
  /** Downloads again (a rotated certificate at the same URL), replacing the cached one. */
  refresh(url: URL): Promise<CachedCertificate>;
}

const DEFAULT_TTL_MS = 60 * 60_000;
const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_MAX_BYTES = 64 * 1024;
/** The allow-list bounds the URLs, but not their paths; keep the cache from growing without end. */
const MAX_ENTRIES = 16;
/**
 * The certificate URL comes from a request nobody has authenticated yet, so each new URL is a
 * download anyone can trigger: Partner Center uses one certificate for weeks, so a handful per
 * minute, two at a time, is plenty; beyond that a delivery is answered 503 (Partner Center
 * retries) without any download.
 */
const DEFAULT_DOWNLOADS_PER_MINUTE = 6;
const DEFAULT_CONCURRENT_DOWNLOADS = 2;
const DEFAULT_FAILURE_TTL_MS = 60_000;

export function createCertificateStore(options: CertificateStoreOptions): CertificateStore {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? (() => new Date());
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const cache = new Map<string, CachedCertificate>();
  const inFlight = new Map<string, Promise<CachedCertificate>>();
  const perMinute = options.maxDownloadsPerMinute ?? DEFAULT_DOWNLOADS_PER_MINUTE;
  const concurrent = options.maxConcurrentDownloads ?? DEFAULT_CONCURRENT_DOWNLOADS;
  const failureTtlMs = options.failureTtlMs ?? DEFAULT_FAILURE_TTL_MS;
  /** Start times of recent downloads (the last minute). */
  const started: number[] = [];
  /** URLs that failed recently and the rejection to repeat without downloading again. */
  const failed = new Map<string, { at: number; error: WebhookRejectedError }>();

  const download = async (url: URL): Promise<CachedCertificate> => {
    let bytes: Buffer;
    try {
      const response = await doFetch(url, {
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) {
        await response.body?.cancel();
        const status = response.status >= 500 ? 503 : 401;
        throw new WebhookRejectedError(
          status,
          `the certificate URL answered HTTP ${response.status}`,
        );
      }
      bytes = await readLimited(response, maxBytes);
    } catch (error) {
      if (error instanceof WebhookRejectedError) throw error;
      throw new WebhookRejectedError(
        503,
        `could not download the signing certificate from ${url.host}`,
        {
          cause: error,
        },
      );
    }
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(decodeCertificate(bytes));
    } catch (error) {
      throw new WebhookRejectedError(
        401,
        'the certificate URL did not return an X.509 certificate',
        {
          cause: error,
        },
      );
    }
    const entry = { certificate, fetchedAt: now().getTime() };
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
    cache.set(url.href, entry);
    options.logger.info(
      {
        certificateUrl: url.href,
        subject: certificate.subject.replace(/\n/g, ', '),
        validTo: certificate.validTo,
      },
      'downloaded webhook signing certificate',
    );
    return entry;
  };

  const load = (url: URL): Promise<CachedCertificate> => {
    const pending = inFlight.get(url.href);
    if (pending) return pending;
    const at = now().getTime();
    const recentFailure = failed.get(url.href);
    if (recentFailure && at - recentFailure.at < failureTtlMs) {
      return Promise.reject(recentFailure.error);
    }
    while (started.length > 0 && at - started[0]! >= 60_000) started.shift();
    if (inFlight.size >= concurrent || started.length >= perMinute) {
      return Promise.reject(
        new WebhookRejectedError(
          503,
          'too many signing certificate downloads right now; deliver again later',
        ),
      );
    }
    started.push(at);
    const download$ = download(url)
      .catch((error: unknown) => {
        if (error instanceof WebhookRejectedError) {
          if (failed.size >= MAX_ENTRIES) failed.delete(failed.keys().next().value as string);
          failed.set(url.href, { at: now().getTime(), error });
        }
        throw error;
      })
      .finally(() => inFlight.delete(url.href));
    inFlight.set(url.href, download$);
    return download$;
  };

  return {
    get(url) {
      const cached = cache.get(url.href);
      if (cached && now().getTime() - cached.fetchedAt < ttlMs) return Promise.resolve(cached);
      return load(url);
    },
    refresh(url) {
      cache.delete(url.href);
      return load(url);
    },
  };
}

async function readLimited(response: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw new WebhookRejectedError(401, `the signing certificate is larger than ${maxBytes} bytes`);
  }
  if (!response.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      throw new WebhookRejectedError(
        401,
        `the signing certificate is larger than ${maxBytes} bytes`,
      );
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/** PEM and DER both work as they are; a bare base64 DER (some .cer files) is decoded first. */
function decodeCertificate(bytes: Buffer): Buffer {
  const text = bytes.toString('latin1').trim();
  if (text.startsWith('-----BEGIN')) return bytes;
  if (/^[A-Za-z0-9+/=\r\n]+$/.test(text)) return Buffer.from(text, 'base64');
  return bytes;
}
