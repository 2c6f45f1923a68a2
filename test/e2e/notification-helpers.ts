/**
 * Shared by the owner-notification e2e tests (issue 19): what the Salesforce emulator received
 * through the Send Custom Notification action, and a referral Microsoft sends to the partner.
 */
import { waitForValue, type Json, type Stack } from '../support';
import { SYNC_DEADLINE, findOpportunities } from './e2e-helpers';

export interface ReceivedNotification {
  type: string;
  recipients: string[];
  targetId: string | null;
  title: string;
  body: string;
}

export const NOTIFICATION_ACTION_ROUTE = 'actions/standard/customNotificationAction';

/** Every custom notification the Salesforce emulator received (GET /__emulator/notifications). */
export async function receivedNotifications(stack: Stack): Promise<ReceivedNotification[]> {
  const res = await fetch(`${stack.salesforce.url}/__emulator/notifications`);
  return ((await res.json()) as { notifications: ReceivedNotification[] }).notifications;
}

/** Waits until a notification of `type` about `targetId` arrived; returns all such. */
export function waitForNotification(
  stack: Stack,
  type: string,
  targetId: string,
  description: string,
  deadline = SYNC_DEADLINE,
): Promise<ReceivedNotification[]> {
  const about = (n: ReceivedNotification) => n.type === type && n.targetId === targetId;
  return waitForValue(
    () => receivedNotifications(stack),
    (list) => list.some(about),
    { ...deadline, description },
  ).then((list) => list.filter(about));
}

/** Microsoft sends the partner a referral; resolves once the bridge linked its opportunity. */
export async function microsoftReferral(
  stack: Stack,
  solutionId: string,
  query = '',
): Promise<{ referralId: string; opportunityId: string }> {
  const res = await fetch(`${stack.partnerCenter.url}/__emulator/microsoft/referrals${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(stack.seed.microsoftReferralBody({}, solutionId)),
  });
  if (res.status !== 201)
    throw new Error(`the emulator answered ${res.status}: ${await res.text()}`);
  const referralId = String(((await res.json()) as Json).id);
  const [linked] = await waitForValue(
    () => findOpportunities(stack.seller, `Partner_Center_Referral_Id__c = '${referralId}'`),
    (list) => list.length > 0 && list[0]!.Sync_with_Partner_Center__c,
    { ...SYNC_DEADLINE, description: `an opportunity for referral ${referralId}` },
  );
  return { referralId, opportunityId: linked!.Id };
}
