import { createHash, timingSafeEqual } from 'node:crypto';
import express, {
  type ErrorRequestHandler,
  type Express,
  type RequestHandler,
  type Router,
} from 'express';
import type { Logger } from 'pino';

export interface ReadinessCheck {
  name: string;
  ok: boolean;
  detail?: string;
}

export interface ServerDeps {
  /** Mounted as is; it owns `POST /webhooks/partner-center` (raw body, verify, persist, 2xx). */
  webhookRouter: Router | RequestHandler;
  /** Prometheus exposition text and its content type. */
  metrics: { contentType: string; text(): Promise<string> };
  /** BRIDGE_METRICS_TOKEN: when set, `/metrics` requires `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** Dependencies reachable and replay cursor fresh (DESIGN.md: `GET /readyz`). */
  readiness(): Promise<ReadinessCheck[]>;
  logger: Logger;
}

/**
 * The bridge's HTTP surface (DESIGN.md contract): the webhook receiver, liveness, readiness and
 * metrics. No body parser is mounted globally: the webhook route must see the raw bytes to verify
 * the signature before anything parses them.
 */
export function createApp(deps: ServerDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);

  app.use(deps.webhookRouter);

  // Liveness: the process is up and its event loop turns. Nothing external is consulted, so an
  // outage of Salesforce or Partner Center never gets the bridge restarted in a loop.
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    try {
      const checks = await deps.readiness();
      const ready = checks.every((c) => c.ok);
      res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
    } catch (error) {
      deps.logger.warn({ err: error }, 'readiness check failed');
      res.status(503).json({ status: 'not ready', checks: [] });
    }
  });

  app.get('/metrics', async (req, res) => {
    if (
      deps.metricsToken !== undefined &&
      !bearerMatches(req.get('authorization'), deps.metricsToken)
    ) {
      res
        .status(401)
        .set('WWW-Authenticate', 'Bearer realm="metrics"')
        .json({ error: 'metrics need Authorization: Bearer <BRIDGE_METRICS_TOKEN>' });
      return;
    }
    res.type(deps.metrics.contentType).send(await deps.metrics.text());
  });

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });

  // Express's own last handler answers an error with an HTML page that carries the message and
  // the stack trace unless NODE_ENV is "production", which nothing sets for the bridge: whoever
  // reaches the port would read file paths and internals. The log gets them; the caller does not.
  const unexpected: ErrorRequestHandler = (error, req, res, next) => {
    deps.logger.error(
      { err: error, method: req.method, path: req.path },
      'request failed unexpectedly',
    );
    if (res.headersSent) {
      next(error);
      return;
    }
    res.status(500).type('json').json({ error: 'internal error' });
  };
  app.use(unexpected);

  return app;
}

/** Constant-time comparison (of digests, so the lengths match) of a Bearer header and the token. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim();
  if (!given) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(token));
}
