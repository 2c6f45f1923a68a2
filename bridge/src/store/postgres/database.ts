import pg from 'pg';
import { TransientError } from '../../errors';
import type { Migration } from '../migrations';

/** A connection that can run queries: the pool (one statement) or a client inside a transaction. */
export type Sql = Pick<pg.PoolClient, 'query'>;

/** bigint (int8: ids, counts, tokens) as a JS number: ids stay far below 2^53. */
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

export interface PoolOptions {
  /** Connections per bridge process; each replica holds up to this many (see docs/DEPLOY.md). */
  max?: number;
  /** A schema of its own (created if missing): several bridges or test runs on one database. */
  schema?: string;
  onError?: (error: Error) => void;
}

export function createPool(url: string, options: PoolOptions = {}): pg.Pool {
  if (options.schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(options.schema)) {
    throw new Error(`invalid Postgres schema name ${JSON.stringify(options.schema)}`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    types,
    application_name: 'cosell-bridge',
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle connection dropped by the server emits here; unhandled, it would end the process.
  // The next query takes a fresh connection.
  pool.on('error', (error) => options.onError?.(error));
  return pool;
}

/** Runs `work` in one transaction on one connection; rolls back on any error. */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (sql: Sql) => Promise<T>,
  options: { syncLater?: boolean } = {},
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    // A lazy commit returns before the WAL is flushed: it survives a bridge crash, and a server
    // crash can only lose a suffix of such commits (the same contract as SQLite's lazy commits).
    if (options.syncLater) await client.query('SET LOCAL synchronous_commit = off');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError as Error; // the connection is gone: do not hand it out again
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * SQLSTATE classes worth retrying (https://www.postgresql.org/docs/current/errcodes-appendix.html):
 * 08 connection exceptions, 40 rollbacks (serialization failure, deadlock), 53 insufficient
 * resources (too many connections), 55P03 lock not available, 57P0x server shutting down or
 * starting. Node socket errors and pg's "Connection terminated" have no SQLSTATE.
 */
const TRANSIENT_SQLSTATE = /^(08|40|53|57P0)|^55P03$/;
const TRANSIENT_NODE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

export function classifyPgError(error: unknown): Error {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const transient =
    (typeof code === 'string' && (TRANSIENT_SQLSTATE.test(code) || TRANSIENT_NODE.has(code))) ||
    /Connection terminated|timeout exceeded when trying to connect/i.test(message);
  if (transient) {
    return new TransientError(
      `the state store (Postgres) is unavailable or busy: ${message}`,
      'bridge',
      1_000,
      { cause: error },
    );
  }
  return error instanceof Error ? error : new Error(message);
}

/** pg_advisory_lock key of the migration runner (any constant unique to this application). */
const MIGRATION_LOCK = 0x0c05e11;

/**
 * Applies every migration not yet recorded, each in its own transaction, while holding a
 * session advisory lock: replicas starting together migrate one at a time, and the second finds
 * the work done. Returns the versions this call applied.
 */
export async function migrate(
  pool: pg.Pool,
  migrations: readonly Migration[],
  now: Date,
  schema?: string,
): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           version INTEGER PRIMARY KEY,
           name TEXT NOT NULL,
           applied_at TEXT NOT NULL
         )`,
      );
      const applied: number[] = [];
      for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
        const done = await client.query('SELECT 1 FROM schema_migrations WHERE version = $1', [
          migration.version,
        ]);
        if (done.rowCount) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query(
            'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
            [migration.version, migration.name, now.toISOString()],
          );
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
        applied.push(migration.version);
      }
      const known = Math.max(0, ...migrations.map((m) => m.version));
      const newest = await client.query<{ version: number | null }>(
        'SELECT MAX(version) AS version FROM schema_migrations',
      );
      const version = newest.rows[0]?.version ?? 0;
      if (version > known) {
        throw new Error(
          `the state database has schema version ${version}, newer than this bridge knows (${known}); upgrade the bridge`,
        );
      }
      return applied;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}
