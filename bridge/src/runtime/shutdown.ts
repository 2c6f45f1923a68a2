import type { Logger } from 'pino';

export interface ShutdownOptions {
  /** Graceful stop: stop intake, finish in-flight work, flush audits, close the store. */
  stop: () => Promise<void>;
  logger: Logger;
  /** Force-exit after this long even if `stop` hangs (BRIDGE_SHUTDOWN_TIMEOUT_MS). */
  timeoutMs: number;
  /** The CLI's exit (only cli/main.ts calls process.exit). */
  exit: (code: number) => void;
  signals?: readonly NodeJS.Signals[];
  /** Where signals come from; `process` by default, an EventEmitter in tests. */
  emitter?: Pick<NodeJS.Process, 'once' | 'off'>;
}

/**
 * Installs SIGINT/SIGTERM handlers that stop the bridge once. A second signal does not start a
 * second stop; the unref'd timer makes sure a stuck dependency cannot keep the process alive
 * forever, without itself keeping the event loop busy after a clean stop.
 */
export function handleShutdownSignals(options: ShutdownOptions): () => void {
  const emitter = options.emitter ?? process;
  const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    options.logger.info({ event: 'bridge.stopping', signal }, `received ${signal}, stopping`);
    const timer = setTimeout(() => {
      options.logger.error(
        { event: 'bridge.shutdown_timeout', timeoutMs: options.timeoutMs },
        'graceful shutdown timed out; exiting',
      );
      options.exit(1);
    }, options.timeoutMs);
    timer.unref();
    options.stop().then(
      () => {
        clearTimeout(timer);
        options.logger.info({ event: 'bridge.stopped' }, 'bridge stopped');
        options.exit(0);
      },
      (error: unknown) => {
        clearTimeout(timer);
        options.logger.error({ event: 'bridge.stop_failed', err: error }, 'shutdown failed');
        options.exit(1);
      },
    );
  };
  for (const signal of signals) emitter.once(signal, onSignal);
  return () => {
    for (const signal of signals) emitter.off(signal, onSignal);
  };
}
