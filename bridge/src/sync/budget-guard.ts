/**
 * R1: the daily Partner Center call budget, enforced before every Referrals API call through the
 * store's per-UTC-day counter (so a restart does not reset it) and reported by `status()`.
 * Wire `beforeApiCall` into the referrals client; it throws before anything is sent.
 *
 * Calls are reserved in blocks (`reserveBlock`): one durable store transaction counts several
 * calls at once, and they are handed out from memory. The profile of a bulk switch-on showed the
 * fsynced transaction per call as the largest single cost (node:sqlite blocks the event loop for
 * each commit). Counting ahead is the safe direction: a crash loses at most the unused part of a
 * block, which then stays counted (the budget is under-used that day, never exceeded), while
 * nothing is ever sent that was not counted durably first. Unused calls go back to the store when
 * the guard has been idle for `releaseAfterMs` and at shutdown (`release()`), so `cosell status`
 * and other replicas see the true count whenever the bridge is quiet.
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
  /** Gives the calls reserved but not handed out back to the store (at shutdown). */
  release(): Promise<void>;
}

export function createBudgetGuard(options: {
  store: Pick<StateStore, 'reserveApiCalls' | 'apiCalls' | 'countApiCall'>;
  dailyBudget: number;
  now: () => Date;
  onUsage?: (usage: BudgetUsage) => void;
  /** Calls counted per store transaction (default 1: every call its own transaction). */
  reserveBlock?: number;
  /** Unused reserved calls go back to the store after this long without a call (default 1 s). */
  releaseAfterMs?: number;
}): BudgetGuard {
  const { store, dailyBudget, now } = options;
  const block = Math.max(1, Math.floor(options.reserveBlock ?? 1));
  // Calls counted in the store for `held.day` and not yet handed out; `counted` is the day's store
  // total as of this guard's last reservation (for the gauge between reservations).
  const held = { day: '', count: 0, counted: 0 };
  // Refills and releases run one at a time; handing out a held call needs no lock (one tick).
  let lock: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const next = lock.then(work, work);
    lock = next.catch(() => undefined);
    return next;
  };
  let idleTimer: NodeJS.Timeout | undefined;
  const armIdleRelease = () => {
    if (block === 1) return;
    if (idleTimer) {
      idleTimer.refresh();
      return;
    }
    idleTimer = setTimeout(() => {
      idleTimer = undefined;
      void guard.release().catch(() => undefined);
    }, options.releaseAfterMs ?? 1_000);
    idleTimer.unref();
  };

  /** Takes one held call of `day`, if any. */
  function takeHeld(day: string): boolean {
    if (held.day !== day || held.count === 0) return false;
    held.count -= 1;
    return true;
  }

  async function giveBack(): Promise<void> {
    if (held.count === 0) return;
    const { day, count } = held;
    held.count = 0;
    held.counted = await store.countApiCall(BUDGETED_API, day, -count);
  }

  /** Reserves a block (or what is left of the day's budget) and takes one call of it. */
  async function refill(day: string): Promise<{ granted: boolean; total: number }> {
    // Another caller may have refilled while this one waited for the lock.
    if (takeHeld(day)) return { granted: true, total: held.counted };
    if (held.day !== day) await giveBack();
    let size = block;
    let reserved = await store.reserveApiCalls(BUDGETED_API, day, dailyBudget, size);
    if (!reserved.granted && block > 1) {
      // Near the end of the day's budget: take exactly what is left, so none of it is wasted.
      size = Math.min(block, dailyBudget - reserved.total);
      if (size < 1) return reserved;
      reserved = await store.reserveApiCalls(BUDGETED_API, day, dailyBudget, size);
    }
    if (!reserved.granted) return reserved;
    // `+=`: a refund may have come back to `held` while the reservation was awaited.
    if (held.day !== day) held.count = 0;
    held.day = day;
    held.count += size - 1;
    held.counted = reserved.total;
    return reserved;
  }

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

  /** The day's count in the store, less the calls this guard holds but has not handed out. */
  async function usedOn(day: string): Promise<number> {
    const counted = (await store.apiCalls(day))[BUDGETED_API] ?? 0;
    return counted - (held.day === day ? held.count : 0);
  }

  async function usage(): Promise<BudgetUsage> {
    const at = now();
    return usageAt(at, await usedOn(utcDay(at)));
  }

  const guard: BudgetGuard = {
    async beforeApiCall(api) {
      if (api !== BUDGETED_API) return;
      const at = now();
      const day = utcDay(at);
      armIdleRelease();
      // A held call is counted durably already. Otherwise an atomic check-and-count: a refused
      // call is not counted, and two workers (or replicas) cannot both take the last call.
      const granted = takeHeld(day) || (await serially(() => refill(day))).granted;
      if (granted) {
        options.onUsage?.(usageAt(at, held.counted - held.count));
        return;
      }
      options.onUsage?.(usageAt(at, await usedOn(day)));
      throw exhausted(at);
    },
    async refund(api) {
      if (api !== BUDGETED_API) return;
      const at = now();
      const day = utcDay(at);
      if (block > 1 && held.day === day) {
        // Still counted in the store: hold it again for the next call (or the idle release).
        held.count += 1;
        armIdleRelease();
        options.onUsage?.(usageAt(at, held.counted - held.count));
        return;
      }
      const total = await store.countApiCall(BUDGETED_API, day, -1);
      options.onUsage?.(usageAt(at, total));
    },
    async assertAvailable() {
      const at = now();
      const day = utcDay(at);
      if (held.day === day && held.count > 0) return;
      const current = await usage();
      if (current.paused) throw exhausted(at);
    },
    async release() {
      clearTimeout(idleTimer);
      idleTimer = undefined;
      await serially(giveBack);
      if (block > 1) options.onUsage?.(await usage());
    },
    usage,
  };
  return guard;
}
