/**
 * The pure end of an outbound batch (sync/outbound/settle-batch.ts): which outcome leaves which
 * audit event (R10), which write-back (R11, R16) and how its job settles (R14), without emulators.
 */
import type { OutboundJob } from '../../../src/store';
import type { OutboundOutcome } from '../../../src/sync/outbound/outcome';
import {
  batchEffects,
  batchSettlements,
  type SettledJob,
} from '../../../src/sync/outbound/settle-batch';
import { afterFailedMerge } from '../../../src/sync/outbound/send-change';

const now = new Date('2026-03-01T12:00:00.000Z');
const occurredAt = now.toISOString();
const backoff = { baseMs: 1_000, maxMs: 60_000 };

function job(opportunityId: string, extra: Partial<OutboundJob> = {}): OutboundJob {
  return {
    id: 1,
    opportunityId,
    reason: 'updated',
    changedFields: [],
    attempts: 0,
    firstRequestedAt: occurredAt,
    lastError: null,
    claimToken: 't',
    leaseExpiresAt: occurredAt,
    ...extra,
  };
}

const settled = (
  opportunityId: string,
  outcome: OutboundOutcome,
  extra: Partial<OutboundJob> = {},
  found = true,
): SettledJob => ({ job: job(opportunityId, extra), outcome, found });

const SYNCED_FIELDS = { Partner_Center_Sync_Status__c: 'Synced' };

describe('batchEffects', () => {
  it('R10: a sync is audited once, with its calls, and written back', () => {
    const { audits, writeBacks } = batchEffects(
      [
        settled('006A', {
          kind: 'synced',
          message: 'Updated referral R1: /details/dealValue',
          apiCalls: 1,
          referralId: 'R1',
          fields: SYNCED_FIELDS,
          audited: false,
        }),
      ],
      occurredAt,
    );
    expect(audits).toEqual([
      {
        opportunityId: '006A',
        direction: 'Outbound',
        occurredAt,
        outcome: 'Success',
        message: 'Updated referral R1: /details/dealValue',
        referralId: 'R1',
        apiCalls: 1,
      },
    ]);
    expect(writeBacks).toEqual([{ id: '006A', fields: SYNCED_FIELDS }]);
  });

  it('R10: a create audited with its link gets no second audit event, only its write-back', () => {
    const { audits, writeBacks } = batchEffects(
      [
        settled('006A', {
          kind: 'synced',
          message: 'Created referral R1',
          apiCalls: 1,
          referralId: 'R1',
          fields: SYNCED_FIELDS,
          audited: true,
        }),
      ],
      occurredAt,
    );
    expect(audits).toEqual([]);
    expect(writeBacks).toHaveLength(1);
  });

  it('R1: a sweep that finds nothing to do leaves no audit row; an edit that changed nothing does', () => {
    const unchanged: OutboundOutcome = {
      kind: 'unchanged',
      referralId: 'R1',
      fields: null,
      apiCalls: 0,
    };
    const { audits } = batchEffects(
      [settled('006A', unchanged, { reason: 'reconcile' }), settled('006B', unchanged)],
      occurredAt,
    );
    expect(audits).toEqual([
      expect.objectContaining({ opportunityId: '006B', outcome: 'Skipped', apiCalls: 0 }),
    ]);
    // A read that found nothing to send is still a Partner Center call to account for (R1).
    const { audits: afterRead } = batchEffects(
      [settled('006C', { ...unchanged, apiCalls: 1 }, { reason: 'reconcile' })],
      occurredAt,
    );
    expect(afterRead).toEqual([
      expect.objectContaining({ opportunityId: '006C', outcome: 'Skipped', apiCalls: 1 }),
    ]);
  });

  it('R12: sync off is silent; a deleted opportunity is audited without naming it', () => {
    const { audits, writeBacks } = batchEffects(
      [
        settled('006A', { kind: 'skipped', message: null }),
        settled('006B', { kind: 'skipped', message: 'gone' }, {}, false),
      ],
      occurredAt,
    );
    expect(writeBacks).toEqual([]);
    expect(audits).toEqual([
      expect.objectContaining({ opportunityId: null, outcome: 'Skipped', message: 'gone' }),
    ]);
  });

  it('R11/R16: invalid data shows Error with the fix and is audited as an Error', () => {
    const { audits, writeBacks } = batchEffects(
      [settled('006A', { kind: 'invalid', message: 'Fix X', referralId: null, apiCalls: 0 })],
      occurredAt,
    );
    expect(writeBacks).toEqual([
      {
        id: '006A',
        fields: {
          Partner_Center_Sync_Status__c: 'Error',
          Partner_Center_Sync_Message__c: 'Fix X',
        },
      },
    ]);
    expect(audits).toEqual([expect.objectContaining({ outcome: 'Error', message: 'Fix X' })]);
  });

  it('R14: a transient failure stays out of the seller’s sight until its third attempt', () => {
    const failed: OutboundOutcome = {
      kind: 'failed',
      decision: { kind: 'retry', retryAt: now, message: '503' },
      referralId: 'R1',
      apiCalls: 1,
    };
    const first = batchEffects([settled('006A', failed, { attempts: 0 })], occurredAt);
    const third = batchEffects([settled('006A', failed, { attempts: 2 })], occurredAt);
    expect(first.writeBacks).toEqual([]);
    expect(first.audits).toEqual([expect.objectContaining({ outcome: 'Error', apiCalls: 1 })]);
    expect(third.writeBacks).toEqual([
      expect.objectContaining({
        fields: expect.objectContaining({ Partner_Center_Sync_Status__c: 'Pending' }),
      }),
    ]);
  });

  it('R2/R7: a failure that needs an operator shows Error at once', () => {
    const { writeBacks } = batchEffects(
      [
        settled('006A', {
          kind: 'failed',
          decision: { kind: 'retry', retryAt: now, message: 'grant X', needsOperator: true },
          referralId: null,
          apiCalls: 0,
        }),
      ],
      occurredAt,
    );
    expect(writeBacks[0]?.fields).toMatchObject({ Partner_Center_Sync_Status__c: 'Error' });
  });
});

