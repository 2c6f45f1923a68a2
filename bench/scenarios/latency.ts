/**
 * Latency with 100–300 ms injected on every request to either emulator. Outbound: a seller's
 * commit → the referral's `updatedDateTime` (stamped by the Partner Center emulator when the
 * PATCH is applied). Inbound: Microsoft's change → the opportunity's `LastModifiedDate` (stamped
 * by the Salesforce emulator when the bridge's write lands). Edits are sent open-loop at a fixed
 * cadence, each to its own opportunity; the clock starts just before the edit is sent.
 * Before the injection, lone edits (one per quiet opportunity) measure what a seller waits with
 * the shipped defaults and no injected delay.
 */
import { waitFor } from '../../test/support';
import { injectLatency } from '../latency-injection';
import { median, percentile } from '../percentiles';
import { dealValueOf, waitForReferrals, waitSettled } from '../workload';
import { pause, quietMsFor, type ScenarioContext, type ScenarioResult } from './context';
import { syncedDeals } from './prepare';

/** Requests on the outbound critical path: CDC delivery, the batched read, the PATCH. */
export const OUTBOUND_PATH_REQUESTS = 3;

/** Partner Center writes 7 fractional digits, Salesforce `+0000`: both to epoch ms. */
export function parseServiceTime(text: string): number {
  const normalised = text.replace(/(\.\d{3})\d+/, '$1').replace(/\+0000$/, 'Z');
  const ms = Date.parse(normalised);
  if (Number.isNaN(ms)) throw new Error(`not a timestamp: ${text}`);
  return ms;
}

export async function latency(context: ScenarioContext): Promise<ScenarioResult> {
  const { world, profile } = context;
  const { samples, loneEdits, cadenceMs, injection } = profile.latency;
  const deals = await syncedDeals(context, samples, 'latency');
  // Without injected latency first: one edit to a quiet opportunity, with the shipped window.
  const quiet = await syncedDeals(context, loneEdits, 'lone edit');
  const lone = await outboundLatencies(context, quiet.ids, cadenceMs);
  context.log(`lone-edit latency: ${lone.length} samples`);
  await waitSettled(world, { quietMs: quietMsFor(context), timeoutMs: 60_000 });
  await Promise.all([
    injectLatency(world.salesforce.control, injection),
    injectLatency(world.partnerCenter.control, injection),
  ]);
  try {
    const outbound = await outboundLatencies(context, deals.ids, cadenceMs);
    context.log(`outbound latency: ${outbound.length} samples`);
    await waitSettled(world, { quietMs: quietMsFor(context), timeoutMs: 60_000 });
    // The flow model is outbound only (Microsoft's inbound flow is webhook-triggered as well).
    const inbound =
      world.kind === 'ours' ? await inboundLatencies(context, deals.ids, cadenceMs) : [];
    const outboundP99 = percentile(outbound, 99);
    const injectedOnPathMaxMs = OUTBOUND_PATH_REQUESTS * injection.maxMs;
    return {
      figures: {
        loneEditLatencyMsP50: median(lone),
        outboundLatencyMsP50: median(outbound),
        outboundLatencyMsP99: outboundP99,
        inboundLatencyMsP50: inbound.length > 0 ? median(inbound) : null,
        inboundLatencyMsP99: inbound.length > 0 ? percentile(inbound, 99) : null,
      },
      details: {
        samples,
        cadenceMs,
        injectedLatencyMs: { min: injection.minMs, max: injection.maxMs },
        injectedOnPathMaxMs,
        outboundOverheadMsP99: outboundP99 - injectedOnPathMaxMs,
        loneEditMs: lone,
        outboundMs: outbound,
        inboundMs: inbound,
      },
    };
  } finally {
    await Promise.all([
      world.salesforce.control.clearFaults(),
      world.partnerCenter.control.clearFaults(),
    ]);
  }
}

async function outboundLatencies(
  context: ScenarioContext,
  ids: readonly string[],
  cadenceMs: number,
): Promise<number[]> {
  const { world } = context;
  const sentAt = new Map<string, number>();
  const wanted = new Map<string, number>();
  const startedAt = Date.now();
  for (const [i, id] of ids.entries()) {
    await pause(startedAt + i * cadenceMs - Date.now());
    wanted.set(id, 400_000 + i);
    sentAt.set(id, Date.now());
    await world.salesforce.control.updateRecord(id, { Amount: 400_000 + i });
  }
  const referrals = await waitForReferrals(
    world,
    ids,
    (r, id) => dealValueOf(r) === wanted.get(id),
    { timeoutMs: 60_000, description: `${world.kind}: latency edits to reach Partner Center` },
  );
  return ids.map((id) => {
    const updated = referrals.get(id)?.updatedDateTime;
    if (typeof updated !== 'string') throw new Error(`referral of ${id} has no updatedDateTime`);
    return parseServiceTime(updated) - (sentAt.get(id) ?? Number.NaN);
  });
}

async function inboundLatencies(
  context: ScenarioContext,
  ids: readonly string[],
  cadenceMs: number,
): Promise<number[]> {
  const { world } = context;
  const referrals = await waitForReferrals(world, ids, () => true, {
    timeoutMs: 10_000,
    description: 'referral ids of the latency deals',
  });
  const sentAt = new Map<string, number>();
  const wanted = new Map<string, number>();
  const startedAt = Date.now();
  for (const [i, id] of ids.entries()) {
    await pause(startedAt + i * cadenceMs - Date.now());
    const referralId = referrals.get(id)?.id;
    if (!referralId) throw new Error(`no referral for ${id}`);
    wanted.set(id, 500_000 + i);
    sentAt.set(id, Date.now());
    await world.partnerCenter.control.microsoftUpdate(referralId, {
      details: { dealValue: 500_000 + i },
    });
  }
  const idList = ids.map((id) => `'${id}'`).join(',');
  const rows = await waitFor(
    async () => {
      const result = await world.seller.query<{
        Id: string;
        Amount: number;
        LastModifiedDate: string;
      }>(`SELECT Id, Amount, LastModifiedDate FROM Opportunity WHERE Id IN (${idList})`);
      const done = result.records.filter((r) => r.Amount === wanted.get(r.Id));
      return done.length === ids.length ? done : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 250, description: 'Microsoft changes to reach Salesforce' },
  );
  return rows.map((r) => parseServiceTime(r.LastModifiedDate) - (sentAt.get(r.Id) ?? Number.NaN));
}
