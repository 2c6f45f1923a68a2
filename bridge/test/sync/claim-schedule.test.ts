import { nextClaimAt } from '../../src/sync/claim-schedule';

const batching = { size: 3, fillWaitMs: 500 };

describe('claim schedule', () => {
  it('R1: nothing pending → no claim scheduled; a lone job is claimed at its due time', () => {
    expect(nextClaimAt([], batching)).toBeNull();
    expect(nextClaimAt([1_000], batching)).toBe(1_000);
    expect(nextClaimAt([1_000, 1_600], batching)).toBe(1_000);
  });

  it('R1: edits made together close one batch at the last one due within the fill window', () => {
    // 20 quick edits: one claim, one batched read, one write-back (not three).
    expect(nextClaimAt([1_000, 1_050, 1_200], { size: 200, fillWaitMs: 500 })).toBe(1_200);
    expect(nextClaimAt([1_000, 1_200, 1_700], { size: 200, fillWaitMs: 500 })).toBe(1_200);
  });

  it('R1: waits for a full batch that comes due within the fill window of the first job', () => {
    // A bulk change delivered in pieces a few ms apart: one claim, one composite write-back.
    expect(nextClaimAt([1_000, 1_010, 1_400, 1_450], batching)).toBe(1_400);
    expect(nextClaimAt([1_000, 1_010, 1_500], batching)).toBe(1_500);
  });

  it('never holds a job back more than the fill window past its due time', () => {
    expect(nextClaimAt([1_000, 1_010, 1_501], batching)).toBe(1_010);
    expect(nextClaimAt([1_000, 1_501, 1_502], batching)).toBe(1_000);
    // A backlog that is long overdue is claimed at once, not held for late arrivals.
    expect(nextClaimAt([1_000, 1_001, 60_000], batching)).toBe(1_001);
  });

  it('without a fill window every claim is at the earliest due time', () => {
    expect(nextClaimAt([1_000, 1_000, 1_000], { size: 3, fillWaitMs: 0 })).toBe(1_000);
    expect(nextClaimAt([1_000, 1_001], { size: 1, fillWaitMs: 0 })).toBe(1_000);
  });
});

describe('claim schedule while changes still arrive', () => {
  const quiet = { size: 200, fillWaitMs: 500, quietMs: 50 };

  it('R1: a short batch waits until the intake is quiet, so a bulk change arriving in pieces is one batch', () => {
    // Jobs due when they arrived (leading edge); the last delivery came at 1_030.
    expect(nextClaimAt([1_000, 1_010, 1_030], quiet, 1_030)).toBe(1_080);
    // A lone edit pays the quiet time only, not a coalescing window.
    expect(nextClaimAt([1_000], quiet, 1_000)).toBe(1_050);
  });

  it('never waits past the fill window, and a full batch goes at once', () => {
    expect(nextClaimAt([1_000, 1_400], quiet, 1_480)).toBe(1_500);
    expect(
      nextClaimAt([1_000, 1_000, 1_000], { size: 3, fillWaitMs: 500, quietMs: 50 }, 1_000),
    ).toBe(1_000);
    // A long-quiet intake (or none known) leaves the rule above unchanged.
    expect(nextClaimAt([1_000, 1_200], quiet, 100)).toBe(1_200);
    expect(nextClaimAt([1_000, 1_200], quiet)).toBe(1_200);
  });
});
