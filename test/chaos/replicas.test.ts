/**
 * Issue 18: the crash and fault run with THREE bridge replicas on one Postgres. Each replica is
 * `cosell run` in its own process (BRIDGE_DATABASE_URL=postgres://…), webhooks reach them through
 * a load balancer, and only the holder of the CDC lease subscribes. While both sides create and
 * edit deals under injected faults, the lease holder is SIGKILLed (a standby must take the
 * subscription over within seconds) and so are standbys. The invariants are those of the
 * single-bridge run: no lost change, no duplicate referral or opportunity, every failure visible.
 *
 * Fast profile in `npm test`; `npm run test:chaos -- --long` for the long one (profile.ts).
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BridgeProcess,
  registerWebhook,
  startStack,
  uniqueSuffix,
  waitFor,
  waitForValue,
  type Stack,
} from '../support';
import { startPostgres, type PostgresServer } from '../support/postgres-server';
import { faultMenu } from './fault-menu';
import {
  itKeepsTheGroundTruth,
  outcomeFigures,
  settleAndJudge,
  linkDeals,
  readTruth,
  type ExpectedDeal,
  type Truth,
  type Verdict,
} from './ground-truth';
import { ChaosLedger, renderSummary } from './ledger';
import { startLoadBalancer, type LoadBalancer } from './load-balancer';
import { chaosProfile, seededRandom } from './profile';

const REPLICAS = 3;
const profile = chaosProfile();
const random = seededRandom(profile.seed);
/** A holder on this host that is gone is replaced at a standby's next try (every 2 s). */
const TAKEOVER_LIMIT_MS = 20_000;

interface Takeover {
  killedToken: number;
  newToken: number;
  ms: number;
}

