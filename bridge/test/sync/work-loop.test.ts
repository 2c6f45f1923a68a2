import pino from 'pino';
import { createWorkLoop } from '../../src/sync/work-loop';

const logger = pino({ level: 'silent' });

describe('work loop', () => {
  it('runs again at once while busy, waits when idle, and wakes up on demand', async () => {
    let pending = 3;
    let runs = 0;
    let drained!: () => void;
    const idle = new Promise<void>((resolve) => (drained = resolve));
    const loop = createWorkLoop({
      name: 'test',
      logger,
      idleMs: 60_000,
      work: async () => {
        runs += 1;
        if (pending === 0) drained();
        if (pending > 0) {
          pending -= 1;
          return true;
        }
        return false;
      },
    });
    loop.start();
    await idle;
    expect(runs).toBe(4);

    pending = 1;
    const again = new Promise<void>((resolve) => (drained = resolve));
    loop.wake();
    await again;
    expect(runs).toBe(6);
    await loop.stop();
    expect(loop.running).toBe(false);
  });

  it('stop() waits for the batch in flight to finish and a failing batch does not kill the loop', async () => {
    let calls = 0;
    let release!: () => void;
    const inFlight = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    let finished = false;
    const loop = createWorkLoop({
      name: 'test',
      logger,
      idleMs: 10,
      work: async () => {
        calls += 1;
        if (calls === 1) throw new Error('boom');
        started();
        await inFlight;
        finished = true;
        return false;
      },
    });
    loop.start();
    await running;
    const stopping = loop.stop();
    release();
    await stopping;
    expect(finished).toBe(true);
    expect(calls).toBe(2);
  });

  it('sleeps until the next due time instead of its idle interval, and never polls at rest', async () => {
    const startedAt = Date.now();
    let dueAt: number | null = startedAt + 150;
    const runsAt: number[] = [];
    let ranDue!: () => void;
    const ranAtDueTime = new Promise<void>((resolve) => (ranDue = resolve));
    // Resolved when the loop, with nothing scheduled, asks for the next due time and so decides
    // how long to sleep; resolved by the first run after wake().
    let askedWithNothingDue!: () => void;
    const decidedToSleep = new Promise<void>((resolve) => (askedWithNothingDue = resolve));
    let ranAfterWake!: () => void;
    const woke = new Promise<void>((resolve) => (ranAfterWake = resolve));
    let wokenAt = Number.NaN;
    const loop = createWorkLoop({
      name: 'test',
      logger,
      idleMs: 60_000,
      nextRunAt: async () => {
        if (dueAt === null) askedWithNothingDue();
        return dueAt;
      },
      work: async () => {
        runsAt.push(Date.now());
        if (!Number.isNaN(wokenAt)) ranAfterWake();
        if (dueAt !== null && Date.now() >= dueAt) {
          dueAt = null;
          ranDue();
        }
        return false;
      },
    });
    loop.start();
    await ranAtDueTime;
    // The run on start, then one at the due time: woken by the due time, not the 60 s fallback.
    expect(runsAt).toHaveLength(2);
    expect(runsAt[1]! - startedAt).toBeGreaterThanOrEqual(140);
    // Nothing scheduled now: the loop sleeps (the fallback is a minute away) until woken. A loop
    // that did not sleep would run again in the very next turn of the event loop.
    await decidedToSleep;
    await new Promise((resolve) => setImmediate(resolve));
    expect(runsAt).toHaveLength(2);
    wokenAt = Date.now();
    loop.wake();
    await woke;
    expect(runsAt).toHaveLength(3);
    expect(runsAt[2]!).toBeGreaterThanOrEqual(wokenAt);
    await loop.stop();
  });

  it('re-runs once at once when its work is already due, then falls back instead of spinning', async () => {
    let runs = 0;
    let thirdRun!: () => void;
    const third = new Promise<void>((resolve) => (thirdRun = resolve));
    const due = Date.now() - 1;
    const loop = createWorkLoop({
      name: 'test',
      logger,
      idleMs: 100,
      // Always "due" but never taken (another process holds it): one immediate re-run, then
      // the idle fallback, not a hot loop.
      nextRunAt: async () => due,
      work: async () => {
        runs += 1;
        if (runs === 3) thirdRun();
        return false;
      },
    });
    const startedAt = Date.now();
    loop.start();
    await third;
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(90);
    await loop.stop();
  });
});
