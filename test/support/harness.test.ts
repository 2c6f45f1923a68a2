/**
 * Smoke test of the harness itself: both emulators as separate processes, seeding through the
 * UI-like control route, a seller's jsforce connection reading it back, the Partner Center side
 * acting as Microsoft, and waitFor's deadline message. No bridge involved.
 */
import type { Connection } from 'jsforce';
import {
  Seeder,
  connectAs,
  startPartnerCenterEmulatorProcess,
  startSalesforceEmulatorProcess,
  waitFor,
  waitForValue,
  type EmulatorProcess,
  type PartnerCenterControl,
  type SalesforceControl,
} from './index';

jest.setTimeout(60_000);

describe('e2e harness', () => {
  let salesforce: EmulatorProcess<SalesforceControl>;
  let partnerCenter: EmulatorProcess<PartnerCenterControl>;
  let seller: Connection;
  let seed: Seeder;

  beforeAll(async () => {
    [salesforce, partnerCenter] = await Promise.all([
      startSalesforceEmulatorProcess(),
      startPartnerCenterEmulatorProcess(),
    ]);
    seller = await connectAs(salesforce.url, salesforce.control);
    seed = new Seeder(salesforce.control, partnerCenter.control);
  });

  afterAll(async () => {
    await Promise.all([salesforce?.stop(), partnerCenter?.stop()]);
  });

  it('seeds a complete co-sell deal that the seller reads back through jsforce', async () => {
    const deal = await seed.coSellDeal();
    const result = await seller.query<{
      Id: string;
      Sync_with_Partner_Center__c: boolean;
      Account: { BillingCountry: string };
      Co_Sell_Solution_Count__c: number;
    }>(
      `SELECT Id, Sync_with_Partner_Center__c, Account.BillingCountry, Co_Sell_Solution_Count__c FROM Opportunity WHERE Id = '${deal.opportunityId}'`,
    );
    const opportunity = result.records[0];
    expect(opportunity).toMatchObject({
      Sync_with_Partner_Center__c: true,
      Account: { BillingCountry: 'US' },
      Co_Sell_Solution_Count__c: 1,
    });
    const solutions = await partnerCenter.control.solutions();
    expect(solutions.map((s) => s.id)).toContain(deal.solution.solutionId);
  });

  it('seller edits reach the CDC event log (they are what the bridge subscribes to)', async () => {
    const deal = await seed.coSellDeal({ sync: false });
    const before = (await salesforce.control.events()).latestReplayId;
    await salesforce.control.updateRecord(deal.opportunityId, { Amount: 130_000 });
    const after = await waitForValue(
      () => salesforce.control.events(),
      (e) => e.latestReplayId > before,
      { timeoutMs: 5_000, description: 'a new change event' },
    );
    expect(after.latestReplayId).toBeGreaterThan(before);
  });

  it('acts as Microsoft: creates and closes an incoming referral', async () => {
    const created = await partnerCenter.control.microsoftCreate(seed.microsoftReferralBody());
    expect(created).toMatchObject({ status: 'New', direction: 'Incoming' });
    const id = String(created.id);
    await partnerCenter.control.microsoftUpdate(id, { status: 'Closed', substatus: 'Lost' });
    const referrals = await partnerCenter.control.referrals();
    expect(referrals.find((r) => r.id === id)).toMatchObject({
      status: 'Closed',
      substatus: 'Lost',
    });
  });

  it('waitFor fails at its deadline and names the last value it saw', async () => {
    let probes = 0;
    await expect(
      waitFor(() => (probes += 1) < 0, { timeoutMs: 300, intervalMs: 50, description: 'never' }),
    ).rejects.toThrow(/waiting for never; last observed: false/);
    expect(probes).toBeGreaterThan(1);
  });
});
