import { z } from 'zod';

/**
 * A fault rule as posted to `POST /__emulator/faults` (contract in DESIGN.md). Unknown keys are
 * kept so each emulator can add its own kinds (e.g. Partner Center's webhook delivery faults).
 */
export const faultRuleSchema = z
  .object({
    match: z
      .object({
        method: z.string().min(1).optional(),
        /** Path prefix, e.g. "/services/data" or "/v1.0/engagements/referrals". */
        path: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    respond: z
      .object({
        status: z.number().int().min(100).max(599),
        headers: z.record(z.string(), z.string()).optional(),
        body: z.unknown().optional(),
      })
      .strict()
      .optional(),
    /** Delay before the request is handled (or answered by `respond`). */
    latencyMs: z.number().int().nonnegative().max(600_000).optional(),
    /** Close the socket without an answer (a network failure as the client sees it). */
    dropConnection: z.boolean().optional(),
    /** How many matching requests the rule applies to; unlimited when absent. */
    times: z.number().int().positive().optional(),
    /** Immediate action: every access token issued so far stops working. */
    expireTokens: z.boolean().optional(),
  })
  .passthrough();

export type FaultRule = z.infer<typeof faultRuleSchema>;

export interface RequestLike {
  method: string;
  path: string;
}

interface StoredRule {
  id: number;
  rule: FaultRule;
  remaining: number;
}

/** Ordered list of fault rules; a request consumes the first rule that matches it. */
export class FaultBook {
  private rules: StoredRule[] = [];
  private nextId = 1;

  add(rule: FaultRule): number {
    const id = this.nextId++;
    this.rules.push({ id, rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
    return id;
  }

  clear(): void {
    this.rules = [];
  }

  list(): Array<FaultRule & { id: number; remaining: number | null }> {
    return this.rules.map((r) => ({
      ...r.rule,
      id: r.id,
      remaining: Number.isFinite(r.remaining) ? r.remaining : null,
    }));
  }

  /**
   * Takes (and counts down) the first rule that matches the request and satisfies `accept`.
   * `accept` lets an emulator look only at rules of its own kind (e.g. webhook delivery faults).
   */
  take(
    req: RequestLike,
    accept: (rule: FaultRule) => boolean = isHttpFault,
  ): FaultRule | undefined {
    const found = this.rules.find((r) => matches(r.rule, req) && accept(r.rule));
    if (!found) return undefined;
    found.remaining -= 1;
    if (found.remaining <= 0) this.rules = this.rules.filter((r) => r !== found);
    return found.rule;
  }
}

/** An HTTP fault is a rule that changes how a request is answered. */
export function isHttpFault(rule: FaultRule): boolean {
  return rule.respond !== undefined || rule.latencyMs !== undefined || rule.dropConnection === true;
}

function matches(rule: FaultRule, req: RequestLike): boolean {
  const m = rule.match;
  if (!m) return true;
  if (m.method && m.method.toUpperCase() !== req.method.toUpperCase()) return false;
  if (m.path && !req.path.startsWith(m.path)) return false;
  return true;
}
