import { PORTABLE_MIGRATIONS, type Migration } from '../migrations';

/**
 * The Postgres schema, numbered like the SQLite migrations (../migrations.ts) so a schema
 * version means the same tables in both stores. Append-only, like those. Columns and types match
 * the SQLite ones (timestamps as ISO 8601 UTC text, JSON as text) so both stores share one row
 * mapping (../rows.ts).
 */
export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial state: cursors, watermarks, jobs, links, counters, audit',
    sql: `
      CREATE TABLE replay_cursors (
        channel TEXT PRIMARY KEY,
        replay_id BIGINT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE watermarks (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE jobs (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        queue TEXT NOT NULL CHECK (queue IN ('outbound', 'inbound')),
        job_key TEXT NOT NULL,
        subject_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        changed_fields TEXT NOT NULL DEFAULT '[]',
        resource_change_utc TEXT,
        body TEXT,
        state TEXT NOT NULL CHECK (state IN ('pending', 'failed', 'done')),
        not_before TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        permanent INTEGER NOT NULL DEFAULT 0,
        generation INTEGER NOT NULL DEFAULT 1,
        claimed_generation INTEGER,
        locked_by TEXT,
        locked_at TEXT,
        locked_until TEXT,
        first_requested_at TEXT NOT NULL,
        last_requested_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        completed_at TEXT,
        UNIQUE (queue, job_key)
      );
      CREATE INDEX jobs_due ON jobs (queue, state, not_before);
      CREATE INDEX jobs_subject ON jobs (subject_id);
      CREATE TABLE referral_links (
        opportunity_id TEXT PRIMARY KEY,
        referral_id TEXT UNIQUE,
        engagement_id TEXT,
        etag TEXT,
        updated_date_time TEXT,
        referral TEXT,
        payload_hash TEXT,
        status TEXT,
        substatus TEXT,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE api_calls (
        day TEXT NOT NULL,
        api TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (day, api)
      );
      CREATE TABLE idempotency_keys (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE audit_events (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        direction TEXT NOT NULL CHECK (direction IN ('Outbound', 'Inbound')),
        outcome TEXT NOT NULL CHECK (outcome IN ('Success', 'Error', 'Ignored', 'Skipped')),
        message TEXT NOT NULL,
        opportunity_id TEXT,
        referral_id TEXT,
        api_calls INTEGER NOT NULL DEFAULT 0,
        occurred_at TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        written_at TEXT,
        locked_until TEXT
      );
      CREATE INDEX audit_events_opportunity ON audit_events (opportunity_id);
      CREATE INDEX audit_events_referral ON audit_events (referral_id);
      CREATE INDEX audit_events_unwritten ON audit_events (id) WHERE written_at IS NULL;
    `,
  },
  {
    version: 2,
    name: 'audit lease owner, so a crashed process releases its audit batch at once',
    sql: `ALTER TABLE audit_events ADD COLUMN locked_by TEXT;`,
  },
  {
    version: 3,
    name: 'bridge heartbeats, so `cosell status` in another process knows whether `cosell run` runs',
    sql: `
      CREATE TABLE bridge_heartbeats (
        owner TEXT PRIMARY KEY,
        host TEXT NOT NULL,
        pid INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        beat_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 4,
    name: 'leases: one holder per named piece of work (the CDC subscription), with a fencing token',
    sql: `
      CREATE TABLE leases (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        token BIGINT NOT NULL,
        acquired_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'inbox source: a webhook delivery or a catch-up listing, instead of a fake webhook event',
    // Rows stored before this named their origin only by the reason 'catch-up' (a catch-up row's
    // body was already the listed referral): that is what the backfill reads.
    sql: `
      ALTER TABLE jobs ADD COLUMN source TEXT CHECK (source IN ('webhook', 'catch-up'));
      UPDATE jobs SET source = CASE WHEN reason = 'catch-up' THEN 'catch-up' ELSE 'webhook' END
       WHERE queue = 'inbound';
    `,
  },
  {
    version: 6,
    name: 'create intent as its own column, instead of the sentinel payload_hash = create-intent',
    // payload_hash held nothing but that sentinel (no payload was ever hashed). An intent stored
    // before this keeps its row and becomes create_intent_at = the time it was saved.
    sql: `
      ALTER TABLE referral_links ADD COLUMN create_intent_at TEXT;
      UPDATE referral_links SET create_intent_at = updated_at WHERE payload_hash = 'create-intent';
      ALTER TABLE referral_links DROP COLUMN payload_hash;
    `,
  },
  ...PORTABLE_MIGRATIONS,
];
