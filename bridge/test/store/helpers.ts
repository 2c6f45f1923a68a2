import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PostgresStore,
  SqliteStore,
  type SqliteStoreOptions,
  type StateStore,
} from '../../src/store';
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
 * The store contract suite runs once per backend: `describe.each(storeBackends())('$name store',
 * ({ open }) => …)`. Registers this file's beforeAll/afterAll: a temp dir for SQLite files and a
 * real Postgres server (test/support/postgres-server), closing every store the tests left open.
 */
export function storeBackends(): StoreBackend[] {
  const dir = tempDir();
  let server: PostgresServer | undefined;
  const opened: StateStore[] = [];
  let schemas = 0;
  const sharedSchemas = new Map<string, string>();
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await Promise.all(opened.map((store) => store.close().catch(() => undefined)));
    await server?.stop();
  }, 30_000);
  const track = (store: StateStore) => {
    opened.push(store);
    return store;
  };
  return [
    {
      name: 'sqlite',
      open: (options = {}, shared) =>
        track(new SqliteStore(shared ? dir.path(`${shared}.sqlite`) : ':memory:', options)),
    },
    {
      name: 'postgres',
      open(options = {}, shared) {
        if (!server) throw new Error('the Postgres server is not started (beforeAll)');
        let schema = shared ? sharedSchemas.get(shared) : undefined;
        if (!schema) {
          schema = `contract_${(schemas += 1)}`;
          if (shared) sharedSchemas.set(shared, schema);
        }
        return track(new PostgresStore(server.url, { ...options, schema, maxConnections: 4 }));
      },
    },
  ];
}
