/**
 * Step 5 of the engine: a verified webhook delivery becomes an inbox row, and only then does the
 * server answer 2xx (persist before acknowledging). Duplicates collapse on the dedupe key.
 *
 * The echo of our own write is answered 2xx without being stored: a change the state we stored
 * is at least as new as (by time), or the one change our 204 PATCH made (by count), judged by
 * echo.ts once the send it may belong to has settled (echo-settle.ts, bounded). Nothing is lost
 * by a crash after that answer: the state such a delivery names is ours and already stored.
 * Whatever is not proven an echo is recorded; of a Microsoft change made while our PATCH was in
 * flight and our PATCH's own echo, at most one is taken as the echo (one per expected echo), so
 * the other is recorded, and reading it reads both changes.
 */
import type { Logger } from 'pino';
import type { VerifiedWebhookEvent } from '../webhook';
import type { StateStore } from '../store';
import { createEchoSettle, type EchoSettleDeps } from './echo-settle';

export type WebhookIntakeResult =
  | { status: 'queued' | 'duplicate'; referralId: string }
  | { status: 'echo'; referralId: string }
  | { status: 'ignored'; reason: string };

/**
 * Milliseconds since the epoch of an ISO date-time with any number of fractional digits
 * (Partner Center sends seven: 2018-02-17T00:05:39.5485487+00:00), or NaN.
 */
export function isoToMillis(value: string | null | undefined): number {
  if (!value) return Number.NaN;
  const trimmed = value.replace(/(\.\d{3})\d+/, '$1');
  return Date.parse(trimmed);
}

export function createWebhookIntake(
  deps: EchoSettleDeps & {
    store: Pick<StateStore, 'recordDelivery'>;
    logger: Logger;
    now: () => Date;
    onQueued?: () => void;
  },
) {
  const settle = createEchoSettle(deps);
  return async function onWebhook(
    event: VerifiedWebhookEvent,
    rawBody?: Buffer | string,
  ): Promise<WebhookIntakeResult> {
    if (event.kind !== 'referral') {
      // test-created (R8 validation round-trip) and events we did not register for.
      return { status: 'ignored', reason: `event ${event.EventName} is not a referral event` };
    }
    const referralId = event.referralId;
    const changedAt = event.ResourceChangeUtcDate ?? null;
    if (
      await settle.onlyOwnEchoes(referralId, [{ resourceChangeUtc: changedAt, source: 'webhook' }])
    ) {
      deps.logger.debug(
        { event: 'sync.webhook.echo', referralId },
        'webhook echo of our own change: answered, not stored',
      );
      return { status: 'echo', referralId };
    }
    const isNew = await deps.store.recordDelivery({
      source: 'webhook',
      // The webhook module's one interpretation of the event: a redelivery has the same key.
      dedupeKey: event.deliveryKey,
      eventName: event.EventName,
      referralId,
      resourceChangeUtc: changedAt,
      receivedAt: deps.now(),
      body: rawBody === undefined ? JSON.stringify(event) : rawBody.toString(),
    });
    if (isNew) deps.onQueued?.();
    else
      deps.logger.info(
        { event: 'sync.webhook.redelivered', referralId, deliveryKey: event.deliveryKey },
        'webhook redelivered: this event is already in the inbox, nothing stored',
      );
    return { status: isNew ? 'queued' : 'duplicate', referralId };
  };
}
