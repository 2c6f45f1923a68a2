/**
 * Bulk: N opportunities (sync off, complete co-sell data) switched on by the seller at once →
 * time until every referral exists and the system has finished (write-backs and audit included).
 */
import { waitFor } from '../../test/support';
import { cpuBetween, cpuDetails } from '../cpu-time';
import { readCpu, startMeter } from '../measure';
import { isCompositeInsertRoute, isOpportunityWriteRoute, sumRoutes } from '../stats';
import { seedDeals, switchOnTogether, waitForReferrals, waitSettled } from '../workload';
import { quietMsFor, type ScenarioContext, type ScenarioResult } from './context';

export async function bulk(context: ScenarioContext): Promise<ScenarioResult> {
  const { world, profile } = context;
  const n = profile.bulk.opportunities;
  const deals = await seedDeals(world, n, { sync: false, label: 'bulk' });
  // Creating them (sync off) raised change events of its own; let the system finish with those
  // first, so the meter sees the switch-on alone and not a seeding still being worked through.
  await waitSettled(world, { quietMs: quietMsFor(context), timeoutMs: 120_000 + n * 50 });
  context.log(`bulk: ${n} opportunities seeded`);
  const meter = await startMeter(world);
  let sampledPeakMb = 0;
  const sampler = setInterval(() => {
    sampledPeakMb = Math.max(sampledPeakMb, world.system.memory()?.rssMb ?? 0);
  }, 250);
  try {
    const startedAt = Date.now();
    const cpuAtStart = readCpu(world);
    const sellerCalls = await switchOnTogether(world, deals.ids);
    await waitForReferrals(world, deals.ids, () => true, {
      timeoutMs: 120_000 + n * 100,
      description: `${world.kind}: ${n} referrals created`,
    });
    const referralsAt = Date.now();
    await waitFor(() => world.system.isIdle(), {
      timeoutMs: 120_000,
      intervalMs: 100,
      description: `${world.kind}: bulk write-backs finished`,
    });
    const finishedAt = Date.now();
    const cpu = cpuBetween(cpuAtStart, readCpu(world));
    await waitSettled(world, { quietMs: quietMsFor(context), timeoutMs: 60_000 });
    const m = await meter.stop();
    const memory = world.system.memory();
    const writeBacks = sumRoutes(m.salesforceRoutes, isOpportunityWriteRoute) - sellerCalls;
    const synced = await countSynced(context, deals.namePrefix);
    return {
      figures: {
        bulkOpportunitiesPerSecond: n / ((finishedAt - startedAt) / 1000),
        writebackCallsPer200: (writeBacks * 200) / n,
        peakRssMb: memory ? Math.max(sampledPeakMb, memory.peakRssMb) : null,
      },
      details: {
        opportunities: n,
        secondsToAllReferrals: (referralsAt - startedAt) / 1000,
        secondsToFinished: (finishedAt - startedAt) / 1000,
        partnerCenterCalls: m.partnerCenterCalls,
        ownPartnerCenterCalls: m.ownPartnerCenterCalls,
        salesforceApiCalls: m.salesforceApiCalls - sellerCalls,
        sellerSwitchOnCalls: sellerCalls,
        opportunityWriteCalls: writeBacks,
        auditInsertCallsPer200: (sumRoutes(m.salesforceRoutes, isCompositeInsertRoute) * 200) / n,
        syncedStatusWrittenBack: synced,
        sampledPeakRssMb: memory ? sampledPeakMb : null,
        processPeakRssMb: memory?.peakRssMb ?? null,
        ...cpuDetails(cpu, finishedAt - startedAt),
      },
    };
  } finally {
    clearInterval(sampler);
  }
}

/** After the meter: how many of them show Synced in Salesforce (the write-back really landed). */
async function countSynced(context: ScenarioContext, namePrefix: string): Promise<number> {
  const soql = `SELECT Id FROM Opportunity WHERE Partner_Center_Sync_Status__c = 'Synced' AND Name LIKE '${namePrefix}%'`;
  let page = await context.world.seller.query<{ Id: string }>(soql);
  let count = page.records.length;
  while (!page.done && page.nextRecordsUrl) {
    page = await context.world.seller.queryMore<{ Id: string }>(page.nextRecordsUrl);
    count += page.records.length;
  }
  return count;
}
