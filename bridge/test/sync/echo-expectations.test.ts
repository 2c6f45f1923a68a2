import {
  createEchoExpectations,
  ECHO_EXPECTATION_TTL_MS,
  ECHO_PRUNE_INTERVAL_MS,
} from '../../src/sync/echo';

/**
 * R1: after Partner Center's documented 204 the bridge cannot know the time of its own change,
 * so its echo is recognised by count (one expected echo per 204 PATCH), never by guesswork.
 */
describe('expected echoes of 204 PATCHes', () => {
  let now = 1_000_000;
  const inFlight = () => createEchoExpectations(() => now);
  const REF = 'referral-1';
  const T1 = '2026-12-04T10:00:00.1234567Z';
  const T2 = '2026-12-04T10:00:01.0000001Z';

  it('R1: one 204 explains one change; a second event for the same change is explained too', () => {
    const echoes = inFlight();
    echoes.expect(REF);
    expect(echoes.take(REF, [T1, T1])).toBe(true);
    // related-referral-updated for the same change, claimed in a later batch.
    expect(echoes.take(REF, [T1])).toBe(true);
    // A further change is not ours: it must be read.
    expect(echoes.take(REF, [T2])).toBe(false);
  });

  it('R1: more changes than expected echoes are not taken at all (the referral is read)', () => {
    const echoes = inFlight();
    echoes.expect(REF);
    expect(echoes.take(REF, [T1, T2])).toBe(false);
    // The expectation is still there for the echo alone.
    expect(echoes.take(REF, [T1])).toBe(true);
  });

  it('R13: a read state forgets the expectations; an echo that never came expires', () => {
    const echoes = inFlight();
    echoes.expect(REF);
    echoes.forget(REF);
    expect(echoes.take(REF, [T1])).toBe(false);

    echoes.expect(REF);
    now += ECHO_EXPECTATION_TTL_MS + 1;
    expect(echoes.take(REF, [T1])).toBe(false);
    expect(echoes.take('other-referral', [T1])).toBe(false);
  });

  it('holds only referrals with live expectations: expired ones go, deliveries add none', () => {
    const echoes = inFlight();
    for (let i = 0; i < 1_000; i += 1) echoes.expect(`patched-${i}`);
    // Webhooks for referrals we never patched (Microsoft's) leave nothing behind.
    for (let i = 0; i < 1_000; i += 1) expect(echoes.take(`microsoft-${i}`, [T1])).toBe(false);
    expect(echoes.size).toBe(1_000);

    now += ECHO_EXPECTATION_TTL_MS + ECHO_PRUNE_INTERVAL_MS;
    echoes.expect(REF);
    expect(echoes.size).toBe(1);
    expect(echoes.take(REF, [T1])).toBe(true);
  });
});
