/**
 * "No state change" made checkable: the bridge's durable state (read straight from its SQLite
 * file, read-only, while it runs) and what both emulators hold or were asked. Background sweeps
 * move watermarks and call counters on their own, so those tables are left out; everything a
 * delivery could create — inbox/outbound jobs, links, audit, idempotency keys — is compared.
 */
import { DatabaseSync } from 'node:sqlite';
import type { Stack } from '../support';

const STATE_TABLES = ['jobs', 'referral_links', 'audit_events', 'idempotency_keys'] as const;

export function storeState(databaseFile: string): Record<string, unknown[]> {
  const db = new DatabaseSync(databaseFile, { readOnly: true });
  try {
    return Object.fromEntries(
      STATE_TABLES.map((table) => [table, db.prepare(`SELECT * FROM ${table} ORDER BY 1`).all()]),
    );
  } finally {
    db.close();
  }
}

export interface WorldState {
  store: Record<string, unknown[]>;
  referrals: unknown[];
  /** Referral reads and writes the bridge made (a delivery would make it read the referral). */
  referralCalls: number;
  /** Salesforce writes of any kind. */
  salesforceWrites: number;
}

export async function worldState(stack: Stack): Promise<WorldState> {
  const [referrals, referralCalls, salesforceWrites] = await Promise.all([
    stack.partnerCenter.control.referrals(),
    stack.partnerCenter.control.countRequests((key) => /\/referrals\/\{id\}/.test(key)),
    stack.salesforce.control.countRequests((key) =>
      /^(POST|PATCH|DELETE) \/services\/data/.test(key),
    ),
  ]);
  return {
    store: storeState(stack.bridge.databaseFile),
    referrals,
    referralCalls,
    salesforceWrites,
  };
}

/**
 * Nothing queued, nothing leased, every audit event written to Salesforce and its news (an owner
 * notification) settled. The news is told after the event is written, by its own loop under the
 * audit lease: a state taken while it was being told changed by itself a moment later, and the
 * delivery under test was blamed for it (1 of 4 integration runs on a loaded host).
 */
export function isIdle(state: WorldState): boolean {
  const jobs = (state.store.jobs ?? []) as Array<{ state: string }>;
  const audits = (state.store.audit_events ?? []) as Array<{
    written_at: string | null;
    locked_by: string | null;
    news: string | null;
    news_done_at: string | null;
  }>;
  return (
    jobs.every((j) => j.state === 'done') &&
    audits.every(
      (a) =>
        a.written_at !== null &&
        a.locked_by === null &&
        (a.news === null || a.news_done_at !== null),
    )
  );
}
