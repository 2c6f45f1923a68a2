import { BridgeError } from '../errors';

/**
 * A webhook delivery the bridge refuses. `status` is the HTTP answer (400 malformed, 401 not
 * authentic, 413 too large, 415 not JSON, 503 could not check right now); `reason` is safe to log
 * and to send back: it never contains the signature or the body.
 */
export class WebhookRejectedError extends BridgeError {
  constructor(
    readonly status: 400 | 401 | 413 | 415 | 503,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Webhook delivery rejected (${status}): ${reason}`, 'partner-center', options);
  }
}
