/**
 * Owner notifications (issue 19), end to end: the bridge process sends Salesforce custom
 * notifications through the REST Send Custom Notification action of the Salesforce emulator,
 * which lists what it received (GET /__emulator/notifications). Each kind: a new referral from
 * Microsoft, a submission error with its fix, accepted/declined/won/lost in Partner Center, and a
 * referral about to expire (flagged on the record too).
 */
import { INTEGRATION_USERNAME, startStack, waitForValue, type Stack } from '../support';
import { E2E_TIMEOUT_MS, SYNC_DEADLINE, readOpportunity } from './e2e-helpers';
import {
  NOTIFICATION_ACTION_ROUTE,
  microsoftReferral as sendReferral,
  receivedNotifications,
  waitForNotification,
} from './notification-helpers';

jest.setTimeout(E2E_TIMEOUT_MS);

describe('e2e: custom notifications to the opportunity owner', () => {
  let stack: Stack;
  let solutionId: string;

  beforeAll(async () => {
    // The expiry sweep runs on the reconciliation schedule; 10 s is the shortest allowed.
    stack = await startStack({ bridgeEnv: { BRIDGE_RECONCILE_INTERVAL_SECONDS: '10' } });
    solutionId = (await stack.seed.solution()).solutionId;
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  const received = () => receivedNotifications(stack);
  const notificationFor = (type: string, targetId: string, description: string) =>
    waitForNotification(stack, type, targetId, description);
  const microsoftReferral = (query = '') => sendReferral(stack, solutionId, query);

  it('a new referral from Microsoft: its owner is told to accept or decline it', async () => {
    const { opportunityId } = await microsoftReferral();
    const opportunity = await readOpportunity(stack.seller, opportunityId);
    const [sent] = await notificationFor(
      'Co_Sell_New_Referral',
      opportunityId,
      'a new-referral notification',
    );
    expect(sent).toMatchObject({ recipients: [opportunity.OwnerId], targetId: opportunityId });
    expect(sent!.title).toContain(opportunity.Name);
    expect(sent!.body).toMatch(/Accept or decline it on the opportunity by \d{4}-\d{2}-\d{2}/);
  });

  it('R11/R16: a submission error is sent with its fix, once, to the owner', async () => {
    const accountId = await stack.seed.account({ country: 'Sweden' });
    const solution = await stack.seed.solution();
    // Only the bridge's own writes pass the rules on such a record; seed it as the bridge would.
    const opportunityId = await stack.seed.opportunity({
      accountId,
      solutionRecordIds: [solution.recordId],
      fields: { Partner_Center_Sync_Status__c: 'Error', Sync_with_Partner_Center__c: true },
      as: INTEGRATION_USERNAME,
    });
    const [sent] = await notificationFor(
      'Co_Sell_Sync_Error',
      opportunityId,
      'a sync-error notification',
    );
    const opportunity = await readOpportunity(stack.seller, opportunityId);
    expect(sent!.recipients).toEqual([opportunity.OwnerId]);
    expect(sent!.body).toBe(opportunity.Partner_Center_Sync_Message__c);
    expect(sent!.body).toContain('Account Billing Country');
  });

  it.each([
    ['accepted', { status: 'Active', substatus: 'Accepted' }],
    ['declined', { status: 'Closed', substatus: 'Declined' }],
    ['won', { status: 'Closed', substatus: 'Won' }],
    ['lost', { status: 'Closed', substatus: 'Lost' }],
  ])('R18: %s by Microsoft in Partner Center: the owner hears it', async (word, change) => {
    const { referralId, opportunityId } = await microsoftReferral();
    await notificationFor('Co_Sell_New_Referral', opportunityId, 'the new-referral notification');
    await stack.partnerCenter.control.microsoftUpdate(referralId, change);
    const [sent] = await notificationFor(
      'Co_Sell_Referral_Status',
      opportunityId,
      `a ${word} notification`,
    );
    expect(sent!.title).toContain(word);
    expect(sent!.body).toContain(`${change.status}/${change.substatus}`);
  });

  it('a referral about to expire unanswered is flagged on the record and its owner told, once', async () => {
    // Sent 13 days ago: Partner Center expires it tomorrow, inside the 72-hour warning.
    const at = new Date(Date.now() - 13 * 24 * 3_600_000).toISOString();
    const { opportunityId } = await microsoftReferral(`?at=${encodeURIComponent(at)}`);
    const [sent] = await notificationFor(
      'Co_Sell_Referral_Expiring',
      opportunityId,
      'an expiring notification',
    );
    expect(sent!.body).toMatch(/expires on \d{4}-\d{2}-\d{2}/);
    const flagged = await stack.seller.query<{
      Partner_Center_Expires_Soon__c: boolean;
      Partner_Center_Expiration__c: string;
    }>(
      `SELECT Partner_Center_Expires_Soon__c, Partner_Center_Expiration__c FROM Opportunity WHERE Id = '${opportunityId}'`,
    );
    expect(flagged.records[0]).toMatchObject({ Partner_Center_Expires_Soon__c: true });
    expect(Date.parse(flagged.records[0]!.Partner_Center_Expiration__c)).toBeLessThan(
      Date.now() + 72 * 3_600_000,
    );
    // Answering it clears the flag.
    await stack.seller
      .sobject('Opportunity')
      .update({ Id: opportunityId, Co_Sell_Decision__c: 'Accept' });
    await waitForValue(
      async () =>
        (
          await stack.seller.query<{ Partner_Center_Expires_Soon__c: boolean }>(
            `SELECT Partner_Center_Expires_Soon__c FROM Opportunity WHERE Id = '${opportunityId}'`,
          )
        ).records[0],
      (o) => o?.Partner_Center_Expires_Soon__c === false,
      { ...SYNC_DEADLINE, description: 'the expires-soon flag to clear once accepted' },
    );
  });

  it('R1: counts the API calls: never more action requests than notifications', async () => {
    const notifications = (await received()).length;
    const { requests } = (await stack.salesforce.control.stats()) as {
      requests: Record<string, number>;
    };
    const actionCalls = Object.entries(requests)
      .filter(([key]) => key.startsWith('POST') && key.includes(NOTIFICATION_ACTION_ROUTE))
      .reduce((sum, [, n]) => sum + n, 0);
    expect(notifications).toBeGreaterThan(0);
    expect(actionCalls).toBeGreaterThan(0);
    expect(actionCalls).toBeLessThanOrEqual(notifications);
    console.log(`notifications: ${notifications} in ${actionCalls} action request(s)`);
  });
});
