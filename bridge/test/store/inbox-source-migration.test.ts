import { DatabaseSync } from 'node:sqlite';
import { MIGRATIONS, PostgresStore, SqliteStore, type StateStore } from '../../src/store';
import { createPool } from '../../src/store/postgres/database';
import { POSTGRES_MIGRATIONS } from '../../src/store/postgres/migrations';
import { startPostgres, type PostgresServer } from '../../../test/support/postgres-server';
import { referral } from '../mapping/fixtures';
import { tempDir } from './helpers';

/**
 * Migration 5 gives inbox rows a typed source. A database written before it (catch-up results
 * stored as fake 'catch-up' webhook events) must come through without losing a row: pending work
 * of both kinds is claimed as what it was, and the dedupe memory still recognises redeliveries.
 */
jest.setTimeout(60_000);

const SOURCE_MIGRATION = 5;
const before = <M extends { version: number }>(all: readonly M[]) =>
  all.filter((m) => m.version < SOURCE_MIGRATION);

const at = '2026-03-02T09:00:00.000Z';
const listed = referral({ id: 'r-listed', updatedDateTime: '2026-03-02T08:59:00.1234567Z' });
const webhookBody = JSON.stringify({
  EventName: 'referral-updated',
  ResourceUri: 'https://api.partnercenter.microsoft.com/engagements/v1/referrals/r-hook',
  ResourceChangeUtcDate: '2026-03-02T08:58:00Z',
});
/** Inbound rows exactly as the bridge wrote them before migration 5. */
const OLD_ROWS: [key: string, referralId: string, reason: string, body: string, state: string][] = [
  [
    'referral-updated|r-hook|2026-03-02T08:58:00Z',
    'r-hook',
    'referral-updated',
    webhookBody,
    'pending',
  ],
  [
    `catch-up|r-listed|${listed.updatedDateTime}`,
    'r-listed',
    'catch-up',
    JSON.stringify(listed),
    'pending',
  ],
  ['referral-created|r-done|2026-03-01T00:00:00Z', 'r-done', 'referral-created', '{}', 'done'],
];
const INSERT = `INSERT INTO jobs (queue, job_key, subject_id, reason, resource_change_utc, body, state,
                  not_before, first_requested_at, last_requested_at, updated_at)
                VALUES ('inbound', ?, ?, ?, NULL, ?, ?, '${at}', '${at}', '${at}', '${at}')`;

interface Backend {
  name: string;
  /** Creates the old schema, writes OLD_ROWS with plain SQL, then opens it with every migration. */
  upgrade(): Promise<{ store: StateStore; applied: readonly number[] }>;
}

const dir = tempDir('cosell-migration-');
let server: PostgresServer | undefined;
const opened: StateStore[] = [];
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await Promise.all(opened.map((store) => store.close().catch(() => undefined)));
  await server?.stop();
}, 30_000);

const backends: Backend[] = [
  {
    name: 'sqlite',
    async upgrade() {
      const file = dir.path('before-source.sqlite');
      await new SqliteStore(file, { migrations: before(MIGRATIONS) }).close();
      const db = new DatabaseSync(file);
      for (const row of OLD_ROWS) db.prepare(INSERT).run(...row);
      db.close();
      const store = new SqliteStore(file);
      opened.push(store);
      return { store, applied: store.appliedMigrations };
    },
  },
  {
    name: 'postgres',
    async upgrade() {
      if (!server) throw new Error('the Postgres server is not started (beforeAll)');
      const schema = 'before_source';
      const old = new PostgresStore(server.url, {
        schema,
        migrations: before(POSTGRES_MIGRATIONS),
      });
      await old.ready();
      await old.close();
      const pool = createPool(server.url, { schema });
      let n = 0;
      const insert = INSERT.replace(/\?/g, () => `$${(n += 1)}`);
      for (const row of OLD_ROWS) await pool.query(insert, row);
      await pool.end();
      const store = new PostgresStore(server.url, { schema });
      opened.push(store);
      return { store, applied: await store.appliedMigrations() };
    },
  },
];

describe.each(backends)('$name store: migration 5 (inbox source)', ({ upgrade }) => {
  it('R13: pending webhook and catch-up rows are claimed as what they were, nothing lost', async () => {
    const { store, applied } = await upgrade();
    expect(applied).toEqual([SOURCE_MIGRATION]);
    const claimed = await store.claimInbox(10, new Date('2026-03-02T10:00:00Z'));
    expect(claimed).toHaveLength(2);
    const hook = claimed.find((item) => item.referralId === 'r-hook');
    const catchUp = claimed.find((item) => item.referralId === 'r-listed');
    expect(hook).toMatchObject({
      source: 'webhook',
      eventName: 'referral-updated',
      body: webhookBody,
    });
    expect(catchUp).toMatchObject({ source: 'catch-up', referral: listed });
    // The dedupe memory survives: both a finished and a pending delivery are still known.
    for (const [key, referralId] of [OLD_ROWS[2]!, OLD_ROWS[0]!]) {
      expect(
        await store.recordDelivery({
          source: 'webhook',
          dedupeKey: key,
          referralId,
          eventName: 'referral-updated',
          resourceChangeUtc: null,
          receivedAt: new Date(),
          body: '{}',
        }),
      ).toBe(false);
    }
  });
});
