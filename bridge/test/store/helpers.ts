import { mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  MIGRATIONS,
  PostgresStore,
  SqliteStore,
  type SqliteStoreOptions,
  type StateStore,
} from '../../src/store';
import { createPool } from '../../src/store/postgres/database';
import { POSTGRES_MIGRATIONS } from '../../src/store/postgres/migrations';
import { startPostgres, type PostgresServer } from '../../../test/support/postgres-server';

/** A fixed, hand-advanced clock: tests say exactly when things happen. */
export function manualClock(start = '2026-03-02T09:00:00.000Z') {
  let current = new Date(start);
  return {
    now: () => new Date(current.getTime()),
    advance(ms: number) {
      current = new Date(current.getTime() + ms);
      return new Date(current.getTime());
    },
  };
}

/** A temp folder per test file, removed afterwards. */
export function tempDir(prefix = 'cosell-store-') {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return { path: (name: string) => join(dir, name) };
}

export function memoryStore(options: SqliteStoreOptions = {}) {
  return new SqliteStore(':memory:', options);
}

/** The options every store takes (the contract suite's tests use only these). */
export type ContractStoreOptions = Pick<SqliteStoreOptions, 'now' | 'coalesceWindowMs' | 'leaseMs'>;

export interface StoreBackend {
  name: 'sqlite' | 'postgres';
  /**
   * A fresh, empty store. With `shared`, every call naming the same key opens the SAME database
   * (one SQLite file, one Postgres schema): two processes, or a restart after a crash.
   */
  open(options?: ContractStoreOptions, shared?: string): StateStore;
}

/**
 * This test file's real Postgres server (test/support/postgres-server), started in beforeAll and
 * stopped in afterAll after closing every store `track` was given.
 */
function storesOfThisFile() {
  let server: PostgresServer | undefined;
  const opened: StateStore[] = [];
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await Promise.all(opened.map((store) => store.close().catch(() => undefined)));
    await server?.stop();
  }, 30_000);
  return {
    postgresUrl(): string {
      if (!server) throw new Error('the Postgres server is not started (beforeAll)');
      return server.url;
    },
    track<S extends StateStore>(store: S): S {
      opened.push(store);
      return store;
    },
  };
}

/**
 * The store contract suite runs once per backend: `describe.each(storeBackends())('$name store',
 * ({ open }) => …)`. Registers this file's beforeAll/afterAll: a temp dir for SQLite files and a
 * real Postgres server (test/support/postgres-server), closing every store the tests left open.
 */
export function storeBackends(): StoreBackend[] {
  const dir = tempDir();
  const { postgresUrl, track } = storesOfThisFile();
  let schemas = 0;
  const sharedSchemas = new Map<string, string>();
  return [
    {
      name: 'sqlite',
      open: (options = {}, shared) =>
        track(new SqliteStore(shared ? dir.path(`${shared}.sqlite`) : ':memory:', options)),
    },
    {
      name: 'postgres',
      open(options = {}, shared) {
        let schema = shared ? sharedSchemas.get(shared) : undefined;
        if (!schema) {
          schema = `contract_${(schemas += 1)}`;
          if (shared) sharedSchemas.set(shared, schema);
        }
        return track(new PostgresStore(postgresUrl(), { ...options, schema, maxConnections: 4 }));
      },
    },
  ];
}

export interface MigrationBackend {
  name: 'sqlite' | 'postgres';
  /**
   * Creates the schema as it was before migration `version`, writes the seed rows with plain SQL
   * (`?` placeholders), then opens the database as the bridge does, with every migration.
   */
  upgrade(): Promise<{ store: StateStore; applied: readonly number[] }>;
}

/**
 * For a migration test: a database written before migration `version`, on SQLite and on a real
 * Postgres. Registers this file's beforeAll/afterAll (Postgres server, closing the stores).
 */
export function migrationBackends(
  version: number,
  seed: { sql: string; rows: readonly (readonly unknown[])[] },
): MigrationBackend[] {
  const dir = tempDir('cosell-migration-');
  const { postgresUrl, track } = storesOfThisFile();
  const before = <M extends { version: number }>(all: readonly M[]) =>
    all.filter((m) => m.version < version);
  return [
    {
      name: 'sqlite',
      async upgrade() {
        const file = dir.path(`before-${version}.sqlite`);
        await new SqliteStore(file, { migrations: before(MIGRATIONS) }).close();
        const db = new DatabaseSync(file);
        for (const row of seed.rows) db.prepare(seed.sql).run(...(row as SQLInputValue[]));
        db.close();
        const store = track(new SqliteStore(file));
        return { store, applied: store.appliedMigrations };
      },
    },
    {
      name: 'postgres',
      async upgrade() {
        const schema = `before_${version}`;
        const old = new PostgresStore(postgresUrl(), {
          schema,
          migrations: before(POSTGRES_MIGRATIONS),
        });
        await old.ready();
        await old.close();
        const pool = createPool(postgresUrl(), { schema });
        let n = 0;
        const insert = seed.sql.replace(/\?/g, () => `$${(n += 1)}`);
        for (const row of seed.rows) await pool.query(insert, [...row]);
        await pool.end();
        const store = track(new PostgresStore(postgresUrl(), { schema }));
        return { store, applied: await store.appliedMigrations() };
      },
    },
  ];
}
