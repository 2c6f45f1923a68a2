import express, { type Request, type RequestHandler, type Router } from 'express';
import { FaultBook, faultRuleSchema, type FaultRule } from './faults';
import { RequestStats } from './stats';

export const CONTROL_PREFIX = '/__emulator';

export interface ControlPlaneOptions {
  /** Route key for stats, e.g. `GET /services/data/vXX.X/sobjects/Opportunity/{id}`. */
  routeKey(req: Request): string;
  /** Back to the seeded state (data, tokens, clocks). Faults and stats are cleared by the plane. */
  onReset(): void | Promise<void>;
  /** `{"expireTokens": true}`: every token issued so far must answer as expired. */
  onExpireTokens(): void;
  /** Emulator-specific figures merged into `GET /__emulator/stats`. */
  extraStats?(): Record<string, unknown>;
  /** Rules of an emulator-specific kind; return an error message to reject the rule. */
  validateRule?(rule: FaultRule): string | undefined;
}

export interface ControlPlane {
  /** Mount at CONTROL_PREFIX. Add emulator-specific control routes to it as well. */
  router: Router;
  /** Mount before the emulated API: counts requests and applies HTTP faults. */
  gate: RequestHandler;
  faults: FaultBook;
  stats: RequestStats;
}

/**
 * The control API both emulators share (DESIGN.md contract): reset, request statistics and
 * fault injection. The emulated API itself never sees control requests.
 */
export function createControlPlane(options: ControlPlaneOptions): ControlPlane {
  const faults = new FaultBook();
  const stats = new RequestStats();
  const router = express.Router();
  router.use(express.json({ limit: '5mb' }));

  router.post('/reset', async (_req, res) => {
    faults.clear();
    stats.reset();
    await options.onReset();
    res.json({ reset: true });
  });

  router.get('/stats', (_req, res) => {
    res.json({ ...stats.snapshot(), ...(options.extraStats?.() ?? {}) });
  });

  router.post('/faults', (req, res) => {
    const parsed = faultRuleSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: 'invalid fault rule', issues: parsed.error.issues });
      return;
    }
    const rule = parsed.data;
    const problem = options.validateRule?.(rule);
    if (problem) {
      res.status(400).json({ error: problem });
      return;
    }
    if (rule.expireTokens) options.onExpireTokens();
    const hasEffect = Object.keys(rule).some(
      (k) => !['match', 'times', 'expireTokens'].includes(k),
    );
    const id = hasEffect ? faults.add(rule) : undefined;
    res.status(201).json({ id: id ?? null, rules: faults.list() });
  });

  router.get('/faults', (_req, res) => {
    res.json({ rules: faults.list() });
  });

  router.delete('/faults', (_req, res) => {
    faults.clear();
    res.status(204).end();
  });

  const gate: RequestHandler = (req, res, next) => {
    if (req.path.startsWith(CONTROL_PREFIX)) {
      next();
      return;
    }
    stats.record(options.routeKey(req));
    const rule = faults.take({ method: req.method, path: req.path });
    if (!rule) {
      next();
      return;
    }
    const act = () => {
      if (rule.dropConnection) {
        req.socket.destroy();
        return;
      }
      if (rule.respond) {
        const { status, headers, body } = rule.respond;
        res.status(status);
        for (const [name, value] of Object.entries(headers ?? {})) res.setHeader(name, value);
        if (body === undefined) res.end();
        else if (typeof body === 'string') res.type('text/plain').send(body);
        else res.json(body);
        return;
      }
      next();
    };
    if (rule.latencyMs) {
      const timer = setTimeout(act, rule.latencyMs);
      // A client that gave up (a timeout test) must not keep the delayed handler alive.
      req.socket.once('close', () => clearTimeout(timer));
    } else {
      act();
    }
  };

  return { router, gate, faults, stats };
}
