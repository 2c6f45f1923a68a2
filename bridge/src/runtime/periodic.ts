import type { Logger } from 'pino';

export interface PeriodicTask {
  /** Stops the schedule and waits for a run in progress; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Runs `task` now and then every `intervalMs`, never two runs at once. A failed run is logged
 * and the schedule goes on (the next run may succeed). The timer is unref'd: a schedule alone
 * never keeps the process alive.
 */
export function startPeriodic(options: {
  name: string;
  intervalMs: number;
  logger: Logger;
  task: () => Promise<void>;
}): PeriodicTask {
  const { name, logger, task } = options;
  let current: Promise<void> | undefined;
  let stopped = false;
  const run = (): void => {
    if (stopped || current) return;
    current = task()
      .catch((error: unknown) =>
        logger.warn({ event: 'bridge.periodic_failed', task: name, err: error }, `${name} failed`),
      )
      .finally(() => {
        current = undefined;
      });
  };
  const timer = setInterval(run, options.intervalMs);
  timer.unref();
  run();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
