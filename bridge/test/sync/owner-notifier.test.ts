import pino from 'pino';
import { PermanentError, TransientError } from '../../src/errors';
import type { OpportunityFacts, OwnerNotification } from '../../src/mapping';
import type { OwnerNotificationClient } from '../../src/salesforce';
import type { AuditEvent } from '../../src/schemas';
import type { NewsItem } from '../../src/store';
import { NEWS_MAX_AGE_MS, createOwnerNotifier } from '../../src/sync/owner-notifier';

type Client = Pick<OwnerNotificationClient, 'send' | 'readFacts'>;

/** Our own port (not a client library): records what would be sent; `fail` makes a send throw. */
function recordingClient(facts: OpportunityFacts[], fail: { next?: Error } = {}) {
  const sent: OwnerNotification[][] = [];
  const client: Client = {
    send: async (notifications) => {
      if (fail.next) throw fail.next;
      sent.push([...notifications]);
      return { sent: notifications.length, failed: [], apiCalls: 1 };
    },
    readFacts: async (ids) => ({ facts: facts.filter((f) => ids.includes(f.id)), apiCalls: 1 }),
  };
  return { client, sent };
}

const OPP = '006000000000001AAA';
const NOW = new Date('2026-12-05T00:01:00.000Z');
const ALL = ['sync-error', 'new-referral', 'status', 'expiring'] as const;
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
let ids = 0;
const item = (
  over: Partial<AuditEvent> = {},
  attempts = 0,
  run: Partial<Pick<NewsItem, 'errorRun' | 'sameErrorTold'>> = {},
): NewsItem => ({
  id: (ids += 1),
  attempts,
  errorRun: 0,
  sameErrorTold: false,
  ...run,
  event: {
    opportunityId: OPP,
    direction: 'Outbound',
    outcome: 'Error',
    message: 'Enter an Amount greater than 0.',
    referralId: null,
    apiCalls: 0,
    occurredAt: '2026-12-05T00:00:00.000Z',
    news: 'sync-error',
    ...over,
  },
});

