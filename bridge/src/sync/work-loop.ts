/**
 * A background loop: run `work` again at once while it finds something to do; otherwise sleep
 * until `wake()` (new work enqueued in this process) or the next job's due time (`nextRunAt`),
 * whichever comes first. Nothing polls: `idleMs` is only the fallback for work another process
 * queued in the shared store (the CLI) or that no due time announces. `stop()` lets the run in
 * progress finish (graceful shutdown finishes in-flight work) and resolves when the loop exited.
 */
import type { Logger } from 'pino';
import { describeError } from '../errors';

export interface WorkLoop {
  start(): void;
  wake(): void;
  stop(): Promise<void>;
  readonly running: boolean;
}

export function createWorkLoop(options: {
  name: string;
  /** Returns true when it did something (so there may be more right away). */
  work: () => Promise<boolean>;
  /** Longest sleep when idle (fallback; in-process work wakes the loop itself). */
  idleMs: number;
  /**
   * When the loop next has something to do (epoch ms, e.g. the next job's due time), or null
   * when nothing is scheduled. Asked after an idle iteration; the loop sleeps until then.
   */
  nextRunAt?: () => Promise<number | null>;
  /** Clock of `nextRunAt` (the engine's, so tests with their own clock agree). */
  now?: () => number;
  logger: Logger;
  /** Run once immediately on start (default) or wait one idle period first. */
  runOnStart?: boolean;
}): WorkLoop {
  const clock = options.now ?? Date.now;
  let stopping = false;
  let loop: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let wakeWaiter: (() => void) | undefined;
  let woken = false;
  /** A due time the loop already re-ran for without finding work (see `sleepMs`). */
  let retriedDueAt: number | undefined;

  /** How long to sleep after an idle iteration. */
  async function sleepMs(): Promise<number> {
    if (!options.nextRunAt) return options.idleMs;
    let at: number | null;
    try {
      at = await options.nextRunAt();
    } catch (error) {
      options.logger.warn(
        { event: 'sync.loop_schedule_error', loop: options.name, err: describeError(error) },
        'could not read the next due time',
      );
      return options.idleMs;
    }
    if (at === null) return options.idleMs;
    const wait = at - clock();
    if (wait > 0) {
      retriedDueAt = undefined;
      // +1 ms: a timer can fire up to a millisecond before the wall clock reaches its due time
      // (libuv rounds its loop time), and waking early costs a claim that finds nothing.
      return Math.min(options.idleMs, wait + 1);
    }
    // Due already: the work may have looked just before it came due, so run once more at once.
    // Due yet still not taken on that re-run means another process holds it: fall back.
    if (retriedDueAt === at) return options.idleMs;
    retriedDueAt = at;
    return 0;
  }

  async function idle(): Promise<void> {
    if (woken) {
      woken = false;
      return;
    }
    const ms = await sleepMs();
    if (woken || stopping || ms <= 0) {
      woken = false;
      return;
    }
    await new Promise<void>((resolve) => {
      wakeWaiter = () => resolve();
      timer = setTimeout(resolve, ms);
      timer.unref?.();
    }).then(() => {
      clearTimeout(timer);
      wakeWaiter = undefined;
      woken = false;
    });
  }

  async function run(): Promise<void> {
    if (options.runOnStart === false) await idle();
    while (!stopping) {
      let busy = false;
      try {
        busy = await options.work();
      } catch (error) {
        // A failing iteration must not kill the loop; the next one retries after the idle wait.
        options.logger.error(
          { event: 'sync.loop_error', loop: options.name, err: describeError(error) },
          'sync loop iteration failed',
        );
      }
      if (busy) retriedDueAt = undefined;
      else if (!stopping) await idle();
    }
  }

  return {
    start() {
      if (loop) return;
      stopping = false;
      loop = run().finally(() => {
        loop = undefined;
      });
    },
    wake() {
      if (wakeWaiter) wakeWaiter();
      else woken = true;
    },
    async stop() {
      stopping = true;
      wakeWaiter?.();
      await loop;
    },
    get running() {
      return loop !== undefined;
    },
  };
}
