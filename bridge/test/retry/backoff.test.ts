import fc from 'fast-check';
import { backoffDelayMs, parseRetryAfter } from '../../src/retry';

describe('backoffDelayMs', () => {
  const policy = { baseMs: 100, maxMs: 10_000 };

  it('grows the ceiling exponentially and never exceeds the cap', () => {
    expect(backoffDelayMs(1, policy, undefined, () => 0.999)).toBeLessThan(100);
    expect(backoffDelayMs(4, policy, undefined, () => 0.999)).toBeGreaterThan(700);
    expect(backoffDelayMs(40, policy, undefined, () => 0.999)).toBeLessThan(10_000);
  });

  it('stays within (0, cap] for any attempt and random draw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -5, max: 1_000 }),
        fc.double({ min: 0, max: 0.9999, noNaN: true }),
        (attempt, r) => {
          const delay = backoffDelayMs(attempt, policy, undefined, () => r);
          return delay > 0 && delay <= policy.maxMs;
        },
      ),
    );
  });

  it('honours a server Retry-After, capped by the policy', () => {
    expect(backoffDelayMs(1, policy, 2_500)).toBe(2_500);
    expect(backoffDelayMs(1, policy, 60_000)).toBe(10_000);
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
  });

  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('')).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
