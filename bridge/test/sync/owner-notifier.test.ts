import pino from 'pino';
import type { OpportunityFacts, OwnerNotification } from '../../src/mapping';
import type { OwnerNotificationClient } from '../../src/salesforce';
import type { AuditEvent } from '../../src/schemas';
import { createOwnerNotifier } from '../../src/sync/owner-notifier';

/** Our own port (not a client library): records what would be sent. */
function recordingClient(facts: OpportunityFacts[]) {
  const sent: OwnerNotification[][] = [];
  const client: OwnerNotificationClient = {
    send: async (notifications) => {
      sent.push([...notifications]);
      return { sent: notifications.length, failed: [], apiCalls: 1 };
    },
    readFacts: async (ids) => ({ facts: facts.filter((f) => ids.includes(f.id)), apiCalls: 1 }),
    findExpiring: async () => [],
  };
  return { client, sent };
}

const OPP = '006000000000001AAA';
const facts = (over: Partial<OpportunityFacts> = {}): OpportunityFacts => ({
  id: OPP,
  name: 'Contoso',
  ownerId: '005000000000001AAA',
  partnerCenterStatus: 'New',
  partnerCenterSubstatus: 'Pending',
  expiration: '2026-12-19T10:00:00.0000000Z',
  syncStatus: 'Error',
  ...over,
});
const audit = (over: Partial<AuditEvent>): AuditEvent => ({
  opportunityId: OPP,
  direction: 'Outbound',
  outcome: 'Error',
  message: 'Enter an Amount greater than 0.',
  referralId: null,
  apiCalls: 0,
  occurredAt: '2026-12-05T00:00:00.000Z',
  news: 'sync-error',
  ...over,
});

describe('owner notifier (issue 19)', () => {
  const logger = pino({ level: 'silent' });

  it('sends only the kinds BRIDGE_NOTIFICATIONS names', async () => {
    const { client, sent } = recordingClient([facts()]);
    const notifier = createOwnerNotifier({ client, kinds: ['status'], logger });
    await notifier.fromAudit([
      audit({}),
      audit({
        direction: 'Inbound',
        outcome: 'Success',
        message: `Opportunity ${OPP} created or linked for referral r-1; CRM ID written back to Partner Center`,
        news: 'new-referral',
      }),
    ]);
    expect(sent).toEqual([]);
  });

  it('tells one error once, a new error again, and reads the owners once per batch', async () => {
    const { client, sent } = recordingClient([facts()]);
    const notifier = createOwnerNotifier({
      client,
      kinds: ['sync-error', 'new-referral', 'status', 'expiring'],
      logger,
    });
    await notifier.fromAudit([audit({})]);
    await notifier.fromAudit([audit({})]);
    await notifier.fromAudit([audit({ message: 'Add a co-sell solution.' })]);
    expect(sent.map((batch) => batch.map((n) => [n.kind, n.body]))).toEqual([
      [['sync-error', 'Enter an Amount greater than 0.']],
      [['sync-error', 'Add a co-sell solution.']],
    ]);
    expect(sent[0]![0]).toMatchObject({ recipientId: '005000000000001AAA', targetId: OPP });
  });

  it('a transient failure the card does not show as Error is not told', async () => {
    const { client, sent } = recordingClient([facts({ syncStatus: 'Pending' })]);
    const notifier = createOwnerNotifier({ client, kinds: ['sync-error'], logger });
    await notifier.fromAudit([audit({ message: 'Partner Center did not answer; retrying.' })]);
    expect(sent.flat()).toEqual([]);
  });

  it('a substatus change tells only accepted, declined, won or lost', async () => {
    const applied = audit({
      direction: 'Inbound',
      outcome: 'Success',
      message: 'Applied referral r-1: Partner_Center_Status__c, Partner_Center_Substatus__c',
      news: 'status',
    });
    for (const [substatus, told] of [
      ['Won', true],
      ['Received', false],
    ] as const) {
      const { client, sent } = recordingClient([facts({ partnerCenterSubstatus: substatus })]);
      const notifier = createOwnerNotifier({ client, kinds: ['status'], logger });
      await notifier.fromAudit([applied]);
      expect(sent.flat().length).toBe(told ? 1 : 0);
    }
  });
});
