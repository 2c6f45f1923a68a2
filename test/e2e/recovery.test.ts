/**
 * Disconnection and catch-up, end to end (R13, R14, R1 budget, token expiry): the bridge process
 * is SIGKILLed and restarted on the same SQLite file, tokens are expired on both emulators, the
 * CDC retention window is made to pass, Partner Center refuses writes, and the daily budget runs
 * out. After each, nothing is lost and nothing is duplicated.
 */
import { connectAs, startStack, waitForValue, type Json, type Stack } from '../support';
import {
  E2E_TIMEOUT_MS,
  SYNC_DEADLINE,
  findOpportunities,
  referralsFor,
  waitForOpportunity,
  type SyncedOpportunity,
} from './e2e-helpers';

jest.setTimeout(E2E_TIMEOUT_MS * 2);

/** The steps of an outbound batch whose time its debug line gives (process-batch.ts). */
const STEP_TIMINGS = [
  'claimMs',
  'readMs',
  'intentsMs',
  'sendMs',
  'auditMs',
  'writeBackMs',
  'settleMs',
] as const;

const isSynced = (o: SyncedOpportunity) =>
  o.Partner_Center_Sync_Status__c === 'Synced' && !!o.Partner_Center_Referral_Id__c;

interface StatusJson {
  paused: { message: string; until: string } | null;
  budget: { budget: number; used: number; left: number; paused: boolean };
  replayCursors: Array<{ channel: string; replayId: number }>;
}

interface FailureJson {
  id: number;
  opportunityId?: string | null;
  referralId?: string | null;
  error?: string;
  [key: string]: unknown;
}

