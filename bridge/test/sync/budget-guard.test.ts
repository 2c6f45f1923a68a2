import { BudgetExhaustedError } from '../../src/errors';
import { openStore } from '../../src/store';
import { createBudgetGuard, nextUtcMidnight } from '../../src/sync/budget-guard';
import { waitFor } from '../../../test/support/wait-for';

describe('budget guard', () => {
  it.each([1, 32])(
    'R1: counts Referrals API calls per UTC day, refuses the one over budget without counting it, and resets at midnight (block of %i)',
    async (reserveBlock) => {
      const store = openStore('sqlite::memory:');
      let now = new Date('2026-03-01T23:59:00Z');
      const guard = createBudgetGuard({ store, dailyBudget: 2, now: () => now, reserveBlock });
      await guard.beforeApiCall('referrals');
      await guard.beforeApiCall('token');
      await guard.beforeApiCall('referrals');
      const refused = guard.beforeApiCall('referrals');
      await expect(refused).rejects.toBeInstanceOf(BudgetExhaustedError);
      await expect(refused).rejects.toMatchObject({ resetsAt: new Date('2026-03-02T00:00:00Z') });
      expect(await guard.usage()).toMatchObject({ used: 2, left: 0, paused: true });

      now = new Date('2026-03-02T00:00:01Z');
      await guard.beforeApiCall('referrals');
      expect(await guard.usage()).toMatchObject({
        day: '2026-03-02',
        used: 1,
        left: 1,
        paused: false,
      });
      await guard.release();
      expect(await store.apiCalls('2026-03-02')).toEqual({ referrals: 1 });
      await store.close();
    },
  );

  /** The real store, counting its reservation transactions. */
  function countingStore() {
    const store = openStore('sqlite::memory:');
    const counter = { reservations: 0 };
    const reserveApiCalls: typeof store.reserveApiCalls = (...args) => {
      counter.reservations += 1;
      return store.reserveApiCalls(...args);
    };
    return {
      store: Object.assign(Object.create(store) as typeof store, { reserveApiCalls }),
      counter,
      real: store,
    };
  }

  it('R1: reserves a block of calls in one transaction and takes exactly what is left at the end of the budget', async () => {
    const { store, counter, real } = countingStore();
    const now = () => new Date('2026-03-01T12:00:00Z');
    const guard = createBudgetGuard({ store, dailyBudget: 5, now, reserveBlock: 3 });
    // Eight workers at once: five get a call, three are refused; nothing over budget is counted.
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => guard.beforeApiCall('referrals')),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    expect(
      results
        .filter((r) => r.status === 'rejected')
        .map((r) => (r as PromiseRejectedResult).reason),
    ).toEqual(Array.from({ length: 3 }, () => expect.any(BudgetExhaustedError)));
    // The five calls took three transactions (a block of 3, a refused 3, the 2 left), and each
    // refused caller one more look at the store.
    expect(counter.reservations).toBe(6);
    expect(await real.apiCalls('2026-03-01')).toEqual({ referrals: 5 });
    expect(await guard.usage()).toMatchObject({ used: 5, left: 0, paused: true });
    await real.close();
  });

  it('R1: calls reserved ahead count as used in the store until given back, at shutdown or when idle; a refund is held for the next call', async () => {
    const store = openStore('sqlite::memory:');
    const now = () => new Date('2026-03-01T12:00:00Z');
    const guard = createBudgetGuard({ store, dailyBudget: 100, now, reserveBlock: 32 });
    await guard.beforeApiCall('referrals');
    await guard.beforeApiCall('referrals');
    await guard.refund('referrals');
    // Counted ahead durably (a crash now over-counts by the unused part, never under-counts)...
    expect(await store.apiCalls('2026-03-01')).toEqual({ referrals: 32 });
    // ...but the guard reports what was really used.
    expect(await guard.usage()).toMatchObject({ used: 1, left: 99 });
    await guard.release();
    expect(await store.apiCalls('2026-03-01')).toEqual({ referrals: 1 });

    const idle = createBudgetGuard({
      store,
      dailyBudget: 100,
      now,
      reserveBlock: 32,
      releaseAfterMs: 20,
    });
    await idle.beforeApiCall('referrals');
    expect(await store.apiCalls('2026-03-01')).toEqual({ referrals: 33 });
    await waitFor(async () => (await store.apiCalls('2026-03-01')).referrals === 2, {
      timeoutMs: 5_000,
      intervalMs: 10,
      description: 'the idle guard to give its unused calls back',
    });
    await store.close();
  });

  it('R1: a guard dropped without giving back (a crash) leaves its block counted, and the next one never passes the budget', async () => {
    const store = openStore('sqlite::memory:');
    const now = () => new Date('2026-03-01T12:00:00Z');
    const crashed = createBudgetGuard({ store, dailyBudget: 40, now, reserveBlock: 32 });
    await crashed.beforeApiCall('referrals');
    const next = createBudgetGuard({ store, dailyBudget: 40, now, reserveBlock: 32 });
    let granted = 0;
    for (;;) {
      try {
        await next.beforeApiCall('referrals');
        granted += 1;
      } catch (error) {
        expect(error).toBeInstanceOf(BudgetExhaustedError);
        break;
      }
    }
    // 1 sent + 31 lost to the crash (counted, not sent) + 8 = the budget, never more.
    expect(granted).toBe(8);
    expect(await store.apiCalls('2026-03-01')).toEqual({ referrals: 40 });
    await store.close();
  });

  it("R1: at midnight the unused calls go back to yesterday's count and today's block starts", async () => {
    const store = openStore('sqlite::memory:');
    let now = new Date('2026-03-01T23:59:59Z');
    const guard = createBudgetGuard({ store, dailyBudget: 100, now: () => now, reserveBlock: 10 });
    await guard.beforeApiCall('referrals');
    now = new Date('2026-03-02T00:00:01Z');
    await guard.beforeApiCall('referrals');
    expect(await store.apiCalls('2026-03-01')).toEqual({ referrals: 1 });
    expect(await store.apiCalls('2026-03-02')).toEqual({ referrals: 10 });
    expect(await guard.usage()).toMatchObject({ day: '2026-03-02', used: 1 });
    await guard.release();
    await store.close();
  });

  it('next reset is the coming UTC midnight', () => {
    expect(nextUtcMidnight(new Date('2026-03-01T00:00:00Z')).toISOString()).toBe(
      '2026-03-02T00:00:00.000Z',
    );
  });
});