describe('batchSettlements', () => {
  const synced: OutboundOutcome = {
    kind: 'synced',
    message: 'm',
    apiCalls: 1,
    referralId: 'R1',
    fields: SYNCED_FIELDS,
    audited: false,
  };

  it('a job is done only when its write-back succeeded; the retry is not permanent', () => {
    const { settlements, result } = batchSettlements(
      [settled('006A', synced), settled('006B', synced)],
      new Map([['006B', 'row lock']]),
      now,
      backoff,
    );
    expect(settlements[0]).toEqual({ job: expect.objectContaining({ opportunityId: '006A' }) });
    expect(settlements[1]?.failure).toMatchObject({
      error: 'Salesforce write-back failed: row lock',
      permanent: false,
    });
    expect(settlements[1]?.failure?.retryAt?.getTime()).toBeGreaterThan(now.getTime() - 1);
    expect(result).toEqual({
      claimed: 2,
      synced: 1,
      unchanged: 0,
      skipped: 0,
      invalid: 0,
      failed: 1,
    });
  });

  it('R14: invalid parks the job as permanent; a failure keeps its decision', () => {
    const retryAt = new Date(now.getTime() + 5_000);
    const { settlements, result } = batchSettlements(
      [
        settled('006A', { kind: 'invalid', message: 'Fix X', referralId: null, apiCalls: 0 }),
        settled('006B', {
          kind: 'failed',
          decision: { kind: 'retry', retryAt, message: '503' },
          referralId: null,
          apiCalls: 1,
        }),
        settled('006C', { kind: 'skipped', message: null }),
      ],
      new Map([['006C', 'not ours to write']]),
      now,
      backoff,
    );
    expect(settlements.map((s) => s.failure)).toEqual([
      { error: 'Fix X', permanent: true, retryAt: null },
      { error: '503', permanent: false, retryAt },
      undefined,
    ]);
    expect(result).toMatchObject({ invalid: 1, failed: 1, skipped: 1 });
  });
});

describe('afterFailedMerge (a 412 whose Partner Center change Salesforce refused)', () => {
  it('a permanent refusal parks the outbound job', () => {
    expect(
      afterFailedMerge(
        { kind: 'permanent', message: 'validation rule' },
        { attempt: 1 },
        {
          now: () => now,
          backoff,
        },
      ),
    ).toEqual({ kind: 'permanent', message: 'validation rule' });
  });

  it('anything else retries on the outbound job’s own backoff', () => {
    const decision = afterFailedMerge(
      { kind: 'retry', retryAt: new Date(0), message: 'row lock', needsOperator: true },
      { attempt: 1 },
      { now: () => now, backoff },
    );
    expect(decision).toMatchObject({ kind: 'retry', message: 'row lock' });
    expect(decision.kind === 'retry' && decision.retryAt.getTime()).toBeGreaterThanOrEqual(
      now.getTime(),
    );
    expect(decision.kind === 'retry' && decision.retryAt.getTime()).toBeLessThanOrEqual(
      now.getTime() + backoff.baseMs * 2,
    );
  });
});
