import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../errors';
import type { PostgresStoreOptions } from './postgres/postgres-store';
import { SqliteStore, type SqliteStoreOptions } from './sqlite/sqlite-store';
import type { StateStore } from './types';

export type OpenStoreOptions = SqliteStoreOptions &
  PostgresStoreOptions & {
    /**
     * Read-only commands (status, explain, doctor, failures): a SQLite file that does not exist is
     * an error, not a new empty store that reports "0 failures" from the wrong folder.
     */
    mustExist?: boolean;
  };

/** Does BRIDGE_DATABASE_URL name a Postgres database (several replicas may share it)? */
export const isPostgresUrl = (databaseUrl: string) =>
  /^postgres(ql)?:\/\//i.test(databaseUrl.trim());

/**
 * Where a `sqlite:` BRIDGE_DATABASE_URL points: the file as given (`:memory:` for none), and its
 * absolute path for messages. Accepts the common `sqlite:///abs/path` and `sqlite://rel` spellings.
 */
export function sqliteLocation(databaseUrl: string): { path: string; file: string; shown: string } {
  const path = /^sqlite:(.+)$/i.exec(databaseUrl.trim())?.[1];
  if (!path) {
    throw new ConfigError(
      'BRIDGE_DATABASE_URL is invalid: expected sqlite:<path>, sqlite::memory: or postgres://user:password@host:port/database',
      'BRIDGE_DATABASE_URL',
    );
  }
  const file =
    path === ':memory:' ? ':memory:' : path.replace(/^\/\/(?=\/)/, '').replace(/^\/\//, '');
  return { path, file, shown: file === ':memory:' ? file : resolve(file) };
}

/**
 * A SQLite store file that BRIDGE_DATABASE_URL names but that does not exist yet (absolute path),
 * or undefined (it exists, it is in memory, or the URL names Postgres).
 */
export function missingSqliteStore(databaseUrl: string): string | undefined {
  if (isPostgresUrl(databaseUrl)) return undefined;
  const { file, shown } = sqliteLocation(databaseUrl);
  return file !== ':memory:' && !existsSync(file) ? shown : undefined;
}

/**
 * Why the first `cosell run` could not create the missing SQLite store at `file` (absolute), or
 * undefined. It creates the folders below the nearest one that exists, so that one must be a
 * folder this user may write in: doctor, run as the service user, says so before the service
 * fails to start on it (a state folder still owned by root, a path through a file).
 */
export function sqliteStoreCreationProblem(file: string): string | undefined {
  let folder = dirname(file);
  while (!existsSync(folder) && dirname(folder) !== folder) folder = dirname(folder);
  if (!statSync(folder).isDirectory()) return `${folder} is a file, not a folder`;
  try {
    accessSync(folder, constants.W_OK | constants.X_OK);
  } catch (error) {
    return `this user may not create files in ${folder} (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
  }
  return undefined;
}

/**
 * Opens the store named by BRIDGE_DATABASE_URL: `sqlite:<path>` (relative to the working
 * directory; parent folders are created), `sqlite::memory:`, or `postgres://…` /
 * `postgresql://…` (node-postgres connection string; connects lazily, see `ready()`).
 */
export function openStore(databaseUrl: string, options: OpenStoreOptions = {}): StateStore {
  if (isPostgresUrl(databaseUrl)) {
    // Loaded only for a Postgres URL: a SQLite bridge (and every `cosell status` on one) does not
    // pay for node-postgres at start.
    type PostgresModule = typeof import('./postgres/postgres-store');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PostgresStore } = require('./postgres/postgres-store') as PostgresModule;
    return new PostgresStore(databaseUrl.trim(), {
      now: options.now,
      coalesceWindowMs: options.coalesceWindowMs,
      leaseMs: options.leaseMs,
      maxConnections: options.maxConnections,
      schema: options.schema,
    });
  }
  const { path, file, shown } = sqliteLocation(databaseUrl);
  if (options.mustExist && file !== ':memory:' && !existsSync(file)) {
    throw new ConfigError(
      `BRIDGE_DATABASE_URL points at ${shown}, which does not exist: run this command where the bridge runs (a relative path such as the default sqlite:./data/cosell.sqlite is relative to the working directory) or set BRIDGE_DATABASE_URL to the bridge's store`,
      'BRIDGE_DATABASE_URL',
    );
  }
  try {
    return new SqliteStore(file, options);
  } catch (error) {
    // Unreadable, not a database, a folder that cannot be created: the operator's fix is the URL.
    const reason = (error as { message?: unknown }).message;
    const text = typeof reason === 'string' ? reason : String(error);
    // A reason that carries its own remedy (a newer schema: upgrade the bridge) keeps it.
    const fix = /; upgrade the bridge$/.test(text)
      ? ''
      : ": point BRIDGE_DATABASE_URL at the bridge's SQLite file, or at a new path to start an empty store";
    throw new ConfigError(
      `BRIDGE_DATABASE_URL=sqlite:${path}: the store at ${shown} cannot be opened (${text})${fix}`,
      'BRIDGE_DATABASE_URL',
      { cause: error },
    );
  }
}
