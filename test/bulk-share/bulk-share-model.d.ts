// Types of the bulk share component's pure module (force-app LWC, plain JavaScript), for the
// end-to-end test that classifies the org's records with the component's own rules.
declare module '*coSellBulkShareModel.js' {
  export type SyncState = 'off' | 'sharing' | 'shared' | 'waiting' | 'failed';
  export const BUDGET_PAUSE_PREFIX: string;
  export function syncState(row: {
    syncOn: boolean;
    status?: string | null;
    message?: string | null;
    referralId?: string | null;
  }): SyncState;
  export function summarize(results: ReadonlyArray<{ state: string }>): {
    total: number;
    counts: Record<'ready' | 'not-ready' | 'sharing' | 'shared' | 'waiting' | 'failed', number>;
    settled: boolean;
  };
  export function chunks<T>(items: readonly T[], size: number): T[][];
  export function resumesAt(message: string | null | undefined): string | null;
}
