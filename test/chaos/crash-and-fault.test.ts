/**
 * Issue 7, crash and fault suite. The bridge runs as the operator runs it (`cosell run`, its own
 * process, SQLite on disk), both emulators as processes, real jsforce and real HTTP. While the
 * seller creates and edits opportunities and Microsoft creates and edits referrals, the bridge is
 * SIGKILLed at random points and at the two windows that matter most (after a Partner Center
 * create but before the Salesforce write-back; after a webhook was persisted but before it was
 * applied), and the emulators inject every fault kind in fault-menu.ts. Then the run settles and
 * each invariant is asserted on its own against ground truth on both sides.
 *
 * Fast profile in CI; `npm run test:chaos -- --long` for the long one (profile.ts).
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startStack,
  uniqueSuffix,
  waitFor,
  waitForValue,
  type ExitInfo,
  type Stack,
} from '../support';
import { faultMenu, SALESFORCE_BRIDGE_WRITES, type FaultKind } from './fault-menu';
import {
  itKeepsTheGroundTruth,
  outcomeFigures,
  settleAndJudge,
  linkDeals,
  queryRecords,
  readTruth,
  type ExpectedDeal,
  type Truth,
  type Verdict,
} from './ground-truth';
import { ChaosLedger, renderSummary } from './ledger';
import { MemorySampler } from './memory-sampler';
import { chaosProfile, seededRandom } from './profile';

const profile = chaosProfile();
const random = seededRandom(profile.seed);
const RETENTION_DEFAULT_MS = 72 * 3_600_000;

interface AuditRow {
  Opportunity__c: string | null;
  Outcome__c: string;
  Message__c: string | null;
  Direction__c: string;
}

interface FailureEntry {
  subjectId?: string;
  opportunityId?: string | null;
  referralId?: string | null;
  [key: string]: unknown;
}

describe(`chaos (${profile.name} profile, CHAOS_SEED=${profile.seed})`, () => {
  let stack: Stack;
  const ledger = new ChaosLedger();
  const deals: ExpectedDeal[] = [];
  let sampler: MemorySampler;
  let finalTruth: Truth;
  let verdict: Verdict;
  let convergenceMs = 0;
  let failingOpportunityId = '';
  let failuresSeenWhileFailing: FailureEntry[] = [];
  let exits: Array<{ run: string; exit: ExitInfo | 'running'; killedByTest: boolean }> = [];
  const killedRuns = new Set<string>();

  const pick = <T>(items: readonly T[]): T[] => items.filter(() => random() < 0.5);

  async function kill(window: string): Promise<void> {
    killedRuns.add(stack.bridge.process.name);
    await stack.bridge.kill();
    ledger.kill(window);
  }

  async function sellerCreates(count: number, shared: SharedSeed): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const name = `Chaos deal ${uniqueSuffix()}`;
      const amount = 10_000 + Math.floor(random() * 90_000);
      const { opportunityId } = await stack.seed.coSellDeal({ ...shared, name, amount });
      deals.push({ origin: 'salesforce', opportunityId, name, amount });
      ledger.operation();
      ids.push(opportunityId);
    }
    return ids;
  }

  /** Waits until every deal has both ids (created on the other side and linked). */
  async function waitLinked(description: string): Promise<void> {
    await waitForValue(
      async () => linkDeals(deals, await readTruth(stack.seller, stack.partnerCenter.control)),
      (missing) => missing.length === 0,
      { timeoutMs: 90_000, intervalMs: 500, description },
    );
  }

  type SharedSeed = Awaited<ReturnType<typeof sharedSeed>>;
  async function sharedSeed() {
    const accountId = await stack.seed.account({ country: 'US' });
    const contactId = await stack.seed.contact({ accountId });
    const solution = await stack.seed.solution();
    return { accountId, contactId, solution };
  }

  beforeAll(async () => {
    stack = await startStack();
    sampler = new MemorySampler(() => {
      const runs = stack.bridge.runs;
      const last = runs[runs.length - 1];
      return last?.running ? last.pid : undefined;
    });
    sampler.start();
    const sf = stack.salesforce.control;
    const pc = stack.partnerCenter.control;
    const shared = await sharedSeed();

    // ---- Kill window 1: Partner Center create done, Salesforce write-back not yet.
    // Every bridge write to Salesforce (the write-back is one Composite call) is held for a minute
    // and then refused, so the referral exists in Partner Center while Salesforce does not know it.
    await sf.addFault({
      match: SALESFORCE_BRIDGE_WRITES,
      latencyMs: 60_000,
      respond: { status: 503, body: [{ errorCode: 'SERVER_UNAVAILABLE', message: 'held' }] },
    });
    const firstWave = await sellerCreates(profile.opportunities, shared);
    await waitFor(
      async () => {
        const truth = await readTruth(stack.seller, pc);
        return firstWave.some((id) => {
          const referral = truth.referrals.find((r) => r.externalReferenceId === id);
          const opportunity = truth.opportunities.find((o) => o.Id === id);
          return referral !== undefined && !opportunity?.Partner_Center_Referral_Id__c;
        });
      },
      {
        timeoutMs: 60_000,
        intervalMs: 200,
        description: 'a referral created but not written back',
      },
    );
    await kill('after a Partner Center create, before the Salesforce write-back');
    await sf.clearFaults();
    await stack.bridge.start();
    await waitLinked('the first wave to be created once and linked');

    // ---- Kill window 2: webhook persisted (200 to Partner Center), not yet applied.
    // Reading a referral is held, so the inbound worker cannot apply what the inbox holds.
    await pc.addFault({
      match: { method: 'GET', path: '/v1.0/engagements/referrals' },
      latencyMs: 60_000,
      respond: { status: 503 },
    });
    const microsoftIds: string[] = [];
    for (let i = 0; i < profile.microsoftReferrals; i += 1) {
      // Microsoft names one of the partner's co-sell-ready solutions, so the opportunity the
      // bridge creates is complete (R17) and the seller's later edits on it are sendable.
      const body = stack.seed.microsoftReferralBody();
      body.details = {
        ...(body.details as Record<string, unknown>),
        requirements: { solutions: [{ id: shared.solution.solutionId }] },
      };
      const created = await pc.microsoftCreate(body);
      microsoftIds.push(String(created.id));
      deals.push({ origin: 'microsoft', referralId: String(created.id) });
      ledger.operation();
    }
    await waitFor(
      async () => {
        const deliveries = await pc.deliveries();
        const stored = deliveries.filter(
          (d) =>
            d.state === 'succeeded' &&
            d.eventName === 'referral-created' &&
            microsoftIds.some((id) => d.body.includes(id)),
        );
        if (stored.length === 0) return false;
        const truth = await readTruth(stack.seller, pc);
        return stored.some(
          (d) =>
            !truth.opportunities.some(
              (o) =>
                o.Partner_Center_Referral_Id__c && d.body.includes(o.Partner_Center_Referral_Id__c),
            ),
        );
      },
      { timeoutMs: 60_000, intervalMs: 200, description: 'a webhook stored but not applied' },
    );
    await kill('after persisting a webhook, before applying it');
    await pc.clearFaults();
    await stack.bridge.start();
    await waitLinked('every Microsoft referral to become exactly one linked opportunity');

    // ---- Failure visibility: a create that fails three times shows in `failures list` and the
    // audit while it fails, and goes through once Partner Center answers again (R14, R10).
    // The fault stays until the failure has been seen, however quickly the retries come.
    await pc.addFault({
      match: { method: 'POST', path: '/v1.0/engagements/referrals' },
      respond: { status: 503, body: { error: { code: 'serviceUnavailable', message: 'down' } } },
    });
    ledger.fault('Partner Center 503 on create (until seen in `failures list`)');
    [failingOpportunityId = ''] = await sellerCreates(1, shared);
    failuresSeenWhileFailing = await waitForValue(
      async () =>
        (await stack.bridge.cliJson<{ failures: FailureEntry[] }>(['failures', 'list'])).failures,
      (failures) => JSON.stringify(failures).includes(failingOpportunityId),
      { timeoutMs: 45_000, intervalMs: 500, description: 'the failing create in `failures list`' },
    );
    await pc.clearFaults();

    // ---- Edit rounds: both sides edit while faults fire and the bridge is killed at random.
    const menu: FaultKind[] = faultMenu({ clientTimeouts: profile.clientTimeouts });
    const perRound = Math.ceil(menu.length / Math.min(profile.editRounds, menu.length));
    const killRounds = new Set<number>();
    while (killRounds.size < Math.min(profile.randomKills, profile.editRounds)) {
      killRounds.add(Math.floor(random() * profile.editRounds));
    }
    let extraKills = Math.max(0, profile.randomKills - profile.editRounds);
    for (let round = 0; round < profile.editRounds; round += 1) {
      for (let k = 0; k < perRound; k += 1) {
        const fault = menu[(round * perRound + k) % menu.length];
        if (!fault) continue;
        await fault.inject({ salesforce: sf, partnerCenter: pc });
        ledger.fault(fault.kind);
      }
      await editBothSides(round);
      if (killRounds.has(round) || extraKills-- > 0) {
        // A random point inside the work the edits started: 0.1–2.5 s after the last edit.
        const delay = 100 + Math.floor(random() * 2_400);
        const before = Date.now();
        await waitFor(() => Date.now() - before >= delay, {
          timeoutMs: delay + 1_000,
          intervalMs: 50,
        });
        await kill('at a random point during edits and faults');
        await stack.bridge.start();
      }
    }

    // ---- Down longer than the CDC retention window: the stored replay id is purged.
    await kill('while edits happen and the replay window expires');
    await editBothSides(profile.editRounds, { sellerOnly: true });
    const before = await sf.events();
    await sf.setRetention(1_000);
    // Time passes for both services alike (advancing only one would skew their clocks, which
    // real Salesforce and Partner Center clocks are not).
    await Promise.all([sf.advanceClock(60_000), pc.advanceClock(60_000)]);
    const after = await sf.events();
    const purged =
      after.oldestRetainedReplayId === null || after.oldestRetainedReplayId > before.latestReplayId;
    if (!purged) {
      throw new Error(`retention did not purge the events: ${JSON.stringify({ before, after })}`);
    }
    ledger.fault('CDC replay id older than the retention window');
    await stack.bridge.start();
    await sf.setRetention(RETENTION_DEFAULT_MS);

    // ---- Settle. Count-limited faults still pending may fire while it settles; afterwards the
    // ones that never fired are reported as not injected, then cleared.
    ({
      truth: finalTruth,
      verdict,
      convergenceMs,
    } = await settleAndJudge({
      deals,
      seller: stack.seller,
      emulators: [sf, pc],
      partnerCenter: pc,
      ledger,
      timeoutMs: profile.convergenceTimeoutMs,
      description: 'both sides to hold every last edit',
    }));
    sampler.sample();
    sampler.stop();

    exits = await Promise.all(
      stack.bridge.runs.map(async (run) => ({
        run: run.name,
        exit: run.running ? ('running' as const) : await run.exited,
        killedByTest: killedRuns.has(run.name),
      })),
    );

    const summary = renderSummary(
      ledger,
      { ...outcomeFigures(verdict, convergenceMs), maxRssBytes: sampler.maxRssBytes },
      { profile: profile.name, seed: profile.seed },
    );
    const file = join(tmpdir(), `cosell-chaos-summary-${profile.name}.md`);
    writeFileSync(file, `${summary}\n`);
    console.log(`${summary}\n(also written to ${file})`);

    async function editBothSides(round: number, options: { sellerOnly?: boolean } = {}) {
      const truth = await readTruth(stack.seller, pc);
      // Without overlapping edits (profile.ts) each side edits its own half of the deals.
      const side = (deal: ExpectedDeal, who: 0 | 1) =>
        profile.overlappingEdits || deals.indexOf(deal) % 2 === who;
      for (const deal of pick(deals.filter((d) => side(d, 0)))) {
        const opportunity = truth.opportunities.find((o) => o.Id === deal.opportunityId);
        if (!deal.opportunityId || !opportunity?.Sync_with_Partner_Center__c) continue;
        deal.name = `Chaos deal ${deal.opportunityId.slice(-6)} r${round} ${uniqueSuffix()}`;
        deal.amount = 1_000 + Math.floor(random() * 500_000);
        await sf.updateRecord(deal.opportunityId, { Name: deal.name, Amount: deal.amount });
        ledger.operation();
      }
      if (options.sellerOnly) return;
      for (const deal of pick(deals.filter((d) => side(d, 1)))) {
        if (!deal.referralId) continue;
        deal.notes = `Microsoft note r${round} ${uniqueSuffix()}`;
        await pc.microsoftUpdate(deal.referralId, { details: { notes: deal.notes } });
        ledger.operation();
      }
    }
  }, 30 * 60_000);

  afterAll(async () => {
    sampler?.stop();
    // Every bridge line of every run, kept after the stack's temp directory is gone (a failing
    // seed is diagnosed from these).
    if (stack) {
      const logFile = join(tmpdir(), `cosell-chaos-bridge-${profile.seed}-${process.pid}.log`);
      writeFileSync(
        logFile,
        stack.bridge.runs
          .map((run) => run.lines.map((l) => `${run.name} ${l.text}`).join('\n'))
          .join('\n'),
      );
      console.log(`bridge logs: ${logFile}`);
    }
    await stack?.dispose();
  });

  it('runs the required crash and fault mix (≥5 kills, both named windows, every fault kind)', () => {
    expect(ledger.kills.length).toBeGreaterThanOrEqual(5);
    const windows = ledger.kills.map((k) => k.window);
    expect(windows).toContain('after a Partner Center create, before the Salesforce write-back');
    expect(windows).toContain('after persisting a webhook, before applying it');
    const expected = faultMenu({ clientTimeouts: profile.clientTimeouts }).map((f) => f.kind);
    const triggered = expected.filter((kind) => (ledger.faults.get(kind) ?? 0) > 0);
    expect(triggered).toEqual(expected);
  });

  itKeepsTheGroundTruth(() => ({ deals, truth: finalTruth, verdict }));

  it('R10/R14: a failure is visible in `failures list` while it lasts and in the audit afterwards', async () => {
    // (one CLI process and one query: give them the time a loaded CI machine needs)
    expect(JSON.stringify(failuresSeenWhileFailing)).toContain(failingOpportunityId);
    const audit = await queryRecords<AuditRow>(
      stack.seller,
      `SELECT Opportunity__c, Outcome__c, Message__c, Direction__c FROM Co_Sell_Sync_Event__c WHERE Opportunity__c = '${failingOpportunityId}'`,
    );
    // Every failed attempt left an Error with Partner Center's reason. (Whether the attempt that
    // finally created the referral left a Success depends on where a kill landed: see the
    // known gap in docs/RELIABILITY.md.)
    const errors = audit.filter((a) => a.Outcome__c === 'Error');
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) expect(error.Message__c).toMatch(/503|unavailable|Partner Center/i);
    // Recovered failures leave the list; only what still fails stays there.
    const { failures } = await stack.bridge.cliJson<{ failures: FailureEntry[] }>([
      'failures',
      'list',
    ]);
    expect(JSON.stringify(failures)).not.toContain(failingOpportunityId);
  }, 60_000);

  it('the process never exits on a recoverable fault (only the test killed it)', () => {
    const unexpected = exits.filter((e) => !e.killedByTest && e.exit !== 'running');
    expect(unexpected).toEqual([]);
    for (const e of exits.filter((x) => x.killedByTest)) {
      expect(e.exit).toEqual({ code: null, signal: 'SIGKILL' });
    }
    expect(exits[exits.length - 1]?.exit).toBe('running');
  });

  it('memory stays bounded over the run', () => {
    expect(sampler.samples.length).toBeGreaterThan(10);
    expect(sampler.maxRssBytes).toBeLessThan(profile.maxRssBytes);
    // Within the longest-lived process, the late half does not grow far past the early half.
    const run = sampler.longestRun();
    const half = Math.floor(run.length / 2);
    const early = Math.max(...run.slice(0, half).map((s) => s.rssBytes));
    const late = Math.max(...run.slice(half).map((s) => s.rssBytes));
    expect(late).toBeLessThan(early * 1.5 + 32 * 1024 * 1024);
  });
});
