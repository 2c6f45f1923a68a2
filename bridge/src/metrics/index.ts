export { createMetrics, outcomeOfStatus } from './create-metrics';
export type {
  Api,
  BridgeMetrics,
  CallOutcome,
  CreateMetricsOptions,
  EventSource,
  QueueDepths,
  QueueName,
  SyncDirection,
  SyncOutcome,
} from './create-metrics';
