/**
 * Numbered, append-only schema migrations (graphile-worker style). Never edit a released entry:
 * add a new one. Each runs in its own transaction and is recorded in `schema_migrations`.
 * All timestamps are ISO 8601 UTC strings with milliseconds, so they compare as text.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * Migrations whose SQL both stores accept as it is (plain columns, an UPDATE, a partial index):
 * written once here and listed in both (postgres/migrations.ts), so the two cannot drift.
 */
export const PORTABLE_MIGRATIONS: readonly Migration[] = [
  {
    version: 7,
    name: 'audit news: the owner notification an event carries, stated by the step that made it',
    // Before this the notifier recognised news by the wording of the message. An event still
    // waiting in the outbox is classified once, here, by the wording the bridge that queued it
    // wrote (frozen with this migration); written events were notified already.
    sql: `
      ALTER TABLE audit_events ADD COLUMN news TEXT;
      UPDATE audit_events SET news = CASE
          WHEN direction = 'Outbound' AND outcome = 'Error' THEN 'sync-error'
          WHEN direction = 'Inbound' AND outcome = 'Success'
           AND message LIKE 'Opportunity % created or linked for referral %' THEN 'new-referral'
          WHEN direction = 'Inbound' AND outcome = 'Success'
           AND message LIKE 'Applied referral %Partner!_Center!_Substatus!_!_c%' ESCAPE '!'
            THEN 'status'
        END
       WHERE written_at IS NULL AND opportunity_id IS NOT NULL;
    `,
  },
  {
    version: 8,
    name: 'audit news delivery: each owner notification is told once, retried with backoff after a failed send',
    // The notification stage of the audit outbox: a written event whose news is not yet told
    // (news_done_at NULL) is due at news_not_before, leased with the audit lease columns. An
    // event written before this was told (or dropped) by the bridge that wrote it.
    sql: `
      ALTER TABLE audit_events ADD COLUMN news_done_at TEXT;
      ALTER TABLE audit_events ADD COLUMN news_not_before TEXT;
      ALTER TABLE audit_events ADD COLUMN news_attempts INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE audit_events ADD COLUMN news_error TEXT;
      UPDATE audit_events SET news_done_at = written_at
       WHERE news IS NOT NULL AND written_at IS NOT NULL;
      CREATE INDEX audit_events_news_due ON audit_events (id)
       WHERE news IS NOT NULL AND news_done_at IS NULL;
    `,
  },
  {
    version: 9,
    name: 'audit leases: find the leases of a process that is gone without reading the journal',
    // Both outbox stages (writing, telling) first free the leases of processes that are gone,
    // looking rows up by lease owner: without this index each pass scanned every audit row kept
    // (400 days by default), twice. Leases are cleared when a row is written or settled, so the
    // index holds only the rows in flight.
    sql: `
      CREATE INDEX audit_events_locked ON audit_events (locked_by) WHERE locked_by IS NOT NULL;
    `,
  },
  {
    version: 10,
    name: 'audit news told: an identical sync error is told once, also across restarts',
    // When the owner was really told (not settled with nothing to tell, nor dropped): a sync error
    // identical to one told in the same run of errors (no sync in between) is not news
    // (audit-conditions.ts SAME_ERROR_TOLD). Before this the notifier remembered that in memory,
    // so a restart told it again and a recurrence after a success was never told. Rows settled
    // before this cannot say whether they were told: the next identical error is told once.
    // The index serves those per-opportunity lookups by id (Postgres otherwise walked the
    // primary key backwards over the whole journal; SQLite's opportunity index has the rowid).
    sql: `
      ALTER TABLE audit_events ADD COLUMN news_told_at TEXT;
      CREATE INDEX audit_events_opportunity_id ON audit_events (opportunity_id, id);
    `,
  },
];

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial state: cursors, watermarks, jobs, links, counters, audit',
    sql: `
      CREATE TABLE replay_cursors (
        channel TEXT PRIMARY KEY,
        replay_id INTEGER NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE watermarks (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      -- One table for both queues so ids are unique across them (failures retry by id).
      -- outbound: job_key = subject_id = opportunity id, one row per opportunity (coalescing);
      --           the row is deleted when done. generation counts requests; claimed_generation
      --           remembers which request a claim is working on.
      -- inbound:  job_key = webhook dedupe key, subject_id = referral id; done rows stay as the
      --           dedupe memory until pruned.
      CREATE TABLE jobs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
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
      ) STRICT;
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
      ) STRICT;

      CREATE TABLE api_calls (
        day TEXT NOT NULL,
        api TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (day, api)
      ) STRICT;

      CREATE TABLE idempotency_keys (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE audit_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
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
      ) STRICT;
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
      ) STRICT;
    `,
  },
  {
    version: 4,
    name: 'leases: one holder per named piece of work (the CDC subscription), with a fencing token',
    sql: `
      CREATE TABLE leases (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        token INTEGER NOT NULL,
        acquired_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      ) STRICT;
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
