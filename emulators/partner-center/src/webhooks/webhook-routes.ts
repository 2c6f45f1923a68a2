import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import { toDotNetUtc } from '../clock';
import { newGuid } from '../ids';
import type { DeliveryAttempt, WebhookDispatcher } from './dispatcher';
import { SUPPORTED_EVENTS, type Registration } from './registration';
import { sendWebhookError } from './webhook-error';

export interface WebhookApiState {
  registration?: Registration;
  validations: Map<string, ValidationStatus>;
  /** Times of recent validation requests, for the documented 2 per minute limit. */
  validationRequests: number[];
  /** Delivery id of each test-created event → the validation status its attempts go to. */
  validationByDelivery: Map<number, ValidationStatus>;
}

export function emptyWebhookState(): WebhookApiState {
  return { validations: new Map(), validationRequests: [], validationByDelivery: new Map() };
}

export interface ValidationStatus {
  correlationId: string;
  partnerId: string;
  status: 'pending' | 'completed';
  callbackUrl: string;
  results: Array<{
    /** .NET status name such as `OK` (a string, also when no answer came). */
    responseCode: string;
    responseMessage: string;
    /** True when delivery failed on Partner Center's side (no answer), not by the callback. */
    systemError: boolean;
    dateTimeUtc: string;
  }>;
}

export interface WebhookRoutesOptions {
  state: WebhookApiState;
  dispatcher: WebhookDispatcher;
  now(): number;
  origin(): string;
  partnerId: string;
}

// The API binds JSON case-insensitively; clients send either WebhookUrl or webhookUrl.
const registrationBody = z.preprocess(
  (raw) =>
    raw && typeof raw === 'object' && !Array.isArray(raw)
      ? Object.fromEntries(Object.entries(raw).map(([k, v]) => [k.toLowerCase(), v]))
      : raw,
  z.object({
    webhookurl: z.url({
      protocol: /^https?$/,
      error: 'WebhookUrl must be an absolute http(s) URL',
    }),
    webhookevents: z
      .array(z.enum(SUPPORTED_EVENTS, { error: (i) => `Unsupported event '${String(i.input)}'` }))
      .min(1, 'WebhookEvents must name at least one event'),
    signaturetokentomssignatureheader: z.boolean().optional(),
  }),
);

/** .NET's HttpStatusCode names, which the validation status reports as `responseCode`. */
const STATUS_NAMES: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'NoContent',
  301: 'MovedPermanently',
  302: 'Found',
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  408: 'RequestTimeout',
  409: 'Conflict',
  415: 'UnsupportedMediaType',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

/**
 * Partner Center webhook API (partner-center-webhooks, Webhooks.json): registration (GET, POST
 * → 409 if one exists, PUT replaces), the event list, and validation (test-created) events.
 */
export function createWebhookRouter(options: WebhookRoutesOptions): Router {
  const { state } = options;
  const router = express.Router();
  router.use(express.json({ type: ['application/json', 'text/json', 'application/*+json'] }));

  router.get('/registration/events', (_req, res) => {
    res.json([...SUPPORTED_EVENTS]);
  });

  router.get('/registration', (_req, res) => {
    if (!state.registration) {
      sendWebhookError(res, 404, 404, 'No webhook registration exists for this partner.');
      return;
    }
    res.json(state.registration);
  });

  const save = (req: Request, mode: 'create' | 'replace') => {
    const parsed = registrationBody.safeParse(req.body);
    if (!parsed.success) return { error: parsed.error.issues.map((i) => i.message).join('; ') };
    const body = parsed.data;
    const registration: Registration = {
      SubscriberId: state.registration?.SubscriberId ?? options.partnerId,
      WebhookUrl: body.webhookurl,
      WebhookEvents: [...new Set(body.webhookevents)],
      SignatureTokenToMsSignatureHeader: body.signaturetokentomssignatureheader ?? false,
      LastModifiedTimestamp: new Date(options.now()).toISOString(),
    };
    if (mode === 'create' && state.registration) return { conflict: true };
    state.registration = registration;
    return { registration };
  };

  router.post('/registration', (req, res) => {
    const result = save(req, 'create');
    if ('conflict' in result) {
      sendWebhookError(
        res,
        409,
        409,
        'Registration already exists. Use PUT to update the existing registration.',
      );
    } else if ('error' in result) {
      sendWebhookError(res, 400, 400, String(result.error));
    } else res.json(result.registration);
  });

  router.put('/registration', (req, res) => {
    const result = save(req, 'replace');
    if ('error' in result) sendWebhookError(res, 400, 400, String(result.error));
    else if ('registration' in result) res.json(result.registration);
  });

  router.post('/registration/validationEvents', (_req, res) => {
    const registration = state.registration;
    if (!registration || !registration.WebhookEvents.includes('test-created')) {
      sendWebhookError(
        res,
        400,
        400,
        "Register for the 'test-created' event before requesting a validation event.",
      );
      return;
    }
    const now = options.now();
    state.validationRequests = state.validationRequests.filter((t) => t > now - 60_000);
    if (state.validationRequests.length >= 2) {
      res.setHeader(
        'Retry-After',
        String(Math.ceil((Math.min(...state.validationRequests) + 60_000 - now) / 1000)),
      );
      sendWebhookError(
        res,
        429,
        429,
        'A throttle limit of 2 requests per minute applies to test-created events.',
      );
      return;
    }
    state.validationRequests.push(now);
    const correlationId = newGuid();
    const status: ValidationStatus = {
      correlationId,
      partnerId: options.partnerId,
      status: 'pending',
      callbackUrl: registration.WebhookUrl,
      results: [],
    };
    state.validations.set(correlationId, status);
    const deliveries = options.dispatcher.publish(registration.WebhookUrl, 'test-created', {
      EventName: 'test-created',
      ResourceUri: `${options.origin()}/webhooks/v1/registration/validationEvents/${correlationId}`,
      ResourceName: 'test',
      AuditUri: null,
      ResourceChangeUtcDate: toDotNetUtc(now),
    });
    for (const d of deliveries) state.validationByDelivery.set(d.id, status);
    res.json({ correlationId });
  });

  router.get('/registration/validationEvents/:correlationId', (req, res) => {
    const status = state.validations.get(req.params.correlationId.toLowerCase());
    if (!status) {
      sendWebhookError(
        res,
        404,
        404,
        `No validation event with correlation id '${req.params.correlationId}'.`,
      );
      return;
    }
    res.json(status);
  });

  return router;
}

/** Dispatcher hook: records each test-created attempt in its validation status document. */
export function recordValidationAttempt(
  state: WebhookApiState,
  deliveryId: number,
  attempt: DeliveryAttempt,
): void {
  const status = state.validationByDelivery.get(deliveryId);
  if (!status) return;
  status.status = 'completed';
  status.results.push({
    // No answer at all is reported as a gateway failure on Partner Center's side.
    responseCode:
      attempt.status !== undefined
        ? (STATUS_NAMES[attempt.status] ?? String(attempt.status))
        : 'BadGateway',
    responseMessage:
      attempt.status !== undefined
        ? `Webhook responded with ${attempt.status}`
        : `No response: ${attempt.error ?? 'unknown error'}`,
    systemError: attempt.status === undefined,
    dateTimeUtc: attempt.at,
  });
}
