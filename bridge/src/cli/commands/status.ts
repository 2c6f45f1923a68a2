import type { Config } from '../../config';
import {
  bridgeProcessState,
  describeProcessState,
  HEARTBEAT_STALE_MS,
  type BridgeProcessState,
} from '../../runtime';
import { isGoneLocalProcess } from '../../store';
import { EXIT, type ExitCode } from '../exit-codes';
import { renderStatus } from '../render';
import type { Session } from '../session';

/**
 * Local state (store, budget, cursors), whether a `cosell run` process is running (its heartbeat
 * in the store, so this works from any process and host that shares the store) and whether a
 * bridge answers on BRIDGE_PORT here: answers even while Salesforce or Partner Center is down.
 */
export async function statusCommand(session: Session): Promise<ExitCode> {
  const { runtime } = session.bridge();
  const status = await runtime.engine.status();
  // This process never runs the engine, so the engine's own `running` says nothing here.
  const bridgeProcess: BridgeProcessState = bridgeProcessState(
    await runtime.store.heartbeats(),
    new Date(),
    { staleMs: HEARTBEAT_STALE_MS, isGone: isGoneLocalProcess },
  );
  const http = await probeBridge(session.config);
  const report = {
    environment: session.config.environment,
    ...status,
    running: bridgeProcess.running,
    process: bridgeProcess,
    bridge: http,
  };
  session.out.json(report);
  session.out.line(`bridge: ${describeProcessState(bridgeProcess)}`);
  session.out.line(
    http.running
      ? `http: answering at ${http.url} (${http.ready ? 'ready' : 'not ready'})`
      : `http: not answering at ${http.url}${bridgeProcess.running ? '' : ' (start the bridge with `cosell run`)'}`,
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
