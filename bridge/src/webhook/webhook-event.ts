import { createHash } from 'node:crypto';
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
  /** sha256 of the raw body: the same delivery sent twice has the same key. */
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
  const deliveryKey = createHash('sha256').update(rawBody).digest('hex');
  if (!(REFERRAL_WEBHOOK_EVENTS as readonly string[]).includes(event.EventName)) {
    return {
      ...event,
      kind: event.EventName === TEST_EVENT_NAME ? 'test' : 'unknown',
      deliveryKey,
    };
  }
  const referralId = referralIdFromResourceUri(event.ResourceUri);
  if (!referralId) {
    throw new WebhookRejectedError(400, 'ResourceUri does not end in a referral id');
  }
  return { ...event, kind: 'referral', referralId, deliveryKey };
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
  return REFERRAL_ID.test(id) ? id : undefined;
}
