/**
 * The workload both systems get: co-sell deals seeded through the Salesforce emulator's UI-like
 * control route (to the systems they are a seller's records; to the stats they are free), edits
 * as a seller makes them, and the waits that tell when a system has caught up — read through
 * the emulators' control routes, which the request statistics do not count.
 */
import { dateInDays, uniqueSuffix, waitFor, type Json } from '../test/support';
import type { World } from './world';

const CHUNK = 200;

export interface SeededDeals {
  ids: string[];
  /** Every opportunity's name starts with it (for one SOQL over the whole set). */
  namePrefix: string;
  /** Amount each opportunity was created with, by id. */
  amounts: Map<string, number>;
}

/** `count` valid co-sell deals (one shared customer, contact and solution), sync off or on. */
export async function seedDeals(
  world: World,
  count: number,
  options: { sync: boolean; label: string },
): Promise<SeededDeals> {
  const { seed, salesforce } = world;
  const accountId = await seed.account();
  const contactId = await seed.contact({ accountId });
  const solution = await seed.solution();
  const namePrefix = `${options.label} ${uniqueSuffix()}`;
  const ids: string[] = [];
  const amounts = new Map<string, number>();
  for (let start = 0; start < count; start += CHUNK) {
    const records: Json[] = [];
    for (let i = start; i < Math.min(count, start + CHUNK); i += 1) {
      records.push({
        Name: `${namePrefix} #${i}`,
        AccountId: accountId,
        StageName: 'Qualification',
        CloseDate: dateInDays(60),
        Amount: 100_000 + i,
        Referral_Currency__c: 'USD',
        Co_Sell_Customer_Contact__c: contactId,
      });
    }
    const created = await salesforce.control.createRecords('Opportunity', records);
    await salesforce.control.createRecords(
      'Co_Sell_Solution__c',
      created.map((id) => ({ Opportunity__c: id, Microsoft_Solution__c: solution.recordId })),
    );
    created.forEach((id, k) => amounts.set(id, 100_000 + start + k));
    ids.push(...created);
  }
  if (options.sync) {
    for (const id of ids) {
      await salesforce.control.updateRecord(id, { Sync_with_Partner_Center__c: true });
    }
  }
  return { ids, namePrefix, amounts };
}

/**
 * The seller switches sync on for all of them at once: sObject Collections updates of 200, sent
 * together. Returns how many REST calls that took, so they can be subtracted from the counts.
 */
export async function switchOnTogether(world: World, ids: readonly string[]): Promise<number> {
  const chunks: string[][] = [];
  for (let start = 0; start < ids.length; start += CHUNK) {
    chunks.push(ids.slice(start, start + CHUNK));
  }
  await Promise.all(
    chunks.map(async (chunk) => {
      const results = await world.seller.sobject('Opportunity').update(
        chunk.map((Id) => ({ Id, Sync_with_Partner_Center__c: true })),
        {
          allOrNone: true,
        },
      );
      const refused = results.filter((r) => !r.success);
      if (refused.length > 0) {
        throw new Error(`switching sync on was refused: ${JSON.stringify(refused[0])}`);
      }
    }),
  );
  return chunks.length;
}

export type Referral = Json & {
  id: string;
  externalReferenceId?: string;
  updatedDateTime?: string;
};

export function dealValueOf(referral: Referral | undefined): unknown {
  return (referral?.details as Json | undefined)?.dealValue;
}

/**
 * Waits until every opportunity has a referral that `accept` approves; returns them. Polls only
 * what changed since the previous poll: the Partner Center emulator is the busiest process of a
 * bulk run, and listing every referral five times a second took a measurable share of it.
 */
export async function waitForReferrals(
  world: World,
  ids: readonly string[],
  accept: (referral: Referral, opportunityId: string) => boolean,
  options: { timeoutMs: number; description: string },
): Promise<Map<string, Referral>> {
  let missing = ids.length;
  const referrals = new Map<string, Referral>();
  let after = 0;
  return waitFor(
    async () => {
      const changed = await world.partnerCenter.control.referralsChangedAfter(after);
      after = changed.sequence;
      for (const referral of changed.value as Referral[]) {
        if (typeof referral.externalReferenceId === 'string') {
          referrals.set(referral.externalReferenceId, referral);
        }
      }
      missing = ids.filter((id) => {
        const referral = referrals.get(id);
        return !referral || !accept(referral, id);
      }).length;
      return missing === 0 ? referrals : undefined;
    },
    { timeoutMs: options.timeoutMs, intervalMs: 200, description: options.description },
  ).catch((error: unknown) => {
    throw new Error(`${(error as Error).message} (${missing} of ${ids.length} not there yet)`, {
      cause: error,
    });
  });
}

/**
 * Waits until the system is idle and no Referrals API call has been made for `quietMs` — so the
 * counts that follow include any trailing call (a second PATCH of a split burst, a retry).
 */
export async function waitSettled(
  world: World,
  options: { quietMs: number; timeoutMs: number },
): Promise<void> {
  let lastCount = -1;
  let quietSince = Date.now();
  await waitFor(
    async () => {
      const count = await world.partnerCenter.control.referralsApiCalls();
      const idle = await world.system.isIdle();
      if (count !== lastCount || !idle) {
        lastCount = count;
        quietSince = Date.now();
        return false;
      }
      return Date.now() - quietSince >= options.quietMs;
    },
    { timeoutMs: options.timeoutMs, intervalMs: 100, description: `${world.kind} to settle` },
  );
}