describe('owner notifier (issue 19)', () => {
  const logger = pino({ level: 'silent' });

  it('sends only the kinds BRIDGE_NOTIFICATIONS names; the others are done with', async () => {
    const { client, sent } = recordingClient([facts()]);
    const notifier = createOwnerNotifier({ client, kinds: ['status'], logger });
    const items = [
      item(),
      item({ direction: 'Inbound', outcome: 'Success', news: 'new-referral' }),
    ];
    expect(await notifier.tell(items, NOW)).toEqual(items.map((i) => ({ id: i.id })));
    expect(sent).toEqual([]);
  });

  it('tells one error once, a new error again, and reads the owners once per batch', async () => {
    const { client, sent } = recordingClient([facts()]);
    const notifier = createOwnerNotifier({ client, kinds: ALL, logger });
    const first = item();
    // Told: the store records it, and says so of the same error in the same run of errors.
    expect(await notifier.tell([first], NOW)).toEqual([{ id: first.id, told: true }]);
    const again = item({}, 0, { sameErrorTold: true });
    expect(await notifier.tell([again], NOW)).toEqual([{ id: again.id }]);
    // The same error twice in one batch and one run (held back by an outage) is told once...
    const other = 'Add a co-sell solution.';
    const [a, b] = [item({ message: other }), item({ message: other })];
    expect(await notifier.tell([a, b], NOW)).toEqual([{ id: b.id }, { id: a.id, told: true }]);
    // ...but twice when a sync came between them (another run).
    const [c, d] = [
      item({ message: 'Close date missing' }),
      item({ message: 'Close date missing' }, 0, { errorRun: 7 }),
    ];
    expect(await notifier.tell([c, d], NOW)).toEqual([
      { id: c.id, told: true },
      { id: d.id, told: true },
    ]);
    expect(sent.map((batch) => batch.map((n) => [n.kind, n.body]))).toEqual([
      [['sync-error', 'Enter an Amount greater than 0.']],
      [['sync-error', 'Add a co-sell solution.']],
      [
        ['sync-error', 'Close date missing'],
        ['sync-error', 'Close date missing'],
      ],
    ]);
    expect(sent[0]![0]).toMatchObject({ recipientId: '005000000000001AAA', targetId: OPP });
  });

  it('a retried send is told, unless the same error was told meanwhile in its run', async () => {
    const { client, sent } = recordingClient([facts()]);
    const notifier = createOwnerNotifier({ client, kinds: ALL, logger });
    const retried = item({}, 1);
    expect(await notifier.tell([retried], NOW)).toEqual([{ id: retried.id, told: true }]);
    // An older copy whose send failed, retried after a newer copy was told: not again.
    const older = item({}, 1, { sameErrorTold: true });
    expect(await notifier.tell([older], NOW)).toEqual([{ id: older.id }]);
    expect(sent.flat()).toHaveLength(1);
  });

  it('a transient failure the card does not show as Error is not told', async () => {
    const { client, sent } = recordingClient([facts({ syncStatus: 'Pending' })]);
    const notifier = createOwnerNotifier({ client, kinds: ['sync-error'], logger });
    const pending = item({ message: 'Partner Center did not answer; retrying.' });
    expect(await notifier.tell([pending], NOW)).toEqual([{ id: pending.id }]);
    expect(sent.flat()).toEqual([]);
  });

  it('R18: a substatus change tells only accepted, declined, won or lost', async () => {
    const applied = { direction: 'Inbound', outcome: 'Success', news: 'status' } as const;
    for (const [substatus, told] of [
      ['Won', true],
      ['Received', false],
    ] as const) {
      const { client, sent } = recordingClient([facts({ partnerCenterSubstatus: substatus })]);
      const notifier = createOwnerNotifier({ client, kinds: ['status'], logger });
      await notifier.tell([item(applied)], NOW);
      expect(sent.flat().length).toBe(told ? 1 : 0);
    }
  });

  it('R14: a send that fails for a reason that passes is retried with backoff, once told is done', async () => {
    const fail: { next?: Error } = {
      next: new TransientError('Salesforce answered 503', 'salesforce', 30_000),
    };
    const { client, sent } = recordingClient([facts()], fail);
    const notifier = createOwnerNotifier({ client, kinds: ALL, logger });
    const news = item();
    const [retry] = await notifier.tell([news], NOW);
    expect(retry).toEqual({
      id: news.id,
      retryAt: new Date(NOW.getTime() + 30_000),
      error: expect.stringContaining('503'),
    });
    // The retry (attempt 2) is told, and recorded as told.
    fail.next = undefined;
    expect(await notifier.tell([{ ...news, attempts: 1 }], NOW)).toEqual([
      { id: news.id, told: true },
    ]);
    expect(sent.flat().map((n) => n.kind)).toEqual(['sync-error']);
  });

  it('R14: a permanent refusal is dropped with the reason, not retried', async () => {
    const fail = { next: new PermanentError('Bad input', 'salesforce', 'INVALID_INPUT') as Error };
    const { client } = recordingClient([facts()], fail);
    const notifier = createOwnerNotifier({ client, kinds: ALL, logger });
    const refused = item({ message: 'one' });
    expect(await notifier.tell([refused], NOW)).toEqual([
      { id: refused.id, error: expect.stringContaining('Bad input') },
    ]);
  });

  it('R14: news a day old is dropped when it comes due (a retry, or a first send after a stop)', async () => {
    const { client, sent } = recordingClient([facts()]);
    const notifier = createOwnerNotifier({ client, kinds: ALL, logger });
    const old = item({ message: 'two' });
    const later = new Date(Date.parse(old.event.occurredAt) + NEWS_MAX_AGE_MS);
    expect(await notifier.tell([old], later)).toEqual([
      { id: old.id, error: 'not told: older than 24 hours' },
    ]);
    expect(sent).toEqual([]);
    // A minute younger, the same news is told.
    const fresh = item({ message: 'three' });
    expect(await notifier.tell([fresh], new Date(later.getTime() - 60_000))).toEqual([
      { id: fresh.id, told: true },
    ]);
    expect(sent).toHaveLength(1);
  });

  it('a notification Salesforce refuses (its type is not in the org) is done with the reason', async () => {
    const client: Client = {
      readFacts: async () => ({ facts: [facts()], apiCalls: 1 }),
      send: async (notifications) => ({
        sent: 0,
        failed: notifications.map((notification) => ({
          notification,
          error:
            'The custom notification type Co_Sell_Sync_Error is not in the org: deploy the package.',
        })),
        apiCalls: 1,
      }),
    };
    const notifier = createOwnerNotifier({ client, kinds: ALL, logger });
    const news = item();
    expect(await notifier.tell([news], NOW)).toEqual([
      { id: news.id, error: expect.stringContaining('Co_Sell_Sync_Error is not in the org') },
    ]);
  });

  it('R14: a failed owner lookup retries the whole batch', async () => {
    const client: Client = {
      readFacts: async () => {
        throw new TransientError('ECONNREFUSED', 'salesforce');
      },
      send: async () => ({ sent: 0, failed: [], apiCalls: 0 }),
    };
    const notifier = createOwnerNotifier({ client, kinds: ALL, logger });
    const settled = await notifier.tell([item({ message: 'a' }), item({ message: 'b' })], NOW);
    expect(settled.every((s) => s.retryAt && s.retryAt > NOW)).toBe(true);
    expect(settled).toHaveLength(2);
  });

  it('R14: an input Salesforce answers with an error that passes is retried; the rest are done', async () => {
    const [locked, told, refused] = [
      item({ message: 'a' }),
      item({ message: 'b' }),
      item({ message: 'c' }),
    ];
    const others = [facts({ id: '006000000000002AAA' }), facts({ id: '006000000000003AAA' })];
    const client: Client = {
      readFacts: async () => ({ facts: [facts(), ...others], apiCalls: 1 }),
      send: async ([first, , third]) => ({
        sent: 1,
        failed: [
          {
            notification: first!,
            error: 'UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record',
            transient: new TransientError('UNABLE_TO_LOCK_ROW', 'salesforce'),
          },
          { notification: third!, error: 'INVALID_INPUT: the title is too long' },
        ],
        apiCalls: 1,
      }),
    };
    const notifier = createOwnerNotifier({ client, kinds: ALL, logger });
    const settled = await notifier.tell(
      [
        locked,
        { ...told, event: { ...told.event, opportunityId: others[0]!.id } },
        { ...refused, event: { ...refused.event, opportunityId: others[1]!.id } },
      ],
      NOW,
    );
    const byId = new Map(settled.map((s) => [s.id, s]));
    expect(byId.get(locked.id)?.retryAt?.getTime()).toBeGreaterThan(NOW.getTime());
    expect(byId.get(told.id)).toEqual({ id: told.id, told: true });
    expect(byId.get(refused.id)).toEqual({
      id: refused.id,
      error: 'INVALID_INPUT: the title is too long',
    });
  });
});
