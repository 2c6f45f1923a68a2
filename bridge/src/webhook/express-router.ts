import express, { type ErrorRequestHandler, type Router } from 'express';
import type { Logger } from 'pino';
import { WebhookRejectedError } from './rejected-error';
import { DEFAULT_MAX_BODY_BYTES, type WebhookVerifier } from './verifier';
import type { VerifiedWebhookEvent } from './webhook-event';

/**
 * Express adapter for the verifier: `POST /webhooks/partner-center` (DESIGN.md contract).
 * The raw body is captured (never `express.json()` first: the signature covers the exact bytes),
 * verified, handed to `onEvent` — where the engine persists it to the inbox — and only then
 * acknowledged. If `onEvent` fails the answer is 503, so Partner Center delivers again: the bridge
 * never acknowledges what it has not stored.
 */

export const WEBHOOK_ROUTE = '/webhooks/partner-center';

export interface WebhookRouterOptions {
  verifier: WebhookVerifier;
  /** Persist the referral event (inbox). Called only for verified `referral` events. */
  onEvent: (event: VerifiedWebhookEvent, rawBody: Buffer) => Promise<void>;
  logger: Logger;
  maxBodyBytes?: number;
}

/** The same rejection is a warning at most once per this interval; repeats are counted in it. */
export const REJECTION_WARNING_INTERVAL_MS = 60_000;
/**
 * Warnings about rejections per interval, whatever their reasons. A reason can quote the request
 * (the certificate host it names), so a sender varying it would otherwise get one warning per
 * delivery; past this, rejections are debug lines counted into the next warning.
 */
export const MAX_REJECTION_WARNINGS_PER_INTERVAL = 10;

export function createWebhookRouter(options: WebhookRouterOptions): Router {
  const log = options.logger;
  const router = express.Router();
  // A flood of forged deliveries must not become a flood of warnings: one per reason and minute,
  // saying how many were folded into it; each one is still at debug.
  const warned = new Map<string, { at: number; suppressed: number }>();
  const window = { start: 0, warnings: 0, unwarned: 0 };
  const logRejection = (fields: { status: number; reason: string; remoteAddress?: string }) => {
    const key = `${fields.status} ${fields.reason}`;
    const at = Date.now();
    if (at - window.start >= REJECTION_WARNING_INTERVAL_MS) {
      window.start = at;
      window.warnings = 0;
    }
    const last = warned.get(key);
    if (last && at - last.at < REJECTION_WARNING_INTERVAL_MS) {
      last.suppressed += 1;
      log.debug(fields, 'webhook rejected');
      return;
    }
    if (window.warnings >= MAX_REJECTION_WARNINGS_PER_INTERVAL) {
      window.unwarned += 1;
      log.debug(fields, 'webhook rejected');
      return;
    }
    if (warned.size >= 64) warned.clear();
    warned.set(key, { at, suppressed: 0 });
    window.warnings += 1;
    log.warn(
      {
        ...fields,
        ...(last?.suppressed ? { alsoRejectedSinceLastWarning: last.suppressed } : {}),
        ...(window.unwarned ? { otherRejectionsNotWarned: window.unwarned } : {}),
      },
      'webhook rejected',
    );
    window.unwarned = 0;
  };

  router.post(
    WEBHOOK_ROUTE,
    // Every content type is read raw so the verifier, not the body parser, decides on 415.
    // inflate:false — a compressed body would be verified against bytes we did not receive.
    express.raw({
      type: () => true,
      limit: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      inflate: false,
    }),
    async (req, res) => {
      const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      let event: VerifiedWebhookEvent;
      try {
        event = await options.verifier.verify({ headers: req.headers, rawBody });
      } catch (error) {
        if (error instanceof WebhookRejectedError) {
          logRejection({ status: error.status, reason: error.reason, remoteAddress: req.ip });
          if (error.status === 503) res.setHeader('Retry-After', '60');
          res.status(error.status).json({ error: error.reason });
          return;
        }
        log.error({ err: error }, 'webhook verification failed unexpectedly');
        res.status(500).json({ error: 'internal error while verifying the delivery' });
        return;
      }

      const summary = {
        eventName: event.EventName,
        referralId: event.referralId,
        deliveryKey: event.deliveryKey,
      };
      if (event.kind === 'unknown') {
        log.info(summary, 'webhook event ignored: not a referral event');
        res
          .status(202)
          .json({ status: 'ignored', reason: `event ${event.EventName} is not handled` });
        return;
      }
      if (event.kind === 'test') {
        log.info(summary, 'webhook test event received');
        res.status(200).json({ status: 'ok' });
        return;
      }
      try {
        await options.onEvent(event, rawBody);
      } catch (error) {
        log.error(
          { ...summary, err: error },
          'webhook event could not be stored; asking Partner Center to retry',
        );
        res.setHeader('Retry-After', '30');
        res.status(503).json({ error: 'the event could not be stored; please deliver it again' });
        return;
      }
      // Debug: what the delivery led to is the inbound worker's outcome line (info when it changed
      // something, debug for echoes of our own writes), so a bulk switch-on logs one line per deal
      // at info, not two (issue 17: pino's writes were ~9% of the bulk run's busy CPU).
      log.debug(summary, 'webhook event stored');
      res.status(200).json({ status: 'received' });
    },
  );

  const bodyErrors: ErrorRequestHandler = (
    error: { type?: string; status?: number },
    req,
    res,
    next,
  ) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const status =
      error.type === 'entity.too.large' ? 413 : error.type === 'encoding.unsupported' ? 415 : 400;
    const reason =
      status === 413
        ? 'the body is too large'
        : status === 415
          ? 'compressed bodies are not accepted'
          : 'the body could not be read';
    logRejection({ status, reason, remoteAddress: req.ip });
    res.status(status).json({ error: reason });
  };
  router.use(WEBHOOK_ROUTE, bodyErrors);
  return router;
}