describe('e2e: disconnection, catch-up and recovery', () => {
  let stack: Stack;
  let solutionId: string;

  beforeAll(async () => {
    // No periodic sweeps: here every recovery must come from the mechanism under test (replay
    // cursor, replay-invalid fallback, start-up catch-up, the operator's retry), not from a timer.
    stack = await startStack({
      bridgeEnv: {
        BRIDGE_RECONCILE_INTERVAL_SECONDS: '600',
        BRIDGE_PARTNER_CENTER_CATCH_UP_INTERVAL_SECONDS: '600',
      },
    });
    solutionId = (await stack.seed.solution()).solutionId;
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  async function syncedDeal() {
    const deal = await stack.seed.coSellDeal();
    const o = await waitForOpportunity(
      stack.seller,
      deal.opportunityId,
      isSynced,
      'the deal to sync',
    );
    return { ...deal, referralId: o.Partner_Center_Referral_Id__c! };
  }

  const dealValueOf = async (opportunityId: string) =>
    (
      (await referralsFor(stack.partnerCenter.control, opportunityId))[0]?.details as
        Json | undefined
    )?.dealValue;

  const waitForDealValue = (opportunityId: string, value: number, description: string) =>
    waitForValue(
      () => dealValueOf(opportunityId),
      (v) => v === value,
      { ...SYNC_DEADLINE, description },
    );

  it('R13: the first change after a fresh start arrives through CDC without waiting for a sweep', async () => {
    // No replay cursor yet and no sweep for 10 minutes: a change made after the bridge reports
    // ready and subscribed must come through the stream.
    const deal = await stack.seed.coSellDeal();
    const synced = await waitForOpportunity(
      stack.seller,
      deal.opportunityId,
      (o) => !!o.Partner_Center_Referral_Id__c,
      'the first deal after start to reach Partner Center',
      { timeoutMs: 20_000 },
    );
    expect(synced.Partner_Center_Sync_Status__c).toBe('Synced');
    // The batch's debug line says where its time went, step by step (operators read it to tell
    // a slow Salesforce read or write-back from a slow Partner Center). It is logged after the
    // jobs are settled, so after the write-back seen above: wait for it.
    const [batch] = await waitForValue(
      () => stack.bridge.logs((l) => l.event === 'sync.outbound.batch' && l.synced === 1),
      (lines) => lines.length > 0,
      { ...SYNC_DEADLINE, description: 'the outbound batch debug line' },
    );
    for (const step of STEP_TIMINGS) expect(batch?.[step]).toEqual(expect.any(Number));
  });

  describe('with a live change stream', () => {
    it('R13: tokens expiring on both sides mid-stream are renewed and no change is lost', async () => {
      const deal = await syncedDeal();
      const linked = await stack.partnerCenter.control.microsoftCreate(
        stack.seed.microsoftReferralBody({}, solutionId),
      );
      await waitForValue(
        () =>
          findOpportunities(stack.seller, `Partner_Center_Referral_Id__c = '${String(linked.id)}'`),
        (list) => list.length === 1,
        { ...SYNC_DEADLINE, description: 'the Microsoft referral to reach Salesforce' },
      );
      await stack.salesforce.control.expireTokens();
      await stack.partnerCenter.control.expireTokens();

      // Outbound: the CDC stream and the REST reads/writes need a new Salesforce token, the
      // PATCH a new Partner Center token.
      await stack.salesforce.control.updateRecord(deal.opportunityId, { Amount: 510_000 });
      await waitForDealValue(
        deal.opportunityId,
        510_000,
        'the change made after token expiry to arrive',
      );
      // Inbound: the referral GET needs a new token, the Salesforce update another.
      await stack.partnerCenter.control.microsoftUpdate(String(linked.id), {
        details: { dealValue: 61_000 },
      });
      await waitForValue(
        () =>
          findOpportunities(stack.seller, `Partner_Center_Referral_Id__c = '${String(linked.id)}'`),
        (list) => list[0]?.Amount === 61_000,
        { ...SYNC_DEADLINE, description: 'the Microsoft change made after token expiry to arrive' },
      );
    });

    it('R13: after a SIGKILL the bridge resumes from its replay cursor and catches up on missed webhooks', async () => {
      const deals = [await syncedDeal(), await syncedDeal(), await syncedDeal()];
      const incoming = await stack.partnerCenter.control.microsoftCreate(
        stack.seed.microsoftReferralBody({}, solutionId),
      );
      const [incomingOpportunity] = await waitForValue(
        () =>
          findOpportunities(
            stack.seller,
            `Partner_Center_Referral_Id__c = '${String(incoming.id)}'`,
          ),
        (list) => list.length === 1,
        { ...SYNC_DEADLINE, description: 'the Microsoft referral to reach Salesforce' },
      );
      const runsBefore = stack.bridge.runs.length;
      await stack.bridge.kill();

      // While the bridge is down: three seller edits (CDC keeps them) and a Microsoft change whose
      // webhook deliveries all fail (the emulator gives up after its short retry schedule).
      for (const [i, deal] of deals.entries()) {
        await stack.salesforce.control.updateRecord(deal.opportunityId, { Amount: 600_000 + i });
      }
      await stack.partnerCenter.control.microsoftUpdate(String(incoming.id), {
        details: { dealValue: 77_000 },
      });

      await stack.bridge.start();
      for (const [i, deal] of deals.entries()) {
        await waitForDealValue(
          deal.opportunityId,
          600_000 + i,
          `edit ${i + 1} made while the bridge was down`,
        );
      }
      await waitForOpportunity(
        stack.seller,
        incomingOpportunity!.Id,
        (o) => o.Amount === 77_000,
        'the Partner Center change missed while down to be caught up',
      );
      // Resumed from the stored position (not from "new events only", not from the beginning).
      const subscribing = stack.bridge.runs[runsBefore]!.logs((l) => l.event === 'cdc.subscribing');
      expect(subscribing.length).toBeGreaterThan(0);
      expect(subscribing.every((l) => typeof l.replayId === 'number' && l.replayId > 0)).toBe(true);
      // The replay alone brought the edits: no Salesforce sweep re-read opportunities at start.
      expect(stack.bridge.runs[runsBefore]!.logs((l) => l.event === 'sync.reconcile')).toHaveLength(
        0,
      );
      // Nothing duplicated: still one referral per opportunity.
      for (const deal of deals) {
        expect(await referralsFor(stack.partnerCenter.control, deal.opportunityId)).toHaveLength(1);
      }
    });

    it('R13: when the replay window has expired the bridge falls back to a reconciliation sweep', async () => {
      const deal = await syncedDeal();
      const runsBefore = stack.bridge.runs.length;
      await stack.bridge.kill();
      await stack.salesforce.control.updateRecord(deal.opportunityId, { Amount: 720_000 });
      // The events (and the bridge's stored replay id) fall out of the retention window.
      await stack.salesforce.control.setRetention(60_000);
      await stack.salesforce.control.advanceClock(5 * 60_000);
      try {
        await stack.bridge.start();
        await waitForDealValue(
          deal.opportunityId,
          720_000,
          'the change from the expired window to arrive',
        );
        // The stored replay id was refused as outside the window, and a sweep filled the gap.
        const newRun = stack.bridge.runs[runsBefore]!;
        expect(newRun.logs((l) => l.event === 'cdc.replay_invalid')).not.toHaveLength(0);
        expect(newRun.logs((l) => l.event === 'sync.reconcile')).not.toHaveLength(0);
        expect(await referralsFor(stack.partnerCenter.control, deal.opportunityId)).toHaveLength(1);
      } finally {
        await stack.salesforce.control.setRetention(72 * 3600_000);
      }
    });

    it('R14: a failed sync is listed with its error and goes through when retried from the CLI', async () => {
      const deal = await syncedDeal();
      await stack.partnerCenter.control.addFault({
        match: { method: 'PATCH', path: `/v1.0/engagements/referrals/${deal.referralId}` },
        respond: {
          status: 400,
          body: {
            error: {
              code: 'badRequest',
              message: 'The deal value is not accepted for this engagement.',
              target: 'details.dealValue',
              details: [],
              innerError: null,
            },
          },
        },
        times: 1000,
      });
      try {
        await stack.salesforce.control.updateRecord(deal.opportunityId, { Amount: 830_000 });
        const failed = await waitForOpportunity(
          stack.seller,
          deal.opportunityId,
          (o) => o.Partner_Center_Sync_Status__c === 'Error',
          'the refused update to show Error',
        );
        expect(failed.Partner_Center_Sync_Message__c).toContain('not accepted');
        const { failures } = await stack.bridge.cliJson<{ failures: FailureJson[] }>([
          'failures',
          'list',
        ]);
        const mine = failures.find((f) => JSON.stringify(f).includes(deal.opportunityId));
        expect(mine).toBeDefined();
        expect(JSON.stringify(mine)).toContain('not accepted');
      } finally {
        await stack.partnerCenter.control.clearFaults();
      }
      const retried = await stack.bridge.cliJson<{ rescheduled: number }>([
        'failures',
        'retry',
        deal.opportunityId,
      ]);
      expect(retried.rescheduled).toBeGreaterThanOrEqual(1);
      await waitForDealValue(deal.opportunityId, 830_000, 'the retried change to arrive');
      await waitForOpportunity(
        stack.seller,
        deal.opportunityId,
        isSynced,
        'the opportunity to be Synced again',
      );
    });

    it('R14: transient Partner Center failures (503) are retried automatically with backoff', async () => {
      const deal = await syncedDeal();
      const patches = () =>
        stack.partnerCenter.control.countRequests((k) => k.startsWith('PATCH '));
      const before = await patches();
      await stack.partnerCenter.control.addFault({
        match: { method: 'PATCH', path: `/v1.0/engagements/referrals/${deal.referralId}` },
        respond: {
          status: 503,
          body: { error: { code: 'serviceUnavailable', message: 'Try again later.' } },
        },
        times: 3,
      });
      await stack.salesforce.control.updateRecord(deal.opportunityId, { Amount: 860_000 });
      await waitForDealValue(deal.opportunityId, 860_000, 'the change to arrive after three 503s');
      // Three refused attempts and the one that went through; no operator involved.
      expect((await patches()) - before).toBe(4);
      await waitForOpportunity(
        stack.seller,
        deal.opportunityId,
        isSynced,
        'the opportunity to be Synced',
      );
    });

    it('R13: an operator resyncs one opportunity whose change the bridge never saw', async () => {
      const deal = await syncedDeal();
      // A data load that (wrongly) reuses the bridge's client id: CDC reports it as the bridge's
      // own write, so the bridge ignores it (R9) and Partner Center keeps the old value.
      const script = await connectAs(stack.salesforce.url, stack.salesforce.control, 'admin', {
        clientName: 'CoSellSync',
      });
      await script.sobject('Opportunity').update({ Id: deal.opportunityId, Amount: 910_000 });
      expect(await dealValueOf(deal.opportunityId)).not.toBe(910_000);
      const result = await stack.bridge.cli(['resync', deal.opportunityId, '--json']);
      expect(result.code).toBe(0);
      await waitForDealValue(
        deal.opportunityId,
        910_000,
        'the resynced value to reach Partner Center',
      );
    });

    it('R1: when the daily Partner Center budget is spent the bridge pauses with a clear status, and nothing is sent', async () => {
      const deal = await syncedDeal();
      await stack.bridge.stop();
      const before = await stack.bridge.cliJson<StatusJson>(['status']);
      // Today's budget is exactly what has been used: the next call would exceed it.
      stack.bridge.configure({
        PARTNER_CENTER_DAILY_CALL_BUDGET: String(Math.max(1, before.budget.used)),
      });
      await stack.bridge.start();
      const writesBefore = await stack.partnerCenter.control.countRequests((k) =>
        k.startsWith('PATCH '),
      );
      await stack.salesforce.control.updateRecord(deal.opportunityId, { Amount: 940_000 });
      const status = await waitForValue(
        () => stack.bridge.cliJson<StatusJson>(['status']),
        (s) => s.paused !== null,
        { ...SYNC_DEADLINE, description: 'status to report the pause' },
      );
      expect(status.budget).toMatchObject({ left: 0, paused: true });
      expect(status.paused?.message).toMatch(
        /daily Partner Center budget of \d+ calls reached; resumes at/,
      );
      expect(await stack.partnerCenter.control.countRequests((k) => k.startsWith('PATCH '))).toBe(
        writesBefore,
      );
      expect(await dealValueOf(deal.opportunityId)).not.toBe(940_000);
    });
  });
});

describe('e2e: the first start of a bridge', () => {
  let stack: Stack;

  beforeAll(async () => {
    // No periodic sweeps: only the sweep the bridge runs once its stream is live can help here.
    stack = await startStack({
      startBridge: false,
      bridgeEnv: {
        BRIDGE_RECONCILE_INTERVAL_SECONDS: '600',
        BRIDGE_PARTNER_CENTER_CATCH_UP_INTERVAL_SECONDS: '600',
      },
    });
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  it('R13: a deal created while the first CDC subscriptions are on their way reaches Partner Center, swept once the stream is live', async () => {
    // Subscribing "from now on" (-1) never delivers a change committed before the subscription
    // is acknowledged. Hold every CometD POST (two handshakes, then two connect+subscribe
    // batches) 4 s, and create the deal while both subscribes are held.
    const solution = await stack.seed.solution();
    await stack.salesforce.control.addFault({
      match: { method: 'POST', path: '/cometd' },
      latencyMs: 4_000,
      times: 4,
    });
    await stack.bridge.start({ waitReady: false });
    await waitForValue(
      () => stack.salesforce.control.countRequests((k) => k === 'POST /cometd/vXX.X'),
      (posts) => posts >= 4,
      { ...SYNC_DEADLINE, description: 'both subscribes to be on their way' },
    );
    const deal = await stack.seed.coSellDeal({ solution });
    expect(stack.bridge.logs((l) => l.event === 'cdc.subscribed')).toHaveLength(0);

    await waitForOpportunity(
      stack.seller,
      deal.opportunityId,
      isSynced,
      'the deal created while subscribing to reach Partner Center',
    );
    expect(await referralsFor(stack.partnerCenter.control, deal.opportunityId)).toHaveLength(1);
    // It came from a sweep that started once a stream listened (nothing else runs in this
    // window: the start-up sweep was over before the deal existed, no periodic sweep, and the
    // stream never carries it). Either channel's sweep may be the one that finds it first.
    const sweeps = stack.bridge.logs(
      (l) =>
        l.event === 'sync.reconcile' &&
        String(l.reason).startsWith('change stream live from now on ') &&
        Number(l.enqueued) >= 1,
    );
    expect(sweeps).not.toHaveLength(0);
  });
});
