/**
 * Catch-up: the system is stopped while sellers make C changes (E edits to each of C/E synced
 * opportunities), then started → time until every referral shows the last edit and the system
 * is idle, and the calls it took (the restart's own calls included).
 */
import { waitFor } from '../../test/support';
import { cpuBetween, cpuDetails } from '../cpu-time';
import { readCpu, startMeter } from '../measure';
import { dealValueOf, waitForReferrals, waitSettled } from '../workload';
import { quietMsFor, type ScenarioContext, type ScenarioResult } from './context';
import { syncedDeals } from './prepare';

export async function catchUp(context: ScenarioContext): Promise<ScenarioResult> {
  const { world, profile } = context;
  const { changes, editsPerOpportunity } = profile.catchUp;
  const count = Math.ceil(changes / editsPerOpportunity);
  const deals = await syncedDeals(context, count, 'catch-up');
  await world.system.stop();
  const meter = await startMeter(world);
  const wanted = new Map<string, number>();
  for (let edit = 1; edit <= editsPerOpportunity; edit += 1) {
    for (const [i, id] of deals.ids.entries()) {
      const amount = 600_000 + edit * 10_000 + i;
      wanted.set(id, amount);
      await world.salesforce.control.updateRecord(id, { Amount: amount });
    }
  }
  context.log(`catch-up: ${count * editsPerOpportunity} changes made while stopped`);
  const startedAt = Date.now();
  const cpuAtStart = readCpu(world);
  await world.system.start();
  await waitForReferrals(world, deals.ids, (r, id) => dealValueOf(r) === wanted.get(id), {
    timeoutMs: 180_000,
    description: `${world.kind}: catch-up to reach Partner Center`,
  });
  const referralsAt = Date.now();
  await waitFor(() => world.system.isIdle(), {
    timeoutMs: 120_000,
    intervalMs: 100,
    description: `${world.kind}: catch-up finished`,
  });
  const finishedAt = Date.now();
  const cpu = cpuBetween(cpuAtStart, readCpu(world));
  await waitSettled(world, { quietMs: quietMsFor(context), timeoutMs: 60_000 });
  const m = await meter.stop();
  const made = count * editsPerOpportunity;
  return {
    figures: {
      catchUpSeconds: (finishedAt - startedAt) / 1000,
      catchUpPartnerCenterCalls: m.partnerCenterCalls,
      catchUpSalesforceCalls: m.salesforceApiCalls,
    },
    details: {
      changes: made,
      secondsToReferrals: (referralsAt - startedAt) / 1000,
      opportunities: count,
      partnerCenterCalls: m.partnerCenterCalls,
      ownPartnerCenterCalls: m.ownPartnerCenterCalls,
      partnerCenterRoutes: m.partnerCenterRoutes,
      salesforceRoutes: m.salesforceRoutes,
      ...cpuDetails(cpu, finishedAt - startedAt),
    },
  };
}
