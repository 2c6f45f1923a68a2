import { seedDeals, waitForReferrals, waitSettled, type SeededDeals } from '../workload';
import { quietMsFor, type ScenarioContext } from './context';

/** Deals with sync on whose referrals exist and whose system has settled (not measured). */
export async function syncedDeals(
  context: ScenarioContext,
  count: number,
  label: string,
): Promise<SeededDeals> {
  const { world } = context;
  const deals = await seedDeals(world, count, { sync: true, label });
  await waitForReferrals(world, deals.ids, () => true, {
    timeoutMs: 60_000 + count * 100,
    description: `${world.kind}: referrals for ${count} ${label} deals`,
  });
  await waitSettled(world, { quietMs: quietMsFor(context), timeoutMs: 120_000 });
  return deals;
}
