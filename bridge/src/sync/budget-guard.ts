/**
 * R1: the daily Partner Center call budget, enforced before every Referrals API call through the
 * store's per-UTC-day counter (so a restart does not reset it) and reported by `status()`.
 * Wire `beforeApiCall` into the referrals client; it throws before anything is sent.
 */
import { BudgetExhaustedError } from '../errors';
import { budgetPausedMessage } from './failure-policy';
import type { StateStore } from '../store';

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
  /**
   * Gives back a call counted by beforeApiCall that never reached Partner Center (refused
   * connection, timeout before an answer, circuit open): only calls Partner Center saw count.
   */
  refund(api: string): Promise<void>;
}

export function createBudgetGuard(options: {
  store: Pick<StateStore, 'reserveApiCalls' | 'apiCalls' | 'countApiCall'>;
  dailyBudget: number;
  now: () => Date;
  onUsage?: (usage: BudgetUsage) => void;
}): BudgetGuard {
  const { store, dailyBudget, now } = options;

  function usageAt(at: Date, used: number): BudgetUsage {
    return {
      day: utcDay(at),
      budget: dailyBudget,
      used,
      left: Math.max(0, dailyBudget - used),
      resetsAt: nextUtcMidnight(at).toISOString(),
      paused: used >= dailyBudget,
    };
  }

  function exhausted(at: Date): BudgetExhaustedError {
    const resetsAt = nextUtcMidnight(at);
    return new BudgetExhaustedError(budgetPausedMessage(dailyBudget, resetsAt), resetsAt);
  }

  async function usage(): Promise<BudgetUsage> {
    const at = now();
    return usageAt(at, (await store.apiCalls(utcDay(at)))[BUDGETED_API] ?? 0);
  }

  return {
    async beforeApiCall(api) {
      if (api !== BUDGETED_API) return;
      const at = now();
      // Atomic check-and-count: a refused call is not counted, and two workers cannot both
      // take the last call of the day.
      const { granted, total } = await store.reserveApiCalls(BUDGETED_API, utcDay(at), dailyBudget);
      options.onUsage?.(usageAt(at, total));
      if (!granted) throw exhausted(at);
    },
    async refund(api) {
      if (api !== BUDGETED_API) return;
      const at = now();
      const total = await store.countApiCall(BUDGETED_API, utcDay(at), -1);
      options.onUsage?.(usageAt(at, total));
    },
    async assertAvailable() {
      const current = await usage();
      if (current.paused) throw exhausted(now());
    },
    usage,
  };
}
