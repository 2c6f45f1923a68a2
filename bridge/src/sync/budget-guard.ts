/**
 * R1: the daily Partner Center call budget, enforced before every Referrals API call through the
 * store's per-UTC-day counter (so a restart does not reset it) and reported by `status()`.
 * Wire `beforeApiCall` into the referrals client; it throws before anything is sent.
 */
import { BudgetExhaustedError } from '../errors';
import { budgetPausedMessage } from './failure-policy';
import type { SyncStore } from './ports';

/** The counter name; token and webhook-registration calls are not Referrals API calls. */
export const BUDGETED_API = 'referrals';

export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export function nextUtcMidnight(now: Date): Date {
  const next = new Date(now.getTime());
  next.setUTCHours(24, 0, 0, 0);
  return next;
}

export interface BudgetUsage {
  day: string;
  budget: number;
  used: number;
  left: number;
  resetsAt: string;
  paused: boolean;
}

export interface BudgetGuard {
  /** Throws BudgetExhaustedError when today's budget is spent; otherwise counts the call. */
  beforeApiCall(api: string, operation?: string): Promise<void>;
  usage(): Promise<BudgetUsage>;
  /** Throws when no call is left, without counting (checked before starting a batch). */
  assertAvailable(): Promise<void>;
}

export function createBudgetGuard(options: {
  store: Pick<SyncStore, 'countApiCall' | 'apiCalls'>;
  dailyBudget: number;
  now: () => Date;
  onUsage?: (usage: BudgetUsage) => void;
}): BudgetGuard {
  const { store, dailyBudget, now } = options;

  async function used(day: string): Promise<number> {
    return (await store.apiCalls(day))[BUDGETED_API] ?? 0;
  }

  function exhausted(at: Date): BudgetExhaustedError {
    const resetsAt = nextUtcMidnight(at);
    return new BudgetExhaustedError(budgetPausedMessage(dailyBudget, resetsAt), resetsAt);
  }

  async function usage(): Promise<BudgetUsage> {
    const at = now();
    const day = utcDay(at);
    const count = await used(day);
    return {
      day,
      budget: dailyBudget,
      used: count,
      left: Math.max(0, dailyBudget - count),
      resetsAt: nextUtcMidnight(at).toISOString(),
      paused: count >= dailyBudget,
    };
  }

  return {
    async beforeApiCall(api) {
      if (api !== BUDGETED_API) return;
      const at = now();
      const day = utcDay(at);
      // Check, then count: an attempt refused here is not a call and must not be counted.
      if ((await used(day)) >= dailyBudget) throw exhausted(at);
      const total = await store.countApiCall(BUDGETED_API, day);
      options.onUsage?.({
        day,
        budget: dailyBudget,
        used: total,
        left: Math.max(0, dailyBudget - total),
        resetsAt: nextUtcMidnight(at).toISOString(),
        paused: total >= dailyBudget,
      });
    },
    async assertAvailable() {
      const at = now();
      if ((await used(utcDay(at))) >= dailyBudget) throw exhausted(at);
    },
    usage,
  };
}
