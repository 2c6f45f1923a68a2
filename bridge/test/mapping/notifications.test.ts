import { newsIn, notificationFor } from '../../src/mapping';
import type { AuditEvent } from '../../src/schemas';
import { inboundAuditOf } from '../../src/sync/inbound-outcome';
import { batchEffects } from '../../src/sync/outbound/settle-batch';
import type { OutboundJob } from '../../src/store';

const OPP = '006000000000001AAA';
const event = (over: Partial<AuditEvent>): AuditEvent => ({
  opportunityId: OPP,
  direction: 'Inbound',
  outcome: 'Success',
  message: 'Applied referral r-1: Partner_Center_Substatus__c',
  referralId: 'r-1',
  apiCalls: 1,
  occurredAt: '2026-12-05T00:00:00.000Z',
  ...over,
});

describe('newsIn: the news an audit event carries (issue 19)', () => {
  it('R10: reads the kind the producing step stated, whatever the message says', () => {
    for (const kind of ['new-referral', 'status', 'sync-error', 'expiring'] as const) {
      expect(newsIn(event({ news: kind }))).toBe(kind);
      // Rewording the audit message (or translating it) changes nothing.
      expect(newsIn(event({ news: kind, message: 'Referral r-1 angewendet' }))).toBe(kind);
    }
  });

  it('a message that reads like news is none without the tag', () => {
    expect(newsIn(event({}))).toBeNull();
    expect(
      newsIn(event({ message: `Opportunity ${OPP} created or linked for referral r-1` })),
    ).toBeNull();
    expect(newsIn(event({ direction: 'Outbound', outcome: 'Error', message: 'x' }))).toBeNull();
  });

  it('an event about no opportunity has no owner to tell', () => {
    expect(newsIn(event({ news: 'status', opportunityId: null }))).toBeNull();
  });
});

describe('the steps that make audit events state their news', () => {
  it('R18: an inbound create is new-referral news; an applied substatus change is status news', () => {
    const created = inboundAuditOf('r-1', {
      kind: 'created',
      opportunityId: OPP,
      message: 'anything',
      apiCalls: 2,
      news: 'new-referral',
    });
    expect(created).toMatchObject({ outcome: 'Success', news: 'new-referral' });
    const applied = inboundAuditOf('r-1', {
      kind: 'applied',
      opportunityId: OPP,
      message: 'anything',
      apiCalls: 1,
      news: 'status',
    });
    expect(applied).toMatchObject({ news: 'status' });
    const plain = inboundAuditOf('r-1', {
      kind: 'applied',
      opportunityId: OPP,
      message: 'Applied referral r-1: Partner_Center_Substatus__c',
      apiCalls: 1,
    });
    expect(plain).not.toHaveProperty('news');
  });

  it('R10: an outbound error is sync-error news, a success none', () => {
    const job = { opportunityId: OPP, reason: 'cdc:UPDATE', attempts: 0 } as OutboundJob;
    const { audits } = batchEffects(
      [
        {
          job,
          found: true,
          outcome: { kind: 'invalid', message: 'Add a solution', referralId: null, apiCalls: 0 },
        },
        {
          job,
          found: true,
          outcome: {
            kind: 'synced',
            message: 'Updated referral r-1',
            referralId: 'r-1',
            apiCalls: 1,
          },
        },
      ] as never,
      '2026-12-05T00:00:00.000Z',
    );
    expect(audits.map((a) => [a.outcome, a.news])).toEqual([
      ['Error', 'sync-error'],
      ['Success', undefined],
    ]);
  });
});

describe('notificationFor: told when read, so only while it is still news', () => {
  const facts = (partnerCenterStatus: string | null) => ({
    id: OPP,
    name: 'Contoso rollout',
    ownerId: '005000000000001AAA',
    partnerCenterStatus,
    partnerCenterSubstatus: partnerCenterStatus === 'New' ? 'Pending' : 'Accepted',
    expiration: '2026-12-07T00:00:00Z',
  });

  it('R18: an expiring referral the owner has answered meanwhile (after an outage) is not told', () => {
    expect(notificationFor('expiring', facts('New'))?.title).toBe(
      'Referral expires soon: Contoso rollout',
    );
    expect(notificationFor('expiring', facts('Active'))).toBeNull();
    expect(notificationFor('expiring', facts('Closed'))).toBeNull();
  });
});
