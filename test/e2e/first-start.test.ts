/**
 * R13 at the very first start: no replay cursor yet, periodic sweeps far away (as in production,
 * 15 min by default). A seller's change made after the bridge reports ready and subscribed must
 * still arrive through Change Data Capture, not wait for the next reconciliation sweep.
 */
import { startStack, type Stack } from '../support';
import { E2E_TIMEOUT_MS, waitForOpportunity } from './e2e-helpers';

jest.setTimeout(E2E_TIMEOUT_MS);

describe('e2e: first start', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({
      bridgeEnv: {
        BRIDGE_RECONCILE_INTERVAL_SECONDS: '900',
        BRIDGE_PARTNER_CENTER_CATCH_UP_INTERVAL_SECONDS: '900',
      },
    });
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  it('R13: the first change after a fresh start arrives through CDC without waiting for a sweep', async () => {
    const deal = await stack.seed.coSellDeal();
    const synced = await waitForOpportunity(
      stack.seller,
      deal.opportunityId,
      (o) => !!o.Partner_Center_Referral_Id__c,
      'the first deal after start to reach Partner Center',
      { timeoutMs: 20_000 },
    );
    expect(synced.Partner_Center_Sync_Status__c).toBe('Synced');
  });
});
