import { createLogger } from '../../log';
import { createBridge, handleShutdownSignals } from '../../runtime';
import { loadCliConfig, type CliIo, type GlobalOptions } from '../context';

/**
 * `cosell run`: the bridge itself. Logs go to stdout at BRIDGE_LOG_LEVEL; SIGINT/SIGTERM stop it
 * gracefully. Resolves once listening; the process then lives until a signal ends it.
 */
export async function runCommand(io: CliIo, options: GlobalOptions): Promise<void> {
  const config = loadCliConfig(io, options);
  const logger = createLogger(config);
  const bridge = createBridge({ config, logger });
  const server = await bridge.start();
  handleShutdownSignals({
    stop: () => bridge.stop(),
    logger,
    timeoutMs: config.bridge.shutdownTimeoutMs + 2_000,
    exit: io.exit,
  });
  logger.info(
    { event: 'bridge.ready', url: server.url, environment: config.environment },
    `bridge ready on ${server.url} (${config.environment})`,
  );
}
