import { notificationFor, type OwnerNotification } from '../../src/mapping';
import {
  createOwnerNotificationClient,
  NOTIFICATIONS_PER_REQUEST,
  type SalesforceConnection,
} from '../../src/salesforce';
import {
  API_VERSION,
  connectBridge,
  control,
  routeCount,
  seed,
  silentLogger,
  emulatorForFile,
} from './emulator-harness';

const ACTION = 'POST /services/data/vXX.X/actions/standard/customNotificationAction';

describe('owner notifications through the Send Custom Notification action (real jsforce)', () => {
  const emulator = emulatorForFile();
  let salesforce: SalesforceConnection;

  beforeEach(async () => {
    salesforce = await connectBridge(emulator);
  });

  const client = () =>
    createOwnerNotificationClient({ salesforce, apiVersion: API_VERSION, logger: silentLogger });

  async function opportunities(count: number) {
    const ids = await seed(
      emulator,
      'Opportunity',
      Array.from({ length: count }, (_, i) => ({
        Name: `Deal ${i}`,
        StageName: 'Prospecting',
        CloseDate: '2030-06-30',
        Partner_Center_Status__c: 'New',
      })),
    );
    return (await client().readFacts(ids)).facts;
  }

  it('R1: 150 notifications go in 2 action requests (100 inputs each) plus one type lookup', async () => {
    const facts = await opportunities(150);
    const notifications = facts.map((f) => notificationFor('new-referral', f)!);
    const result = await client().send(notifications);
    expect(result).toEqual({ sent: 150, failed: [], apiCalls: 3 });
    expect(await routeCount(emulator, ACTION)).toBe(Math.ceil(150 / NOTIFICATIONS_PER_REQUEST));
    const { notifications: received } = await control<{
      notifications: Array<{ type: string; targetId: string; recipients: string[] }>;
    }>(emulator, 'GET', '/notifications');
    expect(received).toHaveLength(150);
    expect(received[0]).toMatchObject({
      type: 'Co_Sell_New_Referral',
      targetId: facts[0]!.id,
      recipients: [facts[0]!.ownerId],
    });
  });

  it("a refused input is reported with Salesforce's error; the others in the request are sent", async () => {
    const [found] = await opportunities(1);
    const good = { ...found!, syncStatus: 'Error' };
    const bad: OwnerNotification = {
      ...notificationFor('sync-error', good, { message: 'Add an amount.' })!,
      recipientId: '005000000000000AAA',
    };
    const result = await client().send([
      notificationFor('sync-error', good, { message: 'x' })!,
      bad,
    ]);
    expect(result.sent).toBe(1);
    expect(result.failed).toEqual([
      { notification: bad, error: expect.stringMatching(/^INVALID_CROSS_REFERENCE_KEY: /) },
    ]);
  });

  it('R2: without Send Custom Notifications every input is refused with the reason (400 answer)', async () => {
    const [facts] = await opportunities(1);
    await control(emulator, 'POST', '/permission-sets', {
      permissionSet: 'Co_Sell_Bridge_Integration',
      assigned: false,
    });
    await control(emulator, 'POST', '/permission-sets', {
      permissionSet: 'Co_Sell_Admin',
      assigned: true,
    });
    const result = await client().send([notificationFor('expiring', facts!)!]);
    expect(result.sent).toBe(0);
    expect(result.failed[0]!.error).toMatch(/^INSUFFICIENT_ACCESS: .*Send Custom Notifications/);
  });
});
