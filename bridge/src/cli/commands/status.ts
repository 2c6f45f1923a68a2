import type { Config } from '../../config';
import { EXIT, type ExitCode } from '../exit-codes';
import { renderStatus } from '../render';
import type { Session } from '../session';

/**
 * Local state (store, budget, cursors) plus whether a bridge answers on BRIDGE_PORT: answers even
 * while Salesforce or Partner Center is unreachable.
 */
export async function statusCommand(session: Session): Promise<ExitCode> {
  const status = await session.bridge().runtime.engine.status();
  // This process never runs the engine; "running" means a `cosell run` answers on this host.
  const bridge = await probeBridge(session.config);
  const report = {
    environment: session.config.environment,
    ...status,
    running: bridge.running,
    bridge,
  };
  session.out.json(report);
  session.out.line(
    bridge.running
      ? `bridge: running at ${bridge.url} (${bridge.ready ? 'ready' : 'not ready'})`
      : `bridge: not answering at ${bridge.url} (start it with \`cosell run\`)`,
  );
  for (const line of renderStatus(session.config.environment, status)) session.out.line(line);
  return EXIT.ok;
}

async function probeBridge(
  config: Config,
): Promise<{ url: string; running: boolean; ready: boolean }> {
  const url = `http://127.0.0.1:${config.bridge.port}`;
  try {
    const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1_500) });
    return { url, running: true, ready: response.status === 200 };
  } catch {
    return { url, running: false, ready: false };
  }
}
