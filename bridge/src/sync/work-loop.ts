/**
 * A background loop: run `work` again at once while it finds something to do, otherwise wait
 * for `wake()` or the idle interval. `stop()` lets the run in progress finish (graceful
 * shutdown finishes in-flight work) and resolves when the loop has exited.
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
  idleMs: number;
  logger: Logger;
  /** Run once immediately on start (default) or wait one idle period first. */
  runOnStart?: boolean;
}): WorkLoop {
  let stopping = false;
  let loop: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let wakeWaiter: (() => void) | undefined;
  let woken = false;

  function idle(): Promise<void> {
    if (woken) {
      woken = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      wakeWaiter = () => resolve();
      timer = setTimeout(resolve, options.idleMs);
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
      if (!busy && !stopping) await idle();
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
