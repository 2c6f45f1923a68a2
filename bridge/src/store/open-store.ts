import { ConfigError } from '../errors';
import { PostgresStore, type PostgresStoreOptions } from './postgres/postgres-store';
import { SqliteStore, type SqliteStoreOptions } from './sqlite/sqlite-store';
import type { StateStore } from './types';

export type OpenStoreOptions = SqliteStoreOptions & PostgresStoreOptions;

/** Does BRIDGE_DATABASE_URL name a Postgres database (several replicas may share it)? */
export const isPostgresUrl = (databaseUrl: string) =>
  /^postgres(ql)?:\/\//i.test(databaseUrl.trim());

/**
 * Opens the store named by BRIDGE_DATABASE_URL: `sqlite:<path>` (relative to the working
 * directory; parent folders are created), `sqlite::memory:`, or `postgres://…` /
 * `postgresql://…` (node-postgres connection string; connects lazily, see `ready()`).
 */
export function openStore(databaseUrl: string, options: OpenStoreOptions = {}): StateStore {
  if (isPostgresUrl(databaseUrl)) {
    return new PostgresStore(databaseUrl.trim(), {
      now: options.now,
      coalesceWindowMs: options.coalesceWindowMs,
      leaseMs: options.leaseMs,
      maxConnections: options.maxConnections,
      schema: options.schema,
    });
  }
  const match = /^sqlite:(.+)$/i.exec(databaseUrl.trim());
  const path = match?.[1];
  if (!path) {
    throw new ConfigError(
      'BRIDGE_DATABASE_URL is invalid: expected sqlite:<path>, sqlite::memory: or postgres://user:password@host:port/database',
      'BRIDGE_DATABASE_URL',
    );
  }
  // Accept the common `sqlite:///abs/path` and `sqlite://rel` spellings as well.
  const file =
    path === ':memory:' ? ':memory:' : path.replace(/^\/\/(?=\/)/, '').replace(/^\/\//, '');
  try {
    return new SqliteStore(file, options);
  } catch (error) {
    throw new Error(`Failed to open the state store at ${file}`, { cause: error });
  }
}
