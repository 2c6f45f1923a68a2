import { BudgetExhaustedError } from '../../src/errors';
import { openStore } from '../../src/store';
import { createBudgetGuard, nextUtcMidnight } from '../../src/sync/budget-guard';

describe('budget guard', () => {
  it('R1: counts Referrals API calls per UTC day, refuses the one over budget without counting it, and resets at midnight', async () => {
    const store = openStore('sqlite::memory:');
    let now = new Date('2026-03-01T23:59:00Z');
    const guard = createBudgetGuard({ store, dailyBudget: 2, now: () => now });
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
    await store.close();
  });

  it('next reset is the coming UTC midnight', () => {
    expect(nextUtcMidnight(new Date('2026-03-01T00:00:00Z')).toISOString()).toBe(
      '2026-03-02T00:00:00.000Z',
    );
  });
});
