/** Burst: many edits to one opportunity within a second → Partner Center calls made. */
import { startMeter } from '../measure';
import { dealValueOf, waitForReferrals, waitSettled } from '../workload';
import { pause, quietMsFor, type ScenarioContext, type ScenarioResult } from './context';
import { syncedDeals } from './prepare';

export async function burst(context: ScenarioContext): Promise<ScenarioResult> {
  const { world, profile } = context;
  const { edits, withinMs } = profile.burst;
  const [id] = (await syncedDeals(context, 1, 'burst')).ids;
  if (!id) throw new Error('no opportunity seeded for the burst');
  const meter = await startMeter(world);
  const gapMs = withinMs / edits;
  const startedAt = Date.now();
  let finalAmount = 0;
  for (let k = 0; k < edits; k += 1) {
    await pause(startedAt + k * gapMs - Date.now());
    finalAmount = 300_000 + k;
    await world.salesforce.control.updateRecord(id, { Amount: finalAmount });
  }
  const burstMs = Date.now() - startedAt;
  await waitForReferrals(world, [id], (r) => dealValueOf(r) === finalAmount, {
    timeoutMs: 30_000,
    description: `${world.kind}: the burst's last value to reach Partner Center`,
  });
  await waitSettled(world, { quietMs: quietMsFor(context), timeoutMs: 30_000 });
  const m = await meter.stop();
  return {
    figures: { burstCalls: m.partnerCenterCalls },
    details: {
      edits,
      burstMs,
      partnerCenterCalls: m.partnerCenterCalls,
      salesforceApiCalls: m.salesforceApiCalls,
      ownPartnerCenterCalls: m.ownPartnerCenterCalls,
      partnerCenterRoutes: m.partnerCenterRoutes,
    },
  };
}
