import {
  AccessDeniedError,
  BudgetExhaustedError,
  PermanentError,
  PreconditionFailedError,
  TransientError,
} from '../../src/errors';
import { budgetPausedMessage, decideFailure } from '../../src/sync/failure-policy';

const now = new Date('2026-01-01T12:00:00Z');
const policy = { baseMs: 1_000, maxMs: 60_000 };

describe('decideFailure', () => {
  it('R14: a transient error retries later, honouring Retry-After', () => {
    const decision = decideFailure(
      new TransientError('429', 'partner-center', 7_000),
      1,
      now,
      policy,
    );
    expect(decision).toMatchObject({ kind: 'retry' });
    expect(decision.kind === 'retry' && decision.retryAt.getTime() - now.getTime()).toBe(7_000);
  });

  it('R14: backoff grows with the attempt number', () => {
    const at = (attempt: number) => {
      const d = decideFailure(
        new TransientError('503', 'partner-center'),
        attempt,
        now,
        policy,
        () => 0.99,
      );
      return d.kind === 'retry' ? d.retryAt.getTime() - now.getTime() : -1;
    };
    expect(at(4)).toBeGreaterThan(at(1));
  });

  it('R14: a permanent error waits for a data change or an operator', () => {
    expect(decideFailure(new PermanentError('bad', 'partner-center', '400'), 1, now)).toEqual({
      kind: 'permanent',
      message: 'bad',
    });
  });

  it('R1: an exhausted budget pauses until it resets', () => {
    const resetsAt = new Date('2026-01-02T00:00:00Z');
    const decision = decideFailure(
      new BudgetExhaustedError(budgetPausedMessage(10, resetsAt), resetsAt),
      3,
      now,
    );
    expect(decision).toEqual({
      kind: 'paused',
      retryAt: resetsAt,
      message:
        'Paused: daily Partner Center budget of 10 calls reached; resumes at 2026-01-02T00:00:00.000Z',
    });
  });

  it('R2: access denied names what to grant and retries on the slow schedule', () => {
    const decision = decideFailure(
      new AccessDeniedError('Partner Center refused the call', 'partner-center', 'Referrals admin'),
      1,
      now,
      policy,
    );
    expect(decision.kind).toBe('retry');
    expect(decision.message).toContain('Referrals admin');
  });

  it('a lost If-Match race is retried', () => {
    expect(decideFailure(new PreconditionFailedError('412', 'partner-center'), 1, now).kind).toBe(
      'retry',
    );
  });
});
