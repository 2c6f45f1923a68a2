/**
 * The sync engine: the only module that knows both Salesforce and Partner Center. See
 * docs/ARCHITECTURE.md for the flow, crash points and the guarantees each step gives.
 */
export { createSyncEngine, DEFAULTS as SYNC_DEFAULTS } from './engine';
export type {
  Explanation,
  ReplayCursorStatus,
  ResyncSelection,
  SyncEngine,
  SyncEngineDeps,
  SyncEngineOptions,
  SyncStatus,
} from './engine';
export { createSyncRuntime, CDC_CHANNELS } from './runtime';
export { REFERRALS_RESOURCE, referralsUserTokens } from './referrals-tokens';
export type { SyncRuntime, SyncRuntimeOptions } from './runtime';
export { createBudgetGuard, nextUtcMidnight, utcDay, BUDGETED_API } from './budget-guard';
export type { BudgetGuard, BudgetUsage } from './budget-guard';
export { createSyncMapping } from './mapping-adapter';
export type { MappingOptions } from './mapping-adapter';
export { triageChangeEvents } from './cdc-triage';
export { decideFailure, budgetPausedMessage } from './failure-policy';
export type { FailureDecision } from './failure-policy';
export type { WebhookIntakeResult } from './webhook-intake';
export { SALESFORCE_WATERMARK, PARTNER_CENTER_WATERMARK, CATCH_UP_EVENT } from './reconcile';
export { createDependencyHealth, describeDependency, DEPENDENCIES } from './dependency-health';
export type { Dependency, DependencyHealth, DependencyState } from './dependency-health';
