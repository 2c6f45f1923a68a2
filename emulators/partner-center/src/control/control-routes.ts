import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { EmulatorClock } from '../clock';
import type { TokenBook } from '../auth/token-book';
import { referralsErrorHandler } from '../referrals/referrals-routes';
import type { ReferralService } from '../referrals/referral-service';
import type { ReferralStore } from '../referrals/referral-store';
import type { SolutionCatalog } from '../referrals/solution-catalog';
import type { WebhookDispatcher } from '../webhooks/dispatcher';

export interface EmulatorControlOptions {
  clock: EmulatorClock;
  tokens: TokenBook;
  referrals: ReferralService;
  store: ReferralStore;
  solutions: SolutionCatalog;
  dispatcher: WebhookDispatcher;
  roles: { referralsAdmin: boolean };
}

const solutionSchema = z
  .object({
    id: z.string().regex(/^SOL-/, 'solution ids start with SOL-'),
    name: z.string().min(1),
  })
  .strict();
const solutionsBody = z.union([solutionSchema, z.array(solutionSchema)]);
const clockBody = z.object({ advanceMs: z.number().int().nonnegative() }).strict();
const rolesBody = z.object({ referralsAdmin: z.boolean() }).strict();
const tokensBody = z.object({ revokeRefreshTokens: z.literal(true) }).strict();

/** The request body as `schema` reads it, or undefined once a 400 naming `expected` was sent. */
function parseBody<T>(
  schema: z.ZodType<T>,
  req: Request,
  res: Response,
  expected: string,
): T | undefined {
  const parsed = schema.safeParse(req.body);
  if (parsed.success) return parsed.data;
  res.status(400).json({ error: expected, issues: parsed.error.issues });
  return undefined;
}

/**
 * Partner Center specific control routes, added to the shared control router (`/__emulator`):
 * the "Microsoft side" actions, co-sell-ready solutions, clock, role switch and dumps that tests
 * read without touching the request statistics.
 */
export function addPartnerCenterControls(router: Router, options: EmulatorControlOptions): void {
  const { clock, referrals } = options;

  router.post('/microsoft/referrals', (req, res) => {
    const at = typeof req.query.at === 'string' ? req.query.at : undefined;
    res.status(201).json(referrals.createIncoming(req.body, at));
  });

  router.post('/microsoft/referrals/:id', (req, res) => {
    res.json(referrals.microsoftUpdate(String(req.params.id), req.body));
  });

  // Serialized at once, so the live referrals are not copied first (a benchmark polls this with
  // thousands of referrals stored). `?after=N` lists only those changed since `sequence` N.
  router.get('/referrals', (req, res) => {
    const given = req.query.after;
    if (given !== undefined && (typeof given !== 'string' || !/^\d{1,15}$/.test(given))) {
      res.status(400).json({
        error: `after must be a change sequence number (digits only), got ${JSON.stringify(given)}`,
      });
      return;
    }
    const after = given === undefined ? 0 : Number(given);
    const changed = options.store.changedAfter(after);
    res.json({ value: changed.referrals, sequence: changed.sequence });
  });

  router.get('/solutions', (_req, res) => {
    res.json({ value: options.solutions.list() });
  });

  // One object adds (or renames) a solution; an array replaces the whole list.
  router.post('/solutions', (req, res) => {
    const body = parseBody(solutionsBody, req, res, 'invalid solutions');
    if (!body) return;
    if (Array.isArray(body)) options.solutions.replaceAll(body);
    else options.solutions.upsert(body);
    res.json({ value: options.solutions.list() });
  });

  router.get('/clock', (_req, res) => {
    res.json({ now: new Date(clock.now()).toISOString(), offsetMs: clock.offset });
  });

  // Moving time forward also runs what time triggers: unanswered incoming referrals expire.
  router.post('/clock', (req, res) => {
    const body = parseBody(clockBody, req, res, 'expected {"advanceMs": <non-negative integer>}');
    if (!body) return;
    clock.advance(body.advanceMs);
    const expired = referrals.expireDue();
    res.json({ now: new Date(clock.now()).toISOString(), offsetMs: clock.offset, expired });
  });

  router.get('/roles', (_req, res) => {
    res.json(options.roles);
  });

  router.post('/roles', (req, res) => {
    const body = parseBody(rolesBody, req, res, 'expected {"referralsAdmin": true|false}');
    if (!body) return;
    options.roles.referralsAdmin = body.referralsAdmin;
    res.json(options.roles);
  });

  router.post('/tokens', (req, res) => {
    if (!parseBody(tokensBody, req, res, 'expected {"revokeRefreshTokens": true}')) return;
    options.tokens.revokeRefreshTokens();
    res.json({ revokedRefreshTokens: true });
  });

  router.get('/deliveries', (_req, res) => {
    res.json({ value: options.dispatcher.log() });
  });

  router.use(referralsErrorHandler);
}
