import { createLogger } from '../../log';
import { claimSoleInstance, createBridge, handleShutdownSignals } from '../../runtime';
import { loadCliConfig, type CliIo, type GlobalOptions } from '../context';

/**
 * `cosell run`: the bridge itself. Logs go to stdout at BRIDGE_LOG_LEVEL; SIGINT/SIGTERM stop it
 * gracefully. Resolves once listening; the process then lives until a signal ends it.
 */
export async function runCommand(io: CliIo, options: GlobalOptions): Promise<void> {
  const config = loadCliConfig(io, options);
  const logger = createLogger(config, { buffered: true });
  const bridge = createBridge({ config, logger });
  try {
    // Before listening: a second bridge on this SQLite store says which one runs, not EADDRINUSE.
    await claimSoleInstance(bridge.runtime.store, config.bridge.databaseUrl);
  } catch (error) {
    await bridge.stop();
    throw error;
  }
  const server = await bridge.start();
  handleShutdownSignals({
    stop: () => bridge.stop(),
    logger,
    // The documented bound: past it, calls still waiting on a service are abandoned (their work
    // re-runs on the next start, as after a crash).
    timeoutMs: config.bridge.shutdownTimeoutMs,
    exit: io.exit,
  });
  logger.info(
    // `environment` is already on every line (the logger's base): not repeated here.
    { event: 'bridge.ready', address: server.address, url: server.url },
    `bridge ready on ${server.address} (${config.environment})`,
  );
}
