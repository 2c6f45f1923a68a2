import { DatabaseSync } from 'node:sqlite';
import { chmodSync, existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError, TransientError } from '../../src/errors';
import { MIGRATIONS, openStore, PostgresStore, SqliteStore } from '../../src/store';
import { tempDir } from './helpers';

const dir = tempDir();

describe('openStore', () => {
  it('opens sqlite::memory: and a file path, creating parent folders', async () => {
    const memory = openStore('sqlite::memory:');
    expect(await memory.getReplayId('/data/OpportunityChangeEvent')).toBeUndefined();
    await memory.close();

    const file = dir.path('nested/deeper/state.sqlite');
    const store = openStore(`sqlite:${file}`);
    await store.setWatermark('w', '1');
    await store.close();
    expect(existsSync(file)).toBe(true);
  });

  describe('file permissions (the store holds referral data)', () => {
    // The usual umask, which left the store, its WAL and its folder readable by every local user.
    let umask: number;
    beforeAll(() => {
      umask = process.umask(0o022);
    });
    afterAll(() => {
      process.umask(umask);
    });
    const modeOf = (path: string) => statSync(path).mode & 0o777;

    it('a new store, its -wal and -shm are 0600 and the folders it creates 0700', async () => {
      const file = dir.path('private/state/cosell.sqlite');
      const store = openStore(`sqlite:${file}`);
      await store.setWatermark('w', '1');
      expect([file, `${file}-wal`, `${file}-shm`].map(modeOf)).toEqual([0o600, 0o600, 0o600]);
      expect([dirname(file), dirname(dirname(file))].map(modeOf)).toEqual([0o700, 0o700]);
      await store.close();
    });

    it('an existing world-readable store is made private when it is opened', async () => {
      const file = dir.path('older.sqlite');
      const db = new DatabaseSync(file);
      db.exec('PRAGMA journal_mode = WAL');
      db.exec('CREATE TABLE t (x INTEGER)');
      for (const path of [file, `${file}-wal`, `${file}-shm`]) chmodSync(path, 0o644);
      const store = openStore(`sqlite:${file}`);
      await store.setWatermark('w', '1');
      expect([file, `${file}-wal`, `${file}-shm`].map(modeOf)).toEqual([0o600, 0o600, 0o600]);
      await store.close();
      db.close();
    });
  });

  it('uses WAL on files so readers never block the writer', async () => {
    const file = dir.path('wal.sqlite');
    await openStore(`sqlite:${file}`).close();
    const db = new DatabaseSync(file);
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    db.close();
  });

  it('commits with synchronous=FULL unless told durability is normal', () => {
    const full = new SqliteStore(dir.path('full.sqlite'));
    const normal = new SqliteStore(dir.path('normal.sqlite'), { durability: 'normal' });
    const pragma = (store: SqliteStore) =>
      (store as unknown as { db: DatabaseSync }).db.prepare('PRAGMA synchronous').get();
    expect(pragma(full)).toEqual({ synchronous: 2 });
    expect(pragma(normal)).toEqual({ synchronous: 1 });
    void full.close();
    void normal.close();
  });

  it('reports a write lock held past the busy timeout as a TransientError', async () => {
    const file = dir.path('busy.sqlite');
    const store = new SqliteStore(file, { busyTimeoutMs: 20 });
    const other = new DatabaseSync(file);
    other.exec('BEGIN IMMEDIATE');
    try {
      const error = await store.setWatermark('w', '1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TransientError);
      expect((error as TransientError).retryAfterMs).toBe(1_000);
      expect(await store.getWatermark('w')).toBeUndefined();
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    await store.setWatermark('w', '1');
    expect(await store.getWatermark('w')).toBe('1');
    await store.close();
  });

  it('opens postgres:// as a Postgres store that connects lazily and says when it cannot', async () => {
    // Port 1 on loopback: nothing listens, so the connection is refused at once.
    const store = openStore('postgres://bridge:secret-pw@127.0.0.1:1/cosell');
    expect(store).toBeInstanceOf(PostgresStore);
    const failure = await store.ready().then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure?.message).toBe('Failed to open the Postgres state store at BRIDGE_DATABASE_URL');
    expect(failure?.cause).toBeInstanceOf(TransientError);
    expect(String((failure?.cause as Error).message)).not.toContain('secret-pw');
    await store.close();
  });

  it('refuses other schemes', () => {
    expect(() => openStore('mysql://x')).toThrow(ConfigError);
    expect(() => openStore('sqlite:')).toThrow(ConfigError);
  });

  it('applies each migration exactly once, even across instances', async () => {
    const file = dir.path('migrations.sqlite');
    const first = new SqliteStore(file);
    const second = new SqliteStore(file);
    expect(first.appliedMigrations).toEqual(MIGRATIONS.map((m) => m.version));
    expect(second.appliedMigrations).toEqual([]);
    await first.close();
    await second.close();
    const db = new DatabaseSync(file);
    const rows = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all();
    db.close();
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('appends a new migration without re-running old ones', async () => {
    const file = dir.path('append.sqlite');
    await new SqliteStore(file).close();
    const next = { version: 999, name: 'test column', sql: 'ALTER TABLE watermarks ADD note TEXT' };
    const upgraded = new SqliteStore(file, { migrations: [...MIGRATIONS, next] });
    expect(upgraded.appliedMigrations).toEqual([999]);
    await upgraded.close();
  });

  it('refuses a database written by a newer bridge', async () => {
    const file = dir.path('newer.sqlite');
    const next = { version: 998, name: 'future', sql: 'CREATE TABLE future_table (x TEXT)' };
    await new SqliteStore(file, { migrations: [...MIGRATIONS, next] }).close();
    // One line naming the variable, keeping the reason's own remedy (upgrade the bridge).
    expect(() => openStore(`sqlite:${file}`)).toThrow(
      /^BRIDGE_DATABASE_URL=sqlite:.*cannot be opened \(the state database has schema version 998, newer than this bridge knows \(\d+\); upgrade the bridge\)$/,
    );
    try {
      openStore(`sqlite:${file}`);
    } catch (error) {
      expect(((error as Error).cause as Error).message).toMatch(/schema version 998/);
    }
  });
});
