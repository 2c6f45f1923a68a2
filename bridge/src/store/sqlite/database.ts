import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { Migration } from '../migrations';

export type Row = Record<string, unknown>;

export interface OpenDatabaseOptions {
  /** How long a writer waits for another connection's write lock before failing. */
  busyTimeoutMs?: number;
  durability?: 'full' | 'normal';
}

/**
 * Opens the SQLite file (or `:memory:`) with the settings durability needs: WAL so readers never
 * block the writer, `synchronous=FULL` so a committed transaction survives power loss (we
 * acknowledge webhooks and advance replay ids only after commit), and a busy timeout so two
 * store instances on one file queue for the write lock instead of failing.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): DatabaseSync {
  if (path !== ':memory:') {
    makeParents(dirname(path));
    keepPrivate(path);
  }
  const db = reusingStatements(new DatabaseSync(path));
  try {
    db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5_000))}`);
    if (path !== ':memory:') db.exec('PRAGMA journal_mode = WAL');
    db.exec(`PRAGMA synchronous = ${options.durability === 'normal' ? 'NORMAL' : 'FULL'}`);
    db.exec('PRAGMA foreign_keys = ON');
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * Makes `db.prepare(sql)` return one compiled statement per SQL text, reused for every run. The
 * store's statements are fixed texts (a few dozen); preparing them anew on every call compiled
 * each one again and left the native statements to be finalised only when V8 happened to collect
 * their small JS wrappers, so the bulk profile paid the compile and the process's native heap
 * grew with every call. node:sqlite resets a statement at each run, so reuse is safe here:
 * nothing in the store iterates one statement while running it again.
 */
function reusingStatements(db: DatabaseSync): DatabaseSync {
  const compiled = new Map<string, StatementSync>();
  const prepare = db.prepare.bind(db);
  db.prepare = (sql: string) => {
    let statement = compiled.get(sql);
    if (!statement) {
      statement = prepare(sql);
      compiled.set(sql, statement);
    }
    return statement;
  };
  return db;
}

/**
 * Runs `work` in one write transaction: the migrations (the store's own writes go through
 * group-commit.ts, one transaction per event-loop turn). BEGIN IMMEDIATE takes the write lock up
 * front, so two processes opening one file migrate one after the other.
 */
export function inTransaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    // (Not `db.isTransaction`: that getter needs Node 22.16+, older Node 22 releases lack it.)
    try {
      db.exec('ROLLBACK');
    } catch {
      // SQLite already rolled back (e.g. a failed COMMIT): nothing left to undo.
    }
    throw error;
  }
}

/** Applies every migration not yet recorded, each in its own transaction; returns those applied. */
export function migrate(db: DatabaseSync, migrations: readonly Migration[], now: Date): number[] {
  db.exec(
    `CREATE TABLE IF NOT EXISTS schema_migrations (
       version INTEGER PRIMARY KEY,
       name TEXT NOT NULL,
       applied_at TEXT NOT NULL
     ) STRICT`,
  );
  const known = Math.max(0, ...migrations.map((m) => m.version));
  const applied: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    inTransaction(db, () => {
      // Re-checked inside the write lock: another instance may have just applied it.
      const done = db
        .prepare('SELECT 1 FROM schema_migrations WHERE version = ?')
        .get(migration.version);
      if (done) return;
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        now.toISOString(),
      );
      applied.push(migration.version);
    });
  }
  const newest = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as
    { version: number | null } | undefined;
  if ((newest?.version ?? 0) > known) {
    throw new Error(
      `the state database has schema version ${newest?.version}, newer than this bridge knows (${known}); upgrade the bridge`,
    );
  }
  return applied;
}

/**
 * The store holds referral data (customers, contacts, deal values) and the audit journal: only the
 * bridge's user may read it. SQLite would create the file with the process umask (0644 under the
 * usual 022: every local user could read it) and gives its -wal and -shm the database file's mode,
 * so the file is created 0600 before SQLite opens it. A store made before that loses its group and
 * world bits here. A file this user does not own keeps its mode (chmod is refused; SQLite still
 * says whether it can open it).
 */
function keepPrivate(path: string): void {
  if (!existsSync(path)) {
    try {
      closeSync(openSync(path, 'wx', 0o600));
    } catch {
      // A path SQLite cannot create either: its own error names the problem.
    }
  }
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      const stats = statSync(file);
      if (stats.isFile() && stats.mode & 0o077) chmodSync(file, stats.mode & 0o700);
    } catch {
      // Missing (no -wal yet) or not ours to change.
    }
  }
}

/**
 * `mkdir -p`, one level at a time: Node's recursive mkdirSync never returns for a path under a
 * directory that refuses new entries with ENOENT (such as /proc), so `sqlite:/proc/x/y.sqlite`
 * hung start-up instead of failing with the reason.
 */
function makeParents(dir: string): void {
  if (existsSync(dir)) return;
  const parent = dirname(dir);
  if (parent !== dir) makeParents(parent);
  // Private like the store it holds (see keepPrivate).
  mkdirSync(dir, { mode: 0o700 });
}
