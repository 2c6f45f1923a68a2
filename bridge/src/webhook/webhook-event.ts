import { REFERRAL_WEBHOOK_EVENTS, WebhookEventSchema, type WebhookEvent } from '../schemas';
import { WebhookRejectedError } from './rejected-error';

/**
 * Turns an authenticated body into the event the engine stores. Pure. Call it only after the
 * signature has been verified: parsing attacker-controlled JSON is what verification protects.
 */

export type WebhookEventKind = 'referral' | 'test' | 'unknown';

export const TEST_EVENT_NAME = 'test-created';

/**
 * `referral`: one of the four referral events, `referralId` set, hand to the engine.
 * `test`: a validation event (setup's round-trip, R8); acknowledged, nothing to store.
 * `unknown`: an event we did not register for; acknowledged with 202 and ignored, so Partner
 * Center does not keep retrying something we will never process.
 */
export type VerifiedWebhookEvent = WebhookEvent & {
  /**
   * What makes two deliveries the same event: `EventName|referral id|ResourceChangeUtcDate`
   * (`deliveryKeyOf`). Partner Center redelivers an event it got no 2xx for, and may send one
   * twice; a redelivery has this key again (however its JSON is laid out), so the inbox stores
   * it once. A new change of the referral has a new change time, hence a new key.
   */
  deliveryKey: string;
} & (
    | {
        kind: 'referral';
        /** Last path segment of ResourceUri: the only place the referral id is parsed. */
        referralId: string;
      }
    | { kind: Exclude<WebhookEventKind, 'referral'>; referralId?: undefined }
  );

const REFERRAL_ID = /^[A-Za-z0-9._~-]{1,128}$/;

export function parseWebhookEvent(rawBody: Buffer): VerifiedWebhookEvent {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new WebhookRejectedError(400, 'the body is not valid JSON');
  }
  const parsed = WebhookEventSchema.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.') || '(body)').join(', ');
    throw new WebhookRejectedError(400, `the body is not a Partner Center event (check ${fields})`);
  }
  const event = parsed.data;
  if (!(REFERRAL_WEBHOOK_EVENTS as readonly string[]).includes(event.EventName)) {
    return {
      ...event,
      kind: event.EventName === TEST_EVENT_NAME ? 'test' : 'unknown',
      deliveryKey: deliveryKeyOf(event.EventName, event.ResourceUri, event.ResourceChangeUtcDate),
    };
  }
  const referralId = referralIdFromResourceUri(event.ResourceUri);
  if (!referralId) {
    throw new WebhookRejectedError(400, 'ResourceUri does not end in a referral id');
  }
  const deliveryKey = deliveryKeyOf(event.EventName, referralId, event.ResourceChangeUtcDate);
  return { ...event, kind: 'referral', referralId, deliveryKey };
}

/** The event's identity (see `VerifiedWebhookEvent.deliveryKey`); the inbox dedupes on it. */
export function deliveryKeyOf(
  eventName: string,
  subject: string,
  changedAt: string | null | undefined,
): string {
  return `${eventName}|${subject}|${changedAt ?? ''}`;
}

/** `https://api.partnercenter.microsoft.com/engagements/v1/referrals/{id}` → `{id}`. */
export function referralIdFromResourceUri(resourceUri: string): string | undefined {
  let path: string;
  try {
    path = new URL(resourceUri).pathname;
  } catch {
    path = resourceUri.split(/[?#]/)[0] ?? '';
  }
  const last = path.split('/').filter(Boolean).at(-1);
  if (!last) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(last);
  } catch {
    return undefined;
  }
  // '.' and '..' match the character set but are path steps, not ids (a ResourceUri that is no
  // URL is split as text, so nothing normalised them away).
  return REFERRAL_ID.test(id) && id !== '.' && id !== '..' ? id : undefined;
}
