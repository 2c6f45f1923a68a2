import {
  BUDGET_PAUSE_PREFIX,
  chunks,
  resumesAt,
  summarize,
  syncState,
} from 'c/coSellBulkShareModel';

const PAUSED = `${BUDGET_PAUSE_PREFIX} of 300 calls reached; resumes at 2026-12-06T00:00:00.000Z`;

describe('c/coSellBulkShareModel', () => {
  it.each([
    [{ syncOn: false, status: 'Not Synced' }, 'off'],
    [{ syncOn: true, status: 'Synced', referralId: 'r-1' }, 'shared'],
    [{ syncOn: true, status: 'Synced', referralId: null }, 'sharing'],
    [{ syncOn: true, status: 'Pending', message: PAUSED }, 'waiting'],
    [{ syncOn: true, status: 'Pending', message: null }, 'sharing'],
    [{ syncOn: true, status: 'Error', message: 'Set Amount' }, 'failed'],
  ])('R1: %j is %s', (row, state) => {
    expect(syncState(row)).toBe(state);
  });

  it('summarizes every state and says when nothing moves any more', () => {
    const results = ['shared', 'waiting', 'not-ready', 'failed', 'ready'].map((state) => ({
      state,
    }));
    expect(summarize(results)).toEqual({
      total: 5,
      counts: { ready: 1, 'not-ready': 1, sharing: 0, shared: 1, waiting: 1, failed: 1 },
      settled: true,
    });
    expect(summarize([...results, { state: 'sharing' }]).settled).toBe(false);
  });

  it('cuts work into chunks and reads the reset time of a budget pause', () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(resumesAt(PAUSED)).toBe('2026-12-06T00:00:00.000Z');
    expect(resumesAt('Set Amount')).toBeNull();
  });
});
