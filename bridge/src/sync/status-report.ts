/**
 * The sync status read from the store alone (queues, failures, budget, cursors, watermarks).
 * The engine's `status()` and the store-only `cosell status` both use it: the command must not
 * build the engine (jsforce, express and the workers) just to read a few rows (issue 17).
 */
import type { QueueDepthCounts, StateStore } from '../store';
import type { BudgetUsage } from './budget-guard';
import { PARTNER_CENTER_WATERMARK, SALESFORCE_WATERMARK } from './watermarks';

export interface ReplayCursorStatus {
  channel: string;
  replayId: number;
  updatedAt: string;
  ageSeconds: number;
}

export interface SyncStatus {
  running: boolean;
  /** Set while the daily Partner Center budget is spent (R1). */
  paused: { message: string; until: string } | null;
  budget: BudgetUsage;
  queues: QueueDepthCounts;
  failures: { total: number; permanent: number; retrying: number };
  replayCursors: ReplayCursorStatus[];
  watermarks: { salesforceSystemModstamp: string | null; partnerCenterUpdated: string | null };
  lastReconcileAt: string | null;
  lastCatchUpAt: string | null;
}

/** What only a running engine knows; a process that never ran one passes `notRunning`. */
export interface EngineActivity {
  running: boolean;
  lastReconcileAt: string | null;
  lastCatchUpAt: string | null;
}

export const notRunning: EngineActivity = {
  running: false,
  lastReconcileAt: null,
  lastCatchUpAt: null,
};

export async function readSyncStatus(
  store: Pick<StateStore, 'queueDepths' | 'listFailures' | 'replayCursors' | 'getWatermark'>,
  budget: { usage(): Promise<BudgetUsage> },
  at: Date,
  activity: EngineActivity,
): Promise<SyncStatus> {
  const [usage, queues, failureList, cursors, sfMark, pcMark] = await Promise.all([
    budget.usage(),
    store.queueDepths(at),
    store.listFailures(),
    store.replayCursors(),
    store.getWatermark(SALESFORCE_WATERMARK),
    store.getWatermark(PARTNER_CENTER_WATERMARK),
  ]);
  const permanent = failureList.filter((f) => f.permanent).length;
  return {
    running: activity.running,
    paused: usage.paused
      ? {
          message: `Paused: daily Partner Center budget of ${usage.budget} calls reached; resumes at ${usage.resetsAt}`,
          until: usage.resetsAt,
        }
      : null,
    budget: usage,
    queues,
    failures: { total: failureList.length, permanent, retrying: failureList.length - permanent },
    replayCursors: cursors.map((c) => ({
      ...c,
      ageSeconds: Math.max(0, Math.round((at.getTime() - Date.parse(c.updatedAt)) / 1000)),
    })),
    watermarks: {
      salesforceSystemModstamp: sfMark ?? null,
      partnerCenterUpdated: pcMark ?? null,
    },
    lastReconcileAt: activity.lastReconcileAt,
    lastCatchUpAt: activity.lastCatchUpAt,
  };
}
