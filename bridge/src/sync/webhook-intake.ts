/**
 * Step 5 of the engine: a verified webhook delivery becomes an inbox row, and only then does the
 * server answer 2xx (persist before acknowledging). Duplicates collapse on the dedupe key.
 */
import type { Logger } from 'pino';
import type { VerifiedWebhookEvent } from '../webhook';
import type { StateStore } from '../store';
import { isOwnEcho } from './echo';

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

export function createWebhookIntake(deps: {
  store: Pick<StateStore, 'recordDelivery' | 'getLinkByReferral'>;
  logger: Logger;
  now: () => Date;
  onQueued?: () => void;
}) {
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
    // The link may not hold our PATCH's result yet (the webhook can outrun it): the inbound
    // worker checks again before reading.
    if (isOwnEcho(changedAt, await deps.store.getLinkByReferral(referralId))) {
      deps.logger.debug(
        { event: 'sync.webhook.echo', referralId },
        'webhook for a state we already have',
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
