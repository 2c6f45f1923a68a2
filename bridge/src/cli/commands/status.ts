// Each import names its module, not a folder's index: the indexes load the whole bridge, and
// status reads the store alone (issue 17: start within a few times a bare Node start).
import type { Config } from '../../config';
import { HEARTBEAT_STALE_MS } from '../../runtime/maintenance';
import {
  bridgeProcessState,
  describeProcessState,
  type BridgeProcessState,
} from '../../runtime/process-state';
import { describeReplicas, replicasReport } from '../../runtime/replicas';
import { isGoneLocalProcess } from '../../store/claim-owner';
import { createBudgetGuard } from '../../sync/budget-guard';
import { DEPENDENCIES } from '../../sync/dependency-health';
import { notRunning, readSyncStatus } from '../../sync/status-report';
import { EXIT, type ExitCode } from '../exit-codes';
import { renderStatus } from '../render';
import type { Session } from '../session';

/**
 * Local state (store, budget, cursors), whether a `cosell run` process is running (its heartbeat
 * in the store, so this works from any process and host that shares the store) and whether a
 * bridge answers on BRIDGE_PORT here: answers even while Salesforce or Partner Center is down.
 */
export async function statusCommand(session: Session): Promise<ExitCode> {
  const store = session.store();
  const budget = createBudgetGuard({
    store,
    dailyBudget: session.config.partnerCenter.dailyCallBudget,
    now: () => new Date(),
  });
  // This process never runs the engine: whether one runs is the heartbeats' answer below.
  const status = await readSyncStatus(store, budget, new Date(), notRunning);
  const beats = await store.heartbeats();
  const liveness = { staleMs: HEARTBEAT_STALE_MS, isGone: isGoneLocalProcess };
  const bridgeProcess: BridgeProcessState = bridgeProcessState(beats, new Date(), liveness);
  // Replicas on Postgres: every process sharing the store, and the CDC lease's holder.
  const replicas = replicasReport(beats, await store.leases(), new Date(), liveness);
  const http = await probeBridge(session.config);
  const report = {
    environment: session.config.environment,
    ...status,
    running: bridgeProcess.running,
    process: bridgeProcess,
    bridge: http,
    ...replicas,
  };
  session.out.json(report);
  session.out.line(`bridge: ${describeProcessState(bridgeProcess)}`);
  for (const line of describeReplicas(replicas)) session.out.line(line);
  session.out.line(
    http.running
      ? `http: answering at ${http.url} (${http.ready ? 'ready' : 'not ready'})`
      : `http: not answering at ${http.url}${bridgeProcess.running ? '' : ' (start the bridge with `cosell run`)'}`,
  );
  // The running bridge knows whether Salesforce and Partner Center answer; this process does not.
  const down = http.checks
    .filter((check) => !check.ok && (DEPENDENCIES as readonly string[]).includes(check.name))
    .map((check) => check.detail ?? '');
  const syncLiveness = { running: bridgeProcess.running, down };
  for (const line of renderStatus(session.config.environment, status, syncLiveness))
    session.out.line(line);
  return EXIT.ok;
}

interface ReadyzCheck {
  name: string;
  ok: boolean;
  detail?: string;
}

async function probeBridge(
  config: Config,
): Promise<{ url: string; running: boolean; ready: boolean; checks: ReadyzCheck[] }> {
  const { host, port } = config.bridge;
  const local = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const url = `http://${local.includes(':') ? `[${local}]` : local}:${port}`;
  try {
    const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1_500) });
    const body = (await response.json().catch(() => ({}))) as { checks?: ReadyzCheck[] };
    return {
      url,
      running: true,
      ready: response.status === 200,
      checks: Array.isArray(body.checks) ? body.checks : [],
    };
  } catch {
    return { url, running: false, ready: false, checks: [] };
  }
}
