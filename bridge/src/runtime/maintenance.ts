/**
 * The running bridge's housekeeping, each on its own schedule: the heartbeat that lets
 * `cosell status` in another process see it, and the store's retention (`prune`).
 */
import type { Logger } from 'pino';
// The modules, not store/index: `cosell status` imports this file's constants (fast start).
import { THIS_PROCESS } from '../store/claim-owner';
import { DEFAULT_INBOX_RETENTION_DAYS } from '../store/sqlite/sqlite-store';
import type { StateStore } from '../store';
import { startPeriodic } from './periodic';

/** How often `cosell run` records that it is alive. */
export const HEARTBEAT_INTERVAL_MS = 10_000;
/** A beat older than three intervals means the process hangs or is gone (on another host). */
export const HEARTBEAT_STALE_MS = 3 * HEARTBEAT_INTERVAL_MS;
/** Retention runs at start and then daily: the journal is kept in days, so daily is precise enough. */
export const PRUNE_INTERVAL_MS = 24 * 60 * 60_000;

export interface MaintenanceOptions {
  store: StateStore;
  logger: Logger;
  /** BRIDGE_JOURNAL_RETENTION_DAYS: written audit events and idempotency keys older than this go. */
  journalRetentionDays: number;
  /** Finished webhook deliveries (the dedupe memory); default DEFAULT_INBOX_RETENTION_DAYS. */
  inboxRetentionDays?: number;
  heartbeatIntervalMs?: number;
  pruneIntervalMs?: number;
  now?: () => Date;
}

export interface Maintenance {
  /** Stops both schedules, then removes this process's heartbeat (call once the engine stopped). */
  stop(): Promise<void>;
}

export function startMaintenance(options: MaintenanceOptions): Maintenance {
  const { store, logger } = options;
  const now = options.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const heartbeat = startPeriodic({
    name: 'heartbeat',
    intervalMs: options.heartbeatIntervalMs ?? HEARTBEAT_INTERVAL_MS,
    logger,
    task: () =>
      store.recordHeartbeat({
        owner: THIS_PROCESS.owner,
        host: THIS_PROCESS.host,
        pid: THIS_PROCESS.pid,
        startedAt,
        beatAt: now().toISOString(),
      }),
  });
  const prune = startPeriodic({
    name: 'prune',
    intervalMs: options.pruneIntervalMs ?? PRUNE_INTERVAL_MS,
    logger,
    task: async () => {
      const pruned = await store.prune(
        {
          journalRetentionDays: options.journalRetentionDays,
          inboxRetentionDays: options.inboxRetentionDays ?? DEFAULT_INBOX_RETENTION_DAYS,
        },
        now(),
      );
      logger.info({ event: 'store.pruned', ...pruned }, 'store retention applied');
    },
  });
  return {
    async stop() {
      await Promise.all([heartbeat.stop(), prune.stop()]);
      await store.clearHeartbeat(THIS_PROCESS.owner);
    },
  };
}
