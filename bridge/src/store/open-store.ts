import { ConfigError } from '../errors';
import { SqliteStore, type SqliteStoreOptions } from './sqlite/sqlite-store';
import type { StateStore } from './types';

export type OpenStoreOptions = SqliteStoreOptions;

/**
 * Opens the store named by BRIDGE_DATABASE_URL: `sqlite:<path>` (relative to the working
 * directory; parent folders are created) or `sqlite::memory:`. `postgres://…` is reserved for a
 * future multi-instance store and refused with a clear message today.
 */
export function openStore(databaseUrl: string, options: OpenStoreOptions = {}): StateStore {
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) {
    throw new ConfigError(
      'BRIDGE_DATABASE_URL uses postgres://, which is not supported yet: expected sqlite:<path> (one bridge instance per database file)',
      'BRIDGE_DATABASE_URL',
    );
  }
  const match = /^sqlite:(.+)$/i.exec(databaseUrl.trim());
  const path = match?.[1];
  if (!path) {
    throw new ConfigError(
      'BRIDGE_DATABASE_URL is invalid: expected sqlite:<path> or sqlite::memory:',
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
