/** The composition root (`createBridge`) and process-level concerns (signals, readiness). */
export { createBridge } from './create-bridge';
/** Re-exported for the CLI's sign-in checks: built where the sync runtime builds it. */
export { referralsUserTokens } from '../sync';
export type { Bridge, BridgeOptions } from './create-bridge';
export { handleShutdownSignals } from './shutdown';
export type { ShutdownOptions } from './shutdown';
export { readinessChecks, CDC_RETENTION_SECONDS } from './readiness';
export {
  createWebhookAdmin,
  webhookAppTokens,
  webhookUrl,
  WEBHOOK_API_SCOPE,
} from './partner-center-admin';
export {
  HEARTBEAT_INTERVAL_MS,
  HEARTBEAT_STALE_MS,
  PRUNE_INTERVAL_MS,
  startMaintenance,
} from './maintenance';
export type { Maintenance, MaintenanceOptions } from './maintenance';
export { bridgeProcessState, describeProcessState } from './process-state';
export type { BridgeProcessState } from './process-state';
export { claimSoleInstance } from './sole-instance';
export { describeReplicas, replicasReport } from './replicas';
export type { ReplicasReport, ReplicaView } from './replicas';
