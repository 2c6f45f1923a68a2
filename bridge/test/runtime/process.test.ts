import { EventEmitter } from 'node:events';
import pino from 'pino';
import { handleShutdownSignals, readinessChecks } from '../../src/runtime';
import type { SyncStatus } from '../../src/sync';

const silent = pino({ level: 'silent' });

function status(overrides: Partial<SyncStatus> = {}): SyncStatus {
  return {
    running: true,
    paused: null,
    budget: {
      day: '2026-11-30',
      budget: 10,
      used: 2,
      left: 8,
      resetsAt: '2026-12-01T00:00:00.000Z',
      paused: false,
    },
    queues: {
      outboundPending: 0,
      outboundDue: 0,
      inboxPending: 0,
      failed: 0,
      auditPending: 0,
      newsPending: 0,
    },
    failures: { total: 0, permanent: 0, retrying: 0 },
    replayCursors: [],
    watermarks: { salesforceSystemModstamp: null, partnerCenterUpdated: null },
    lastReconcileAt: null,
    lastCatchUpAt: null,
    ...overrides,
  };
}

describe('readiness', () => {
  it('is ready while the engine runs and every replay cursor is inside the 72 h window', () => {
    expect(readinessChecks(status()).every((c) => c.ok)).toBe(true);
    const stale = readinessChecks(
      status({
        replayCursors: [
          {
            channel: '/data/OpportunityChangeEvent',
            replayId: 5,
            updatedAt: '',
            ageSeconds: 73 * 3600,
          },
        ],
      }),
    );
    expect(stale.find((c) => c.name === 'replay-cursor')).toMatchObject({ ok: false });
    expect(
      readinessChecks(status({ running: false })).find((c) => c.name === 'sync-engine')?.ok,
    ).toBe(false);
  });

  it('a dependency that stopped answering fails readiness with its cause; unknown or up ones do not', () => {
    const checks = readinessChecks(status(), [
      {
        dependency: 'salesforce-api',
        state: 'down',
        since: '2026-11-30T08:00:00.000Z',
        lastError: 'fetch failed: connect ECONNREFUSED 10.0.0.5:443',
        consecutiveFailures: 4,
      },
      {
        dependency: 'salesforce-stream',
        state: 'up',
        since: '2026-11-30T07:00:00.000Z',
        lastError: null,
        consecutiveFailures: 0,
      },
      {
        dependency: 'partner-center',
        state: 'unknown',
        since: null,
        lastError: null,
        consecutiveFailures: 0,
      },
    ]);
    expect(checks.filter((c) => !c.ok)).toEqual([
      {
        name: 'salesforce-api',
        ok: false,
        detail:
          'Salesforce API unreachable since 2026-11-30T08:00:00.000Z: fetch failed: connect ECONNREFUSED 10.0.0.5:443',
      },
    ]);
  });

  it('R1: a spent budget is reported but does not make the bridge unready (webhooks still land)', () => {
    const checks = readinessChecks(
      status({ paused: { message: 'Paused: daily budget reached', until: 'x' } }),
    );
    expect(checks.find((c) => c.name === 'partner-center-budget')).toEqual({
      name: 'partner-center-budget',
      ok: true,
      detail: 'Paused: daily budget reached',
    });
  });
});

describe('shutdown on signals', () => {
  it('stops once on the first signal and exits 0 when the stop finishes', async () => {
    const emitter = new EventEmitter();
    let stops = 0;
    let release!: () => void;
    const exited = new Promise<number>((resolve) => {
      handleShutdownSignals({
        stop: () => {
          stops += 1;
          return new Promise<void>((done) => (release = done));
        },
        logger: silent,
        timeoutMs: 60_000,
        exit: resolve,
        emitter: emitter as unknown as NodeJS.Process,
      });
    });
    emitter.emit('SIGTERM', 'SIGTERM');
    emitter.emit('SIGINT', 'SIGINT');
    release();
    expect(await exited).toBe(0);
    expect(stops).toBe(1);
  });

  it('exits 1 when the stop hangs past the timeout, or fails', async () => {
    const hung = new EventEmitter();
    const timedOut = new Promise<number>((resolve) =>
      handleShutdownSignals({
        stop: () => new Promise<void>(() => undefined),
        logger: silent,
        timeoutMs: 10,
        exit: resolve,
        emitter: hung as unknown as NodeJS.Process,
      }),
    );
    hung.emit('SIGINT', 'SIGINT');
    expect(await timedOut).toBe(1);

    const failing = new EventEmitter();
    const failed = new Promise<number>((resolve) =>
      handleShutdownSignals({
        stop: () => Promise.reject(new Error('store busy')),
        logger: silent,
        timeoutMs: 60_000,
        exit: resolve,
        emitter: failing as unknown as NodeJS.Process,
      }),
    );
    failing.emit('SIGTERM', 'SIGTERM');
    expect(await failed).toBe(1);
  });
});