describe(`chaos with ${REPLICAS} replicas on one Postgres (${profile.name} profile, CHAOS_SEED=${profile.seed})`, () => {
  let postgres: PostgresServer;
  let stack: Stack;
  let balancer: LoadBalancer;
  const replicas: BridgeProcess[] = [];
  const ledger = new ChaosLedger();
  const deals: ExpectedDeal[] = [];
  const takeovers: Takeover[] = [];
  let verdict: Verdict;
  let finalTruth: Truth;
  let failingOpportunityId = '';
  let failureSeen = '';
  let status: {
    replicas: Array<{ owner: string; alive: boolean; holdsCdcLease: boolean }>;
    cdcLease: { holderOwner: string; live: boolean } | null;
  };

  /** Every `cdc.lease_acquired` so far: which replica, which token. */
  function acquisitions(): Array<{ replica: number; token: number }> {
    return replicas.flatMap((replica, index) =>
      replica
        .logs((l) => l.event === 'cdc.lease_acquired')
        .map((l) => ({ replica: index, token: Number(l.fence) })),
    );
  }

  /** The replica holding the lease now: the newest token, on a process that still runs. */
  function holder(): { replica: number; token: number } {
    const newest = acquisitions().sort((a, b) => b.token - a.token)[0];
    if (!newest) throw new Error('no replica has taken the CDC lease');
    return newest;
  }

  /**
   * Restarts a killed replica without waiting for it: the others carry the load meanwhile (on a
   * loaded 2-core machine a Node start can take longer than a round). The run waits for every
   * replica to be ready before it asks `cosell status`.
   */
  async function restart(index: number): Promise<void> {
    await replicas[index]!.start({ waitReady: false });
  }

  async function killHolder(): Promise<void> {
    const before = holder();
    if (!replicas[before.replica]!.process.running) throw new Error('the holder is not running');
    const killedAt = Date.now();
    await replicas[before.replica]!.kill();
    ledger.kill('the CDC lease holder');
    const after = await waitForValue(
      async () => holder(),
      (h) => h.token > before.token,
      { timeoutMs: 60_000, intervalMs: 100, description: 'a standby to take the CDC lease over' },
    );
    takeovers.push({ killedToken: before.token, newToken: after.token, ms: Date.now() - killedAt });
    await restart(before.replica);
  }

  async function killStandby(): Promise<void> {
    const current = holder().replica;
    const standbys = replicas.map((_, i) => i).filter((i) => i !== current);
    const victim = standbys[Math.floor(random() * standbys.length)]!;
    await replicas[victim]!.kill();
    ledger.kill('a standby replica');
    await restart(victim);
  }

  async function waitLinked(description: string): Promise<void> {
    await waitForValue(
      async () => linkDeals(deals, await readTruth(stack.seller, stack.partnerCenter.control)),
      (missing) => missing.length === 0,
      { timeoutMs: 120_000, intervalMs: 500, description },
    );
  }

  beforeAll(async () => {
    postgres = await startPostgres();
    const database = { BRIDGE_DATABASE_URL: postgres.url };
    stack = await startStack({ setup: false, startBridge: false, bridgeEnv: database });
    replicas.push(stack.bridge);
    for (let i = 1; i < REPLICAS; i += 1) {
      replicas.push(
        await BridgeProcess.create({
          salesforceUrl: stack.salesforce.url,
          partnerCenterUrl: stack.partnerCenter.url,
          overrides: database,
        }),
      );
    }
    balancer = await startLoadBalancer(() => replicas.map((r) => r.port));
    await registerWebhook(stack.partnerCenter.url, `${balancer.url}/webhooks/partner-center`);
    await replicas[0]!.start(); // the first one subscribes
    for (let i = 1; i < REPLICAS; i += 1) await replicas[i]!.start({ waitSubscribed: false });
    const sf = stack.salesforce.control;
    const pc = stack.partnerCenter.control;

    const accountId = await stack.seed.account({ country: 'US' });
    const contactId = await stack.seed.contact({ accountId });
    const solution = await stack.seed.solution();
    const sellerCreates = async (count: number) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i += 1) {
        const name = `Replica deal ${uniqueSuffix()}`;
        const amount = 10_000 + Math.floor(random() * 90_000);
        const deal = await stack.seed.coSellDeal({ accountId, contactId, solution, name, amount });
        deals.push({ origin: 'salesforce', opportunityId: deal.opportunityId, name, amount });
        ledger.operation();
        ids.push(deal.opportunityId);
      }
      return ids;
    };

    // ---- Under load: creates on both sides, the holder killed while they are in flight.
    await sellerCreates(profile.opportunities);
    for (let i = 0; i < profile.microsoftReferrals; i += 1) {
      const body = stack.seed.microsoftReferralBody();
      body.details = {
        ...(body.details as Record<string, unknown>),
        requirements: { solutions: [{ id: solution.solutionId }] },
      };
      const created = await pc.microsoftCreate(body);
      deals.push({ origin: 'microsoft', referralId: String(created.id) });
      ledger.operation();
    }
    await killHolder();
    await waitLinked('every deal created once and linked, across a takeover');

    // ---- A failure is visible from any replica while it lasts (R14).
    await pc.addFault({
      match: { method: 'POST', path: '/v1.0/engagements/referrals' },
      respond: { status: 503, body: { error: { code: 'serviceUnavailable', message: 'down' } } },
    });
    ledger.fault('Partner Center 503 on create (until seen in `failures list`)');
    [failingOpportunityId = ''] = await sellerCreates(1);
    failureSeen = JSON.stringify(
      await waitForValue(
        async () =>
          (await replicas[2]!.cliJson<{ failures: unknown[] }>(['failures', 'list'])).failures,
        (failures) => JSON.stringify(failures).includes(failingOpportunityId),
        {
          timeoutMs: 60_000,
          intervalMs: 1_000,
          description: 'the failing create in `failures list`',
        },
      ),
    );
    await pc.clearFaults();

    // ---- Edit rounds with faults; the holder and standbys are killed in turn.
    const menu = faultMenu({ clientTimeouts: profile.clientTimeouts });
    const perRound = Math.ceil(menu.length / profile.editRounds);
    for (let round = 0; round < profile.editRounds; round += 1) {
      for (const fault of menu.slice(round * perRound, (round + 1) * perRound)) {
        await fault.inject({ salesforce: sf, partnerCenter: pc });
        ledger.fault(fault.kind);
      }
      const truth = await readTruth(stack.seller, pc);
      for (const deal of deals.filter(() => random() < 0.5)) {
        const opportunity = truth.opportunities.find((o) => o.Id === deal.opportunityId);
        if (!deal.opportunityId || !opportunity?.Sync_with_Partner_Center__c) continue;
        deal.name = `Replica deal ${deal.opportunityId.slice(-6)} r${round} ${uniqueSuffix()}`;
        deal.amount = 1_000 + Math.floor(random() * 500_000);
        await sf.updateRecord(deal.opportunityId, { Name: deal.name, Amount: deal.amount });
        ledger.operation();
      }
      for (const deal of deals.filter(() => random() < 0.5)) {
        if (!deal.referralId) continue;
        deal.notes = `Microsoft note r${round} ${uniqueSuffix()}`;
        await pc.microsoftUpdate(deal.referralId, { details: { notes: deal.notes } });
        ledger.operation();
      }
      // A random point inside the work the edits started.
      const delay = 100 + Math.floor(random() * 2_400);
      const start = Date.now();
      await waitFor(() => Date.now() - start >= delay, {
        timeoutMs: delay + 1_000,
        intervalMs: 50,
      });
      if (round % 2 === 0) await killHolder();
      else await killStandby();
    }

    // ---- Settle and judge.
    const settled = await settleAndJudge({
      deals,
      seller: stack.seller,
      emulators: [sf, pc],
      partnerCenter: pc,
      ledger,
      timeoutMs: profile.convergenceTimeoutMs,
      description: 'convergence',
    });
    ({ truth: finalTruth, verdict } = settled);
    for (const replica of replicas) await replica.waitReady(120_000, { subscribed: false });
    status = await replicas[1]!.cliJson(['status']);

    const summary = renderSummary(ledger, outcomeFigures(verdict, settled.convergenceMs), {
      profile: `${profile.name}, ${REPLICAS} replicas on Postgres`,
      seed: profile.seed,
    });
    const takeoverLine = `takeovers after killing the holder: ${takeovers.map((t) => `${(t.ms / 1000).toFixed(1)} s`).join(', ')}`;
    const file = join(tmpdir(), `cosell-chaos-replicas-${profile.name}.md`);
    writeFileSync(file, `${summary}\n${takeoverLine}\n`);
    console.log(`${summary}\n${takeoverLine}\n(also written to ${file})`);
  }, 30 * 60_000);

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.dispose()));
    await balancer?.close();
    await stack?.dispose();
    await postgres?.stop();
  });

  it('kills the lease holder under load and a standby takes the subscription over within seconds', () => {
    expect(takeovers.length).toBeGreaterThanOrEqual(2);
    for (const takeover of takeovers) {
      expect(takeover.newToken).toBeGreaterThan(takeover.killedToken);
      expect(takeover.ms).toBeLessThan(TAKEOVER_LIMIT_MS);
    }
    expect(ledger.kills.length).toBeGreaterThanOrEqual(profile.editRounds);
    // Every token was handed out once: never two holders with one fence.
    const tokens = acquisitions().map((a) => a.token);
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  itKeepsTheGroundTruth(() => ({ deals, truth: finalTruth, verdict }));

  it('R14: a failure is visible in `failures list` from any replica while it lasts', () => {
    expect(failureSeen).toContain(failingOpportunityId);
  });

  it('active-active: webhooks reached several replicas and more than one replica sent outbound work', () => {
    expect([...balancer.forwarded.values()].filter((n) => n > 0).length).toBeGreaterThan(1);
    const working = replicas.filter(
      (r) => r.logs((l) => l.event === 'sync.outbound.batch').length > 0,
    );
    expect(working.length).toBeGreaterThan(1);
  });

  it('cosell status lists every replica and names the live lease holder', () => {
    const alive = status.replicas.filter((r) => r.alive);
    expect(alive).toHaveLength(REPLICAS);
    expect(status.cdcLease?.live).toBe(true);
    expect(alive.filter((r) => r.holdsCdcLease).map((r) => r.owner)).toEqual([
      status.cdcLease?.holderOwner,
    ]);
  });
});
