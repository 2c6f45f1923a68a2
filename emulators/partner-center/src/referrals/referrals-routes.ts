import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { ApiError, badRequest, simpleError } from './api-error';
import { parseListQuery, skipToken } from './list-referrals';
import type { ReferralService } from './referral-service';

export interface ReferralsRoutesOptions {
  service: ReferralService;
  origin(): string;
  /** False when the control API took the user's Referrals admin role away (R2). */
  hasReferralsRole(): boolean;
  pageSize?: number;
}

/**
 * `/v1.0/engagements/referrals` (create-a-referral, get-a-list-of-referrals, patch-a-referral).
 * Mount behind the bearer check for the Referrals audience.
 */
export function createReferralsRouter(options: ReferralsRoutesOptions): Router {
  const { service } = options;
  const router = express.Router();
  router.use((req, res, next) => {
    const correlation = req.get('ms-correlationid');
    if (correlation) res.setHeader('MS-CorrelationId', correlation);
    if (!options.hasReferralsRole()) {
      const user = String(
        (res.locals.grant as { identity?: { username?: string } } | undefined)?.identity
          ?.username ?? 'the user',
      );
      throw simpleError(
        403,
        'forbidden',
        `Access denied: ${user} does not have the Referrals admin role (or Referrals user role) required by the Partner Center Referrals API.`,
      );
    }
    next();
  });
  router.use(
    express.json({
      type: ['application/json', 'text/json', 'application/json-patch+json', 'application/*+json'],
      limit: '1mb',
    }),
  );

  router.post('/', (req, res) => {
    requireJson(req);
    const referral = service.createOutgoing(req.body);
    res
      .status(201)
      .setHeader('ETag', referral.eTag)
      .setHeader('Location', `${options.origin()}/v1.0/engagements/referrals/${referral.id}`);
    res.json(referral);
  });

  router.get('/', (req, res) => {
    const query = parseListQuery(req.query as Record<string, unknown>, options.pageSize);
    if (Array.isArray(query)) throw badRequest(query);
    const page = service.list(query);
    const body: Record<string, unknown> = {
      '@odata.context': `${options.origin()}/v1.0/engagements/$metadata#Referrals`,
      '@odata.count': page.count,
      value: page.items,
    };
    if (page.nextOffset !== undefined) {
      const next = new URLSearchParams();
      for (const [key, value] of Object.entries(query.raw)) {
        if (key !== '$skiptoken' && key !== '$skip') next.set(key, value);
      }
      next.set('$top', String(query.top));
      next.set('$skiptoken', skipToken(page.nextOffset));
      body['@odata.nextLink'] = `${options.origin()}/v1.0/engagements/referrals?${next.toString()}`;
    }
    res.json(body);
  });

  router.get('/:id', (req, res) => {
    const referral = service.get(String(req.params.id));
    res.setHeader('ETag', referral.eTag);
    res.json(referral);
  });

  router.patch('/:id', (req, res) => {
    requireJson(req);
    const referral = service.patch(String(req.params.id), req.body, req.get('if-match'));
    res.setHeader('ETag', referral.eTag);
    if (/return=representation/i.test(req.get('prefer') ?? '')) {
      res.setHeader('Preference-Applied', 'return=representation');
      res.status(200).json(referral);
    } else {
      res.status(204).end();
    }
  });

  router.all('/', methodNotAllowed);
  router.all('/:id', methodNotAllowed);
  router.use(referralsErrorHandler);
  return router;
}

function requireJson(req: Request): void {
  if (
    !req.is(['application/json', 'text/json', 'application/json-patch+json', 'application/*+json'])
  ) {
    throw simpleError(
      415,
      'unsupportedMediaType',
      'The request body must be JSON (Content-Type: application/json).',
    );
  }
}

function methodNotAllowed(req: Request): never {
  throw simpleError(
    405,
    'methodNotAllowed',
    `The HTTP method '${req.method}' is not allowed on this resource.`,
  );
}

/** Express error handler: API errors as their documented bodies, bad JSON as 400. */
export function referralsErrorHandler(
  error: unknown,
  _req: Request,
  res: Response,
  next: NextFunction,
): void {
  if (res.headersSent) {
    next(error);
    return;
  }
  if (error instanceof ApiError) {
    res.status(error.status).json(error.body);
    return;
  }
  const status = (error as { status?: number; type?: string }).status;
  if (status === 400 || (error as { type?: string }).type === 'entity.parse.failed') {
    const e = badRequest([{ target: 'body', message: 'The request body is not valid JSON.' }]);
    res.status(400).json(e.body);
    return;
  }
  if (status === 413) {
    res
      .status(413)
      .json(simpleError(413, 'payloadTooLarge', 'The request body is too large.').body);
    return;
  }
  next(error);
}
