import type { Router } from 'express';
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

/**
 * Partner Center specific control routes, added to the shared control router (`/__emulator`):
 * the "Microsoft side" actions, co-sell-ready solutions, clock, role switch and dumps that tests
 * read without touching the request statistics.
 */
export function addPartnerCenterControls(router: Router, options: EmulatorControlOptions): void {
  const { clock, referrals } = options;

  router.post('/microsoft/referrals', (req, res) => {
    res.status(201).json(referrals.createIncoming(req.body));
  });

  router.post('/microsoft/referrals/:id', (req, res) => {
    res.json(referrals.microsoftUpdate(String(req.params.id), req.body));
  });

  router.get('/referrals', (_req, res) => {
    res.json({ value: options.store.all() });
  });

  router.get('/solutions', (_req, res) => {
    res.json({ value: options.solutions.list() });
  });

  // One object adds (or renames) a solution; an array replaces the whole list.
  router.post('/solutions', (req, res) => {
    const parsed = solutionsBody.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: 'invalid solutions', issues: parsed.error.issues });
      return;
    }
    if (Array.isArray(parsed.data)) options.solutions.replaceAll(parsed.data);
    else options.solutions.upsert(parsed.data);
    res.json({ value: options.solutions.list() });
  });

  router.get('/clock', (_req, res) => {
    res.json({ now: new Date(clock.now()).toISOString(), offsetMs: clock.offset });
  });

  // Moving time forward also runs what time triggers: unanswered incoming referrals expire.
  router.post('/clock', (req, res) => {
    const parsed = clockBody.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({
        error: 'expected {"advanceMs": <non-negative integer>}',
        issues: parsed.error.issues,
      });
      return;
    }
    clock.advance(parsed.data.advanceMs);
    const expired = referrals.expireDue();
    res.json({ now: new Date(clock.now()).toISOString(), offsetMs: clock.offset, expired });
  });

  router.get('/roles', (_req, res) => {
    res.json(options.roles);
  });

  router.post('/roles', (req, res) => {
    const parsed = rolesBody.safeParse(req.body);
    if (!parsed.success) {
      res
        .status(400)
        .json({ error: 'expected {"referralsAdmin": true|false}', issues: parsed.error.issues });
      return;
    }
    options.roles.referralsAdmin = parsed.data.referralsAdmin;
    res.json(options.roles);
  });

  router.post('/tokens', (req, res) => {
    const parsed = tokensBody.safeParse(req.body);
    if (!parsed.success) {
      res
        .status(400)
        .json({ error: 'expected {"revokeRefreshTokens": true}', issues: parsed.error.issues });
      return;
    }
    options.tokens.revokeRefreshTokens();
    res.json({ revokedRefreshTokens: true });
  });

  router.get('/deliveries', (_req, res) => {
    res.json({ value: options.dispatcher.log() });
  });

  router.use(referralsErrorHandler);
}
