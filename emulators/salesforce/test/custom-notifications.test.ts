import { resolve } from 'node:path';
import type { Connection } from 'jsforce';
import { connect, control, emulatorForFile, restAs } from './helpers';

const REPOSITORY_FORCE_APP = resolve(__dirname, '../../../force-app');
const ACTION = '/actions/standard/customNotificationAction';

interface ActionResult {
  actionName: string;
  isSuccess: boolean;
  errors: Array<{ statusCode: string; message: string; fields: string[] }> | null;
}

describe('salesforce emulator: Send Custom Notification action and the decision rules', () => {
  const emu = emulatorForFile({ forceAppDir: REPOSITORY_FORCE_APP });
  let bridge: Connection;
  const rest = restAs(emu, () => bridge);
  beforeEach(async () => {
    bridge = await connect(emu);
  });

  async function typeIds(): Promise<Record<string, string>> {
    const result = await bridge.query<{ Id: string; DeveloperName: string }>(
      'SELECT Id, DeveloperName FROM CustomNotificationType',
    );
    return Object.fromEntries(result.records.map((r) => [r.DeveloperName, r.Id]));
  }

  async function seededOpportunity(): Promise<{ id: string; ownerId: string }> {
    const created = await bridge
      .sobject('Opportunity')
      .create({ Name: 'Contoso', StageName: 'Prospecting', CloseDate: '2030-01-31' });
    const row = await bridge
      .sobject('Opportunity')
      .retrieve(String(created.id), { fields: ['OwnerId'] } as never);
    return { id: String(created.id), ownerId: String((row as { OwnerId: string }).OwnerId) };
  }

  it('lists the deployed notification types as CustomNotificationType records', async () => {
    const ids = await typeIds();
    expect(Object.keys(ids).sort()).toEqual([
      'Co_Sell_New_Referral',
      'Co_Sell_Referral_Expiring',
      'Co_Sell_Referral_Status',
      'Co_Sell_Sync_Error',
    ]);
    for (const id of Object.values(ids)) expect(id).toMatch(/^0ML/);
  });

  it('accepts several inputs in one request, answers one result each, and records them', async () => {
    const ids = await typeIds();
    const opp = await seededOpportunity();
    const res = await rest(ACTION, {
      method: 'POST',
      body: JSON.stringify({
        inputs: [
          {
            customNotifTypeId: ids.Co_Sell_New_Referral,
            recipientIds: [opp.ownerId],
            targetId: opp.id,
            title: 'New referral',
            body: 'Microsoft sent a referral.',
          },
          {
            customNotifTypeId: ids.Co_Sell_Sync_Error,
            recipientIds: [opp.ownerId],
            targetId: opp.id,
            title: 'Sync error',
            body: 'Add an amount.',
          },
        ],
      }),
    });
    expect(res.status).toBe(200);
    const results = (await res.json()) as ActionResult[];
    expect(results.map((r) => [r.actionName, r.isSuccess, r.errors])).toEqual([
      ['customNotificationAction', true, null],
      ['customNotificationAction', true, null],
    ]);
    const listed = await control(emu, 'GET', '/notifications');
    expect(listed.body).toEqual({
      notifications: [
        expect.objectContaining({
          type: 'Co_Sell_New_Referral',
          recipients: [opp.ownerId],
          targetId: opp.id,
          title: 'New referral',
          body: 'Microsoft sent a referral.',
        }),
        expect.objectContaining({ type: 'Co_Sell_Sync_Error', body: 'Add an amount.' }),
      ],
    });
  });

  it('refuses bad inputs one by one, as Salesforce does, and 400 when none succeeds', async () => {
    const ids = await typeIds();
    const opp = await seededOpportunity();
    const res = await rest(ACTION, {
      method: 'POST',
      body: JSON.stringify({
        inputs: [
          {
            customNotifTypeId: ids.Co_Sell_New_Referral,
            recipientIds: [opp.ownerId],
            targetId: opp.id,
            body: 'no title',
          },
          {
            customNotifTypeId: '0MLxx0000000001AAA',
            recipientIds: [opp.ownerId],
            targetId: opp.id,
            title: 't',
            body: 'b',
          },
          {
            customNotifTypeId: ids.Co_Sell_New_Referral,
            recipientIds: [opp.ownerId],
            title: 't',
            body: 'b',
          },
          {
            customNotifTypeId: ids.Co_Sell_New_Referral,
            recipientIds: [opp.ownerId],
            targetId: opp.id,
            title: 't',
            body: 'x'.repeat(751),
          },
        ],
      }),
    });
    expect(res.status).toBe(400);
    const results = (await res.json()) as ActionResult[];
    expect(results.map((r) => r.isSuccess)).toEqual([false, false, false, false]);
    expect(results.map((r) => r.errors?.[0]?.statusCode)).toEqual([
      'REQUIRED_FIELD_MISSING',
      'INVALID_CROSS_REFERENCE_KEY',
      'REQUIRED_FIELD_MISSING',
      'STRING_TOO_LONG',
    ]);
    expect(results[0]!.errors![0]!.message).toBe('Missing required input parameter: title');
    expect((await control(emu, 'GET', '/notifications')).body).toEqual({ notifications: [] });
    const notJson = await rest(ACTION, { method: 'POST', body: JSON.stringify({ input: [] }) });
    expect(notJson.status).toBe(400);
  });

  it('R2: needs the Send Custom Notifications user permission (the integration permission set grants it)', async () => {
    const ids = await typeIds();
    const opp = await seededOpportunity();
    const send = () =>
      rest(ACTION, {
        method: 'POST',
        body: JSON.stringify({
          inputs: [
            {
              customNotifTypeId: ids.Co_Sell_New_Referral,
              recipientIds: [opp.ownerId],
              targetId: opp.id,
              title: 't',
              body: 'b',
            },
          ],
        }),
      });
    expect((await send()).status).toBe(200);
    await control(emu, 'POST', '/permission-sets', {
      permissionSet: 'Co_Sell_Bridge_Integration',
      assigned: false,
    });
    await control(emu, 'POST', '/permission-sets', {
      permissionSet: 'Co_Sell_Admin',
      assigned: true,
    });
    const refused = await send();
    expect(refused.status).toBe(400);
    const [result] = (await refused.json()) as ActionResult[];
    expect(result!.errors![0]!.statusCode).toBe('INSUFFICIENT_ACCESS');
  });

  it('a decline needs a reason, and only a referral waiting for a decision takes one', async () => {
    const seller = (records: Record<string, unknown>[]) =>
      control(emu, 'POST', '/records', { sobject: 'Opportunity', records });
    const base = { Name: 'Contoso', StageName: 'Prospecting', CloseDate: '2030-01-31' };
    const noReason = await seller([
      { ...base, Partner_Center_Status__c: 'New', Co_Sell_Decision__c: 'Decline' },
    ]);
    expect(noReason.status).toBe(400);
    expect(JSON.stringify(noReason.body)).toContain('Choose a Co-Sell Decline Reason');
    const notWaiting = await seller([
      { ...base, Partner_Center_Status__c: 'Active', Co_Sell_Decision__c: 'Accept' },
    ]);
    expect(notWaiting.status).toBe(400);
    expect(JSON.stringify(notWaiting.body)).toContain('waiting for a decision');
    const ok = await seller([
      {
        ...base,
        Partner_Center_Status__c: 'New',
        Co_Sell_Decision__c: 'Decline',
        Co_Sell_Decline_Reason__c: 'Other',
      },
    ]);
    expect(ok.status).toBeLessThan(300);
  });
});
