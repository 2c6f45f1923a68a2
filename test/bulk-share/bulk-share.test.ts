/**
 * Bulk share, end to end (issue 19; R1 for the budget): a seller selects 500 opportunities and
 * shares them at once. The ready ones are switched on (as the list view's Share with Partner
 * Center screen does, through the record API as the seller), the bridge syncs them within the
 * daily Partner Center call budget, and every selected record ends in a state the screen
 * reports: shared, waiting for the budget (with the reset time), or not ready (the org refuses
 * sync on without an amount, R11). The states are read with the component's own rules
 * (coSellBulkShareModel).
 */
import { startStack, uniqueSuffix, waitForValue, type Stack } from '../support';
import {
  chunks,
  resumesAt,
  summarize,
  syncState,
} from '../../force-app/main/default/lwc/coSellBulkShareModel/coSellBulkShareModel.js';

jest.setTimeout(600_000);

const SELECTED = 500;
const NOT_READY = 10;
const BUDGET = 300;

interface Row {
  Id: string;
  Sync_with_Partner_Center__c: boolean;
  Partner_Center_Sync_Status__c: string | null;
  Partner_Center_Sync_Message__c: string | null;
  Partner_Center_Referral_Id__c: string | null;
}

describe('bulk share of 500 opportunities', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({
      bridgeEnv: { PARTNER_CENTER_DAILY_CALL_BUDGET: String(BUDGET) },
    });
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  it('R1: reports every record: shared within the daily budget, the rest waiting for it, the incomplete ones not ready', async () => {
    const accountId = await stack.seed.account({ country: 'US' });
    const solution = await stack.seed.solution();
    const suffix = uniqueSuffix();
    const ids = await stack.salesforce.control.createRecords(
      'Opportunity',
      Array.from({ length: SELECTED }, (_, i) => ({
        Name: `Bulk share ${suffix} #${i}`,
        AccountId: accountId,
        StageName: 'Qualification',
        CloseDate: '2030-06-30',
        Referral_Currency__c: 'USD',
        // The last ten lack an amount: not ready (Co_Sell_Requires_Amount).
        ...(i < SELECTED - NOT_READY ? { Amount: 1000 + i } : {}),
      })),
    );
    for (const part of chunks(ids, 200)) {
      await stack.salesforce.control.createRecords(
        'Co_Sell_Solution__c',
        part.map((id: string) => ({
          Opportunity__c: id,
          Microsoft_Solution__c: solution.recordId,
        })),
      );
    }

    // Share: switch sync on for every selected record, 200 per call, as the seller.
    const results = [];
    for (const part of chunks(ids, 200)) {
      results.push(
        ...(await stack.seller.sobject('Opportunity').update(
          part.map((Id: string) => ({ Id, Sync_with_Partner_Center__c: true })),
          {
            allOrNone: false,
          },
        )),
      );
    }
    const refused = results.filter((r) => !r.success);
    expect(refused).toHaveLength(NOT_READY);
    for (const r of refused) {
      expect(JSON.stringify(r)).toContain('Amount');
    }

    const read = async () => {
      const rows: Row[] = [];
      for (const part of chunks(ids, 200)) {
        const page = await stack.seller.query<Row>(
          `SELECT Id, Sync_with_Partner_Center__c, Partner_Center_Sync_Status__c, Partner_Center_Sync_Message__c, Partner_Center_Referral_Id__c FROM Opportunity WHERE Id IN ('${part.join("','")}')`,
        );
        rows.push(...page.records);
      }
      return rows.map((row) => {
        const state = syncState({
          syncOn: row.Sync_with_Partner_Center__c,
          status: row.Partner_Center_Sync_Status__c,
          message: row.Partner_Center_Sync_Message__c,
          referralId: row.Partner_Center_Referral_Id__c,
        });
        // Sync stayed off only where the org refused it: the screen shows those as not ready.
        return {
          id: row.Id,
          state: state === 'off' ? 'not-ready' : state,
          message: row.Partner_Center_Sync_Message__c,
        };
      });
    };
    const final = await waitForValue(read, (rows) => summarize(rows).settled, {
      timeoutMs: 480_000,
      intervalMs: 2_000,
      description: 'every shared opportunity to be shared or waiting for the budget',
    });
    const summary = summarize(final);
    expect(summary.total).toBe(SELECTED);
    expect(summary.counts['not-ready']).toBe(NOT_READY);
    expect(summary.counts.failed).toBe(0);
    expect(summary.counts.shared + summary.counts.waiting).toBe(SELECTED - NOT_READY);
    expect(summary.counts.waiting).toBeGreaterThan(0);
    expect(summary.counts.shared).toBeGreaterThan(0);
    for (const row of final.filter((r) => r.state === 'waiting')) {
      expect(resumesAt(row.message)).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00\.000Z$/);
    }
    // The budget held: Partner Center saw no more Referrals API calls than it allows.
    expect(await stack.partnerCenter.control.referralsApiCalls()).toBeLessThanOrEqual(BUDGET);
  });
});
