import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { REFERRAL_WEBHOOK_EVENTS } from '../schemas';
import { createApiRequester, type ApiClientOptions } from './api-request';
import { parseResponse } from './parse-response';

/**
 * The Partner Center webhook registration API (`/webhooks/v1/registration`,
 * learn.microsoft.com/partner-center/developer/partner-center-webhooks). Partner Center keeps one
 * URL per event, so registering overwrites (POST, and PUT when it answers 409 "already exists").
 */

/** The four referral events the bridge needs (R8), plus the one validation events use. */
export const REFERRAL_EVENTS = REFERRAL_WEBHOOK_EVENTS;
export const TEST_EVENT = 'test-created';

export const WEBHOOK_REGISTRATION_PATH = '/webhooks/v1/registration';

/** Documented responses use PascalCase; the 2021 swagger model uses camelCase. Accept both. */
const lowerFirstKeys = (value: unknown) =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k.charAt(0).toLowerCase() + k.slice(1), v]),
      )
    : value;

const registrationSchema = z.preprocess(
  lowerFirstKeys,
  z.looseObject({
    subscriberId: z.string().nullish(),
    webhookUrl: z.string().min(1),
    webhookEvents: z.array(z.string()),
  }),
);
export type WebhookRegistration = z.infer<typeof registrationSchema>;

const validationEventSchema = z.preprocess(
  lowerFirstKeys,
  z.looseObject({ correlationId: z.string().min(1) }),
);

const validationResultSchema = z.preprocess(
  lowerFirstKeys,
  z.looseObject({
    // Documented: responseCode a string ("OK"), systemError a boolean. Older texts show a
    // status number and an error text; both still parse, as strings.
    responseCode: z.union([z.string(), z.number().transform(String)]).nullish(),
    responseMessage: z.string().nullish(),
    systemError: z.union([z.boolean(), z.string()]).nullish(),
    dateTimeUtc: z.string().nullish(),
  }),
);
const validationStatusSchema = z.preprocess(
  lowerFirstKeys,
  z.looseObject({
    correlationId: z.string().nullish(),
    partnerId: z.string().nullish(),
    status: z.string(),
    callbackUrl: z.string().nullish(),
    results: z.array(validationResultSchema).nullish(),
  }),
);
export type ValidationStatus = z.infer<typeof validationStatusSchema>;

export interface WebhookRegistrationClientOptions extends ApiClientOptions {
  /** e.g. https://api.partnercenter.microsoft.com */
  baseUrl: string;
}

export interface VerifyOptions {
  /** How long to wait for Partner Center to report the test delivery. */
  timeoutMs?: number;
  pollIntervalMs?: number;
}

export interface VerificationResult {
  ok: boolean;
  /** One line for `setup`/`doctor`: what was proven or what is wrong. */
  message: string;
  correlationId?: string;
  responseCode?: string;
}

export interface WebhookRegistrationClient {
  /** The current registration, or null when there is none. */
  getRegistration(): Promise<WebhookRegistration | null>;
  /** Registers `url` for `events`, replacing any existing registration (R8). */
  register(url: string, events?: readonly string[]): Promise<WebhookRegistration>;
  /** Event names Partner Center can send. */
  listEvents(): Promise<string[]>;
  /** Asks Partner Center to send a `test-created` event; returns its correlation id. */
  sendValidationEvent(): Promise<string>;
  getValidationStatus(correlationId: string): Promise<ValidationStatus>;
  /** Checks the registration points at `url` with every referral event, then proves a round-trip. */
  verifyRegistration(url: string, options?: VerifyOptions): Promise<VerificationResult>;
}

