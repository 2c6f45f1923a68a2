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
  /**
   * Behaviour Microsoft does not document, for clients written against an older emulator: an
   * `ETag` response header on create/get/patch/put, 201 + `Location` on create, and the referral
   * after PATCH with `Prefer: return=representation`. Off by default.
   */
  undocumentedConveniences?: boolean;
}

/**
 * `/v1.0/engagements/referrals` (create-a-referral, get-a-list-of-referrals, patch-a-referral).
 * Mount behind the bearer check for the Referrals audience.
 */
export function createReferralsRouter(options: ReferralsRoutesOptions): Router {
  const { service } = options;
  const router = express.Router();
  router.use((req, res, next) => {
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

  // POST is declared 200 with the referral (no Location, no ETag header: the eTag is a field).
  router.post('/', (req, res) => {
    requireJson(req);
    const referral = service.createOutgoing(req.body);
    if (options.undocumentedConveniences) {
      res
        .status(201)
        .setHeader('ETag', referral.eTag)
        .setHeader('Location', `${options.origin()}/v1.0/engagements/referrals/${referral.id}`);
    } else res.status(200);
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
      // Option names stay literal (`?$skiptoken=…`, as Microsoft's sample link has them).
      const next = Object.entries({ ...query.raw, $skiptoken: skipToken(page.nextOffset) })
        .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
        .join('&');
      body['@odata.nextLink'] = `${options.origin()}/v1.0/engagements/referrals?${next}`;
    }
    res.json(body);
  });

  router.get('/:id', (req, res) => {
    const referral = service.get(String(req.params.id));
    if (options.undocumentedConveniences) res.setHeader('ETag', referral.eTag);
    res.json({
      '@odata.context': `${options.origin()}/v1.0/engagements/$metadata#Referrals/$entity`,
      ...referral,
    });
  });

  // PATCH (field updates and deal registrations, also at `/{id}/`): 204 No Content, also when
  // `Prefer: return=representation` is sent; the new eTag is read with GET.
  router.patch('/:id', (req, res) => {
    requireJson(req);
    const referral = service.patch(String(req.params.id), req.body, req.get('if-match'));
    if (!options.undocumentedConveniences) {
      res.status(204).end();
      return;
    }
    res.setHeader('ETag', referral.eTag);
    if (/return=representation/i.test(req.get('prefer') ?? '')) {
      res.setHeader('Preference-Applied', 'return=representation');
      res.status(200).json(referral);
    } else res.status(204).end();
  });

  // The deprecated full update: If-Match required, 200 with the referral.
  router.put('/:id', (req, res) => {
    requireJson(req);
    const referral = service.replace(String(req.params.id), req.body, req.get('if-match'));
    if (options.undocumentedConveniences) res.setHeader('ETag', referral.eTag);
    res.status(200).json(referral);
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
