/**
 * CI guard for the benchmark's key ratios (docs/BENCHMARKS.md): the cheapest scenarios of the
 * quick profile — steady edits and the 50-edit burst — run against the bridge and against the
 * flow-style baseline model on real emulator processes, and the figures are read from the
 * emulators' request statistics.
 */
import { PROFILES } from '../../bench/profiles';
import { isReferralsApiRoute } from '../../bench/stats';
import { runSuite, type SuiteResults } from '../../bench/suite';

// Smaller than the quick profile and both systems at once: this guards call counts, which do not
// depend on timing; the timed figures come from `npm run bench`, one system at a time.
const profile = {
  ...PROFILES.quick,
  steady: { opportunities: 4, rounds: 2 },
  baseline: { ...PROFILES.quick.baseline, pollIntervalMs: 1_000 },
};

describe('benchmark targets (quick profile, steady + burst)', () => {
  let results: SuiteResults;

  beforeAll(async () => {
    results = await runSuite({ profile, scenarios: ['steady', 'burst'], parallel: true });
  }, 90_000);

  it('ran every scenario for both systems', () => {
    expect(results.details.ours.failures).toEqual({});
    expect(results.details.baseline.failures).toEqual({});
  });

  it('R1: a 50-edit burst costs at most 2 Partner Center calls; the flow model pays per run', () => {
    expect(results.ours.burstCalls).toBeLessThanOrEqual(2);
    // One flow run reads and writes: at least GET + PATCH, however the polls fall.
    expect(results.baseline.burstCalls).toBeGreaterThanOrEqual(2);
  });

  it('R1: steady edits send exactly one Partner Center write per change, and fewer calls than the flow model', () => {
    const steady = results.details.ours.details.steady as {
      changes: number;
      partnerCenterRoutes: Record<string, number>;
    };
    const writes = Object.entries(steady.partnerCenterRoutes)
      .filter(([route]) => isReferralsApiRoute(route) && /^(PATCH|POST) /.test(route))
      .reduce((sum, [, n]) => sum + n, 0);
    expect(writes / steady.changes).toBe(1);
    // Total calls per change include reads of our own webhook echoes (see BENCHMARKS.md), so
    // the guard is the ratio to the baseline's GET + PATCH per change.
    expect(results.baseline.partnerCenterCallsPerChange).toBe(2);
    expect(results.ratios.partnerCenterCallsPerChange).toBeLessThanOrEqual(0.75);
    expect(results.ratios.salesforceCallsPerChange).toBeLessThan(1);
  });

  it("the bridge's own Partner Center counter agrees with the emulator's request count", () => {
    const ours = results.crossChecks.filter((c) => c.system === 'ours');
    expect(ours.length).toBeGreaterThan(0);
    for (const check of ours)
      expect(check.ownPartnerCenterCalls).toBe(check.emulatorPartnerCenterCalls);
  });
});
