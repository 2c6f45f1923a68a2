/**
 * Steady edits: rounds of one edit to each of N synced opportunities (as N sellers would), each
 * round given time to land. Calls per outbound change on both services.
 */
import { startMeter } from '../measure';
import { dealValueOf, waitForReferrals, waitSettled } from '../workload';
import { quietMsFor, type ScenarioContext, type ScenarioResult } from './context';
import { syncedDeals } from './prepare';

export async function steadyEdits(context: ScenarioContext): Promise<ScenarioResult> {
  const { world, profile } = context;
  const { opportunities, rounds } = profile.steady;
  const deals = await syncedDeals(context, opportunities, 'steady');
  const meter = await startMeter(world);
  for (let round = 1; round <= rounds; round += 1) {
    const wanted = new Map(deals.ids.map((id, i) => [id, 200_000 + round * 1_000 + i]));
    for (const [id, amount] of wanted) {
      await world.salesforce.control.updateRecord(id, { Amount: amount });
    }
    await waitForReferrals(world, deals.ids, (r, id) => dealValueOf(r) === wanted.get(id), {
      timeoutMs: 60_000,
      description: `${world.kind}: steady round ${round} to reach Partner Center`,
    });
    context.log(`steady round ${round}/${rounds} landed`);
  }
  await waitSettled(world, { quietMs: quietMsFor(context), timeoutMs: 60_000 });
  const m = await meter.stop();
  const changes = opportunities * rounds;
  return {
    figures: {
      partnerCenterCallsPerChange: m.partnerCenterCalls / changes,
      salesforceCallsPerChange: m.salesforceApiCalls / changes,
    },
    details: {
      changes,
      partnerCenterCalls: m.partnerCenterCalls,
      salesforceApiCalls: m.salesforceApiCalls,
      ownPartnerCenterCalls: m.ownPartnerCenterCalls,
      elapsedMs: m.elapsedMs,
      salesforceRoutes: m.salesforceRoutes,
      partnerCenterRoutes: m.partnerCenterRoutes,
    },
  };
}
