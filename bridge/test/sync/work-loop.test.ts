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
});
