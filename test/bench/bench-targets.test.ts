/**
 * CI guard for the benchmark's call-count targets (docs/BENCHMARKS.md): steady edits, the
 * 50-edit burst and a 400-opportunity bulk switch-on run against the bridge and against the
 * flow-style baseline model on real emulator processes, and the figures are read from the
 * emulators' request statistics. Timed figures are not guarded here (see `npm run bench`).
 */
import { PROFILES } from '../../bench/profiles';
import { isReferralsApiRoute } from '../../bench/stats';
import { runSuite, type SuiteResults } from '../../bench/suite';

// Smaller than the quick profile and both systems at once: this guards call counts, which do not
// depend on timing; the timed figures come from `npm run bench`, one system at a time.
// Bulk: two full batches, so a split batch shows as a third composite write-back.
const profile = {
  ...PROFILES.quick,
  steady: { opportunities: 4, rounds: 2 },
  bulk: { opportunities: 400 },
  baseline: { ...PROFILES.quick.baseline, pollIntervalMs: 1_000 },
};

describe('benchmark targets (quick profile, steady + burst + bulk)', () => {
  let results: SuiteResults;

  beforeAll(async () => {
    results = await runSuite({
      profile,
      scenarios: ['steady', 'burst', 'bulk'],
      parallel: true,
    });
  }, 240_000);

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
    // Our own webhook echoes are recognised without reading the referral back (R1 target).
    expect(results.ours.partnerCenterCallsPerChange).toBeLessThanOrEqual(1);
    expect(results.baseline.partnerCenterCallsPerChange).toBe(2);
    expect(results.ratios.salesforceCallsPerChange).toBeLessThan(1);
  });

  it('R1: a bulk switch-on is written back in ⌈n/200⌉ composite calls, every record Synced', () => {
    const bulk = results.details.ours.details.bulk as {
      opportunityWriteCalls: number;
      syncedStatusWrittenBack: number;
    };
    expect(bulk.opportunityWriteCalls).toBe(Math.ceil(profile.bulk.opportunities / 200));
    expect(results.ours.writebackCallsPer200).toBe(1);
    expect(bulk.syncedStatusWrittenBack).toBe(profile.bulk.opportunities);
    // The flow model updates one record per run.
    expect(results.baseline.writebackCallsPer200).toBe(200);
  });

  it("the bridge's own Partner Center counter agrees with the emulator's request count", () => {
    const ours = results.crossChecks.filter((c) => c.system === 'ours');
    expect(ours.length).toBeGreaterThan(0);
    for (const check of ours)
      expect(check.ownPartnerCenterCalls).toBe(check.emulatorPartnerCenterCalls);
  });
});
