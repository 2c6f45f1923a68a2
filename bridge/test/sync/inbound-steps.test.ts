import { isNewerThanApplied } from '../../src/sync/apply-referral';
import { teamEmails } from '../../src/sync/create-from-referral';
import { inboundAuditOf, inboxSettlementOf } from '../../src/sync/inbound-outcome';
import { groupByReferral, listedReferral } from '../../src/sync/inbox-group';
import type { InboxItem } from '../../src/store';
import { referral } from '../mapping/fixtures';

/** The inbound worker's pure steps, without emulators: grouping, listed states, outcomes. */
let nextId = 1;
const claimed = {
  resourceChangeUtc: '2026-01-01T00:00:01.0000000Z',
  receivedAt: '2026-01-01T00:00:02.000Z',
  attempts: 0,
  lastError: null,
  claimToken: 'claim',
  leaseExpiresAt: '2026-01-01T00:05:00.000Z',
};

function item(referralId = 'ref-0001'): InboxItem {
  return {
    ...claimed,
    id: nextId++,
    referralId,
    source: 'webhook',
    eventName: 'referral-updated',
    body: '{}',
  };
}

function listed(updatedDateTime: string | null, name = 'listed'): InboxItem {
  return {
    ...claimed,
    id: nextId++,
    referralId: 'ref-0001',
    source: 'catch-up',
    resourceChangeUtc: updatedDateTime,
    referral: updatedDateTime ? referral({ updatedDateTime, name }) : null,
  };
}

describe('inbound steps (pure)', () => {
  it('groups claimed deliveries per referral, in claim order', () => {
    const a1 = item('a');
    const b1 = item('b');
    const a2 = item('a');
    const groups = groupByReferral([a1, b1, a2]);
    expect([...groups.keys()]).toEqual(['a', 'b']);
    expect(groups.get('a')).toEqual([a1, a2]);
  });

  it('R13: a group of catch-up items is applied from its newest listed state, without a read', () => {
    const newest = listedReferral([
      listed('2026-01-01T00:00:01.0000001Z', 'older'),
      listed('2026-01-01T00:00:01.0000002Z', 'newer'),
      listed('2026-01-01T00:00:01.0000000Z', 'oldest'),
    ]);
    expect(newest?.name).toBe('newer');
  });

  it('a webhook in the group, or a listing that cannot be read back, means "read it"', () => {
    expect(listedReferral([listed('2026-01-01T00:00:01Z'), item()])).toBeNull();
    expect(listedReferral([listed('2026-01-01T00:00:01Z'), listed(null)])).toBeNull();
  });

  it('compares applied states at Partner Center precision (seven fractional digits)', () => {
    const known = '2026-01-01T00:00:01.1234567Z';
    expect(isNewerThanApplied(referral({ updatedDateTime: known }), known)).toBe(false);
    expect(
      isNewerThanApplied(referral({ updatedDateTime: '2026-01-01T00:00:01.1234568Z' }), known),
    ).toBe(true);
    expect(isNewerThanApplied(referral(), null)).toBe(true);
  });

  it('R4: looks up only the team members that have an email', () => {
    const withTeam = referral({
      team: [
        { email: ' ada@partner.example ', firstName: 'Ada', lastName: 'S' },
        { firstName: 'No', lastName: 'Mail' },
        { email: '  ', firstName: 'Blank', lastName: 'Mail' },
      ],
    });
    expect(teamEmails(withTeam)).toEqual(['ada@partner.example']);
  });

  it('R10: every outcome but stale leaves its audit event', () => {
    expect(inboundAuditOf('r', { kind: 'stale', apiCalls: 1 })).toBeNull();
    expect(
      inboundAuditOf('r', { kind: 'ignored', opportunityId: null, message: 'why', apiCalls: 1 }),
    ).toEqual({
      opportunityId: null,
      outcome: 'Ignored',
      message: 'why',
      referralId: 'r',
      apiCalls: 1,
    });
    expect(
      inboundAuditOf('r', {
        kind: 'failed',
        decision: { kind: 'permanent', message: 'fix it' },
        apiCalls: 0,
      }),
    ).toMatchObject({ outcome: 'Error', message: 'fix it', opportunityId: null });
  });

  it('R14: a failure waits (permanent: for a fix); only a read after the claim settles the others', () => {
    const retryAt = new Date('2026-01-01T01:00:00Z');
    expect(
      inboxSettlementOf(
        { kind: 'failed', decision: { kind: 'retry', retryAt, message: 'busy' }, apiCalls: 1 },
        true,
      ),
    ).toEqual({ kind: 'fail', failure: { error: 'busy', permanent: false, retryAt } });
    expect(
      inboxSettlementOf(
        { kind: 'failed', decision: { kind: 'permanent', message: 'no' }, apiCalls: 1 },
        false,
      ),
    ).toEqual({ kind: 'fail', failure: { error: 'no', permanent: true, retryAt: null } });
    expect(inboxSettlementOf({ kind: 'stale', apiCalls: 0 }, false)).toEqual({
      kind: 'complete',
      coversEarlier: false,
    });
    expect(
      inboxSettlementOf({ kind: 'applied', opportunityId: 'o', message: 'm', apiCalls: 1 }, true),
    ).toEqual({ kind: 'complete', coversEarlier: true });
  });
});
