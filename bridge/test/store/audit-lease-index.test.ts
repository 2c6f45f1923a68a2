import { DatabaseSync } from 'node:sqlite';
import { SqliteStore } from '../../src/store';
import { LEASE_OWNERS_SQL, RELEASE_LEASES_SQL } from '../../src/store/sqlite/audit';
import { tempDir } from './helpers';

/**
 * Both audit outbox stages (writing, telling) free the leases of processes that are gone before
 * each batch. The journal keeps every audit row for 400 days by default: that lookup must go by
 * the lease index (migration 9), never read the journal, or each pass of the audit loop scans it.
 */
describe('audit lease lookups', () => {
  const dir = tempDir();

  it('find the rows in flight by index, not by scanning the journal', () => {
    const file = dir.path('leases.db');
    new SqliteStore(file).close();
    const db = new DatabaseSync(file, { readOnly: true });
    try {
      const plan = (sql: string) =>
        (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('x') as Array<{ detail: string }>)
          .map((step) => step.detail)
          .join('; ');
      expect(plan(LEASE_OWNERS_SQL)).toMatch(/USING INDEX audit_events_locked/);
      expect(plan(RELEASE_LEASES_SQL)).toMatch(/USING INDEX audit_events_locked/);
      expect(plan(LEASE_OWNERS_SQL)).not.toMatch(/SCAN audit_events/);
    } finally {
      db.close();
    }
  });
});