export function createWebhookRegistrationClient(
  options: WebhookRegistrationClientOptions,
): WebhookRegistrationClient {
  const send = createApiRequester(options);
  const registrationUrl = `${options.baseUrl.replace(/\/+$/, '')}${WEBHOOK_REGISTRATION_PATH}`;

  const client: WebhookRegistrationClient = {
    async getRegistration() {
      const response = await send({
        api: 'webhooks',
        operation: 'read webhook registration',
        method: 'GET',
        url: registrationUrl,
        idempotent: true,
        passStatuses: [404],
      });
      if (response.status === 404 || response.body === undefined) return null;
      return parseResponse(registrationSchema, response.body, 'the webhook registration');
    },

    async register(url, events = [...REFERRAL_EVENTS, TEST_EVENT]) {
      const body = { WebhookUrl: url, WebhookEvents: [...events] };
      const created = await send({
        api: 'webhooks',
        operation: 'register webhook',
        method: 'POST',
        url: registrationUrl,
        body,
        // Registering the same URL and events twice gives the same registration.
        idempotent: true,
        passStatuses: [409],
      });
      if (created.status !== 409) {
        return parseResponse(registrationSchema, created.body, 'the new webhook registration');
      }
      const replaced = await send({
        api: 'webhooks',
        operation: 'replace webhook registration',
        method: 'PUT',
        url: registrationUrl,
        body,
        idempotent: true,
      });
      return parseResponse(registrationSchema, replaced.body, 'the replaced webhook registration');
    },

    async listEvents() {
      const response = await send({
        api: 'webhooks',
        operation: 'list webhook events',
        method: 'GET',
        url: `${registrationUrl}/events`,
        idempotent: true,
      });
      return parseResponse(z.array(z.string()), response.body, 'the webhook event list');
    },

    async sendValidationEvent() {
      const response = await send({
        api: 'webhooks',
        operation: 'send webhook validation event',
        method: 'POST',
        url: `${registrationUrl}/validationEvents`,
        // Each call sends another test delivery; harmless to repeat.
        idempotent: true,
      });
      return parseResponse(validationEventSchema, response.body, 'the validation event')
        .correlationId;
    },

    async getValidationStatus(correlationId) {
      const response = await send({
        api: 'webhooks',
        operation: `read webhook validation ${correlationId}`,
        method: 'GET',
        url: `${registrationUrl}/validationEvents/${encodeURIComponent(correlationId)}`,
        idempotent: true,
      });
      return parseResponse(validationStatusSchema, response.body, 'the validation status');
    },

    async verifyRegistration(url, { timeoutMs = 60_000, pollIntervalMs = 1_000 } = {}) {
      const registration = await client.getRegistration();
      if (!registration) {
        return {
          ok: false,
          message: 'No webhook is registered. Fix: run `cosell webhook register`.',
        };
      }
      if (!sameUrl(registration.webhookUrl, url)) {
        return {
          ok: false,
          message: `The webhook is registered for ${registration.webhookUrl}, not ${url}. Fix: run \`cosell webhook register\` (it overwrites).`,
        };
      }
      const missing = [...REFERRAL_EVENTS, TEST_EVENT].filter(
        (e) => !registration.webhookEvents.includes(e),
      );
      if (missing.length > 0) {
        return {
          ok: false,
          message: `The webhook registration lacks ${missing.join(', ')}. Fix: run \`cosell webhook register\`.`,
        };
      }
      const correlationId = await client.sendValidationEvent();
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const status = await client.getValidationStatus(correlationId);
        const result = status.results?.at(-1);
        if (status.status.toLowerCase() === 'completed' && result) {
          const responseCode = result.responseCode ?? undefined;
          const ok = responseCode === 'OK' || responseCode === '200';
          return {
            ok,
            correlationId,
            responseCode,
            message: ok
              ? `Partner Center delivered a test event to ${url} and got ${responseCode}.`
              : `Partner Center's test delivery to ${url} failed: ${responseCode ?? 'no response'}${
                  result.responseMessage ? ` (${result.responseMessage})` : ''
                }${systemErrorText(result.systemError)}. Fix: make sure the bridge is running and reachable at that URL over HTTPS.`,
          };
        }
        if (Date.now() + pollIntervalMs > deadline) {
          return {
            ok: false,
            correlationId,
            message: `Partner Center did not report the test delivery ${correlationId} within ${timeoutMs} ms (status "${status.status}"). Fix: check that the bridge is running and its public URL is reachable, then run \`cosell setup\` again.`,
          };
        }
        await sleep(pollIntervalMs);
      }
    },
  };
  return client;
}

function sameUrl(a: string, b: string): boolean {
  const normalise = (u: string) => u.trim().replace(/\/+$/, '').toLowerCase();
  return normalise(a) === normalise(b);
}

/** `systemError: true` means the failure was on Partner Center's side, not the callback's. */
function systemErrorText(systemError: boolean | string | null | undefined): string {
  if (systemError === true) return ' — a Partner Center system error';
  return typeof systemError === 'string' && systemError ? ` — ${systemError}` : '';
}
