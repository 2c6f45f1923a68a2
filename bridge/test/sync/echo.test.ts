/**
 * sync/echo.ts: every decision that a change is only the echo of the bridge's own write, without
 * emulators. R9 (our Salesforce write-back does not come back as outbound work) and R1 (our
 * Partner Center write does not cost a read).
 */
import {
  createEchoExpectations,
  isOwnEcho,
  isOwnSalesforceChange,
  onlyEchoesOfOurWrites,
} from '../../src/sync/echo';

describe('isOwnSalesforceChange (R9)', () => {
  it.each([
    ['com/salesforce/api/rest/62.0;client=cosell-bridge', true],
    ['com/salesforce/api/soap/61.0;client=cosell-bridge/', true],
    ['com/salesforce/api/rest/62.0;client=Workbench/', false],
    ['com/salesforce/api/rest/62.0;client=cosell-bridge-2', false],
    ['com/salesforce/api/rest/62.0', false],
    ['com.salesforce.core', false],
    ['', false],
  ])('%s → %s', (changeOrigin, expected) => {
    expect(isOwnSalesforceChange({ changeOrigin }, 'cosell-bridge')).toBe(expected);
  });
});

describe('isOwnEcho (R1, by time)', () => {
  const stored = { updatedDateTime: '2026-12-04T10:00:00.1234567Z' };

  it('a change not newer than the stored state is our echo, at full precision', () => {
    expect(isOwnEcho('2026-12-04T10:00:00.1234567Z', stored)).toBe(true);
    expect(isOwnEcho('2026-12-04T10:00:00.1234566Z', stored)).toBe(true);
    expect(isOwnEcho('2026-12-04T10:00:00.1234568Z', stored)).toBe(false);
  });

  it('without a change time or a stored time nothing is an echo', () => {
    expect(isOwnEcho(null, stored)).toBe(false);
    expect(isOwnEcho('2026-12-04T10:00:00Z', undefined)).toBe(false);
    expect(isOwnEcho('2026-12-04T10:00:00Z', { updatedDateTime: null })).toBe(false);
  });
});

describe('onlyEchoesOfOurWrites (R1: one referral’s claimed deliveries)', () => {
  const REF = 'referral-1';
  const link = { updatedDateTime: '2026-12-04T10:00:00.0000000Z' };
  const older = { source: 'webhook' as const, resourceChangeUtc: '2026-12-04T09:59:59Z' };
  const newer = { source: 'webhook' as const, resourceChangeUtc: '2026-12-04T10:00:05Z' };

  it('deliveries the stored state already covers are echoes, with no expectation used', () => {
    const expectations = createEchoExpectations(() => 0);
    expect(onlyEchoesOfOurWrites(REF, [older], link, expectations)).toBe(true);
  });

  it('a newer change is an echo only while a 204 PATCH’s echo is expected, and uses it up', () => {
    const expectations = createEchoExpectations(() => 0);
    expect(onlyEchoesOfOurWrites(REF, [newer], link, expectations)).toBe(false);
    expectations.expect(REF);
    expect(onlyEchoesOfOurWrites(REF, [older, newer], link, expectations)).toBe(true);
    const later = { ...newer, resourceChangeUtc: '2026-12-04T10:00:09Z' };
    expect(onlyEchoesOfOurWrites(REF, [later], link, expectations)).toBe(false);
  });

  it('a listed (catch-up) state, a delivery without a time, or no link is never taken by count', () => {
    const expectations = createEchoExpectations(() => 0);
    expectations.expect(REF);
    expectations.expect(REF);
    expect(
      onlyEchoesOfOurWrites(REF, [{ ...newer, source: 'catch-up' as const }], link, expectations),
    ).toBe(false);
    expect(
      onlyEchoesOfOurWrites(REF, [{ ...newer, resourceChangeUtc: null }], link, expectations),
    ).toBe(false);
    expect(onlyEchoesOfOurWrites(REF, [newer], undefined, expectations)).toBe(false);
    expect(onlyEchoesOfOurWrites(REF, [newer], link, undefined)).toBe(false);
    // None of those used an expectation up.
    expect(expectations.take(REF, ['a', 'b'])).toBe(true);
  });
});
