/**
 * Accept and decline a referral Microsoft sent, from Salesforce (issue 19), end to end: the
 * Partner Center emulator acts as Microsoft, the seller answers through jsforce, the bridge
 * process sees the change (CDC) and moves the referral through Partner Center's documented
 * transitions, then writes the result back, audits it and clears the decision.
 */
import type { Connection } from 'jsforce';
import { startStack, waitForValue, type Json, type Stack } from '../support';
import {
  E2E_TIMEOUT_MS,
  SYNC_DEADLINE,
  findOpportunities,
  referralById,
  syncEvents,
} from './e2e-helpers';

jest.setTimeout(E2E_TIMEOUT_MS);

interface DecisionRow {
  Id: string;
  StageName: string;
  Sync_with_Partner_Center__c: boolean;
  Partner_Center_Status__c: string | null;
  Partner_Center_Substatus__c: string | null;
  Partner_Center_Sync_Status__c: string | null;
  Co_Sell_Decision__c: string | null;
  Co_Sell_Decline_Reason__c: string | null;
}

async function decisionRow(seller: Connection, id: string): Promise<DecisionRow> {
  const result = await seller.query<DecisionRow>(
    `SELECT Id, StageName, Sync_with_Partner_Center__c, Partner_Center_Status__c, Partner_Center_Substatus__c, Partner_Center_Sync_Status__c, Co_Sell_Decision__c, Co_Sell_Decline_Reason__c FROM Opportunity WHERE Id = '${id}'`,
  );
  return result.records[0]!;
}

describe('e2e: accept / decline a referral Microsoft sent, from Salesforce', () => {
  let stack: Stack;
  let solutionId: string;

  beforeAll(async () => {
    stack = await startStack();
    solutionId = (await stack.seed.solution()).solutionId;
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  /** Microsoft sends a referral; resolves with its id and the opportunity once it waits (sync on). */
  async function waitingReferral(): Promise<{ referralId: string; opportunityId: string }> {
    const referral = await stack.partnerCenter.control.microsoftCreate(
      stack.seed.microsoftReferralBody({}, solutionId),
    );
    const referralId = String(referral.id);
    const [linked] = await waitForValue(
      () => findOpportunities(stack.seller, `Partner_Center_Referral_Id__c = '${referralId}'`),
      (list) => list.length > 0 && list[0]!.Sync_with_Partner_Center__c,
      { ...SYNC_DEADLINE, description: `an opportunity (sync on) for referral ${referralId}` },
    );
    const row = await decisionRow(stack.seller, linked!.Id);
    // It waits for a decision: New in Partner Center, in the on-hold stage in Salesforce.
    expect(row).toMatchObject({ Partner_Center_Status__c: 'New', StageName: 'Prospecting' });
    return { referralId, opportunityId: linked!.Id };
  }

  const partnerCenterState = (referralId: string, status: string, substatus: string) =>
    waitForValue(
      () => referralById(stack.partnerCenter.control, referralId),
      (r) => r?.status === status && r?.substatus === substatus,
      { ...SYNC_DEADLINE, description: `referral ${referralId} to be ${status}/${substatus}` },
    ) as Promise<Json>;

  const salesforceAnswered = (opportunityId: string, status: string, substatus: string) =>
    waitForValue(
      () => decisionRow(stack.seller, opportunityId),
      (o) =>
        o.Partner_Center_Status__c === status &&
        o.Partner_Center_Substatus__c === substatus &&
        o.Co_Sell_Decision__c === null,
      {
        ...SYNC_DEADLINE,
        description: `opportunity ${opportunityId} to show ${status}/${substatus}, decision cleared`,
      },
    );

  it('Co-Sell Decision = Accept moves the referral to Active/Accepted; both sides agree, audited, decision cleared', async () => {
    const { referralId, opportunityId } = await waitingReferral();
    await stack.seller
      .sobject('Opportunity')
      .update({ Id: opportunityId, Co_Sell_Decision__c: 'Accept' });
    const referral = await partnerCenterState(referralId, 'Active', 'Accepted');
    expect(referral.acceptedDateTime).toBeTruthy();
    const row = await salesforceAnswered(opportunityId, 'Active', 'Accepted');
    expect(row.Partner_Center_Sync_Status__c).toBe('Synced');
    // Audited: the outbound attempt names the status change it sent (R10).
    const events = await waitForValue(
      () =>
        syncEvents(
          stack.seller,
          `Opportunity__c = '${opportunityId}' AND Direction__c = 'Outbound' AND Outcome__c = 'Success'`,
        ),
      (list) => list.some((e) => /Answered the referral from Microsoft/.test(e.Message__c ?? '')),
      { ...SYNC_DEADLINE, description: 'an outbound audit event naming the answer' },
    );
    expect(events.find((e) => /\/status/.test(e.Message__c ?? ''))?.Referral_Id__c).toBe(
      referralId,
    );
    // Locked: the referral no longer waits, so a new decision is refused.
    await expect(
      stack.seller.sobject('Opportunity').update({
        Id: opportunityId,
        Co_Sell_Decision__c: 'Decline',
        Co_Sell_Decline_Reason__c: 'Other',
      }),
    ).rejects.toThrow(/waiting for a decision/);
  });

  it('Co-Sell Decision = Decline with a reason closes the referral as Declined with that statusReason', async () => {
    const { referralId, opportunityId } = await waitingReferral();
    // Without a reason the package refuses the decline.
    await expect(
      stack.seller
        .sobject('Opportunity')
        .update({ Id: opportunityId, Co_Sell_Decision__c: 'Decline' }),
    ).rejects.toThrow(/Decline Reason/);
    await stack.seller.sobject('Opportunity').update({
      Id: opportunityId,
      Co_Sell_Decision__c: 'Decline',
      Co_Sell_Decline_Reason__c: 'Outside our region',
    });
    const referral = await partnerCenterState(referralId, 'Closed', 'Declined');
    expect(referral.statusReason).toBe('Outside our region');
    const row = await salesforceAnswered(opportunityId, 'Closed', 'Declined');
    // Declining to co-sell is not the customer saying no: the pipeline stage is left alone.
    expect(row.StageName).toBe('Prospecting');
    expect(row.Co_Sell_Decline_Reason__c).toBe('Outside our region');
  });

  it('moving the opportunity out of the on-hold stage accepts the referral', async () => {
    const { referralId, opportunityId } = await waitingReferral();
    await stack.seller
      .sobject('Opportunity')
      .update({ Id: opportunityId, StageName: 'Qualification' });
    await partnerCenterState(referralId, 'Active', 'Accepted');
    const row = await salesforceAnswered(opportunityId, 'Active', 'Accepted');
    expect(row.StageName).toBe('Qualification');
  });
});
