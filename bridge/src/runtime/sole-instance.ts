/**
 * One bridge per SQLite store (docs/RELIABILITY.md "Single instance"): two processes on one file
 * would both claim, send and write back, and one file is one writer anyway. `cosell run` claims the
 * store before it listens; a store that allows replicas (Postgres) has no claimSoleInstance.
 */
import { ConfigError } from '../errors';
import { THIS_PROCESS, type StateStore } from '../store';
import { HEARTBEAT_STALE_MS } from './maintenance';

export async function claimSoleInstance(
  store: Pick<StateStore, 'claimSoleInstance'>,
  databaseUrl: string,
  now: () => Date = () => new Date(),
): Promise<void> {
  if (!store.claimSoleInstance) return;
  const at = now().toISOString();
  const other = await store.claimSoleInstance(
    {
      owner: THIS_PROCESS.owner,
      host: THIS_PROCESS.host,
      pid: THIS_PROCESS.pid,
      startedAt: at,
      beatAt: at,
    },
    HEARTBEAT_STALE_MS,
  );
  if (!other) return;
  const ago = Math.max(0, Math.round((Date.parse(at) - Date.parse(other.beatAt)) / 1000));
  throw new ConfigError(
    `another bridge already runs on ${databaseUrl} (pid ${other.pid} on ${other.host}, started ${other.startedAt}, last beat ${ago} s ago): one bridge per SQLite store, so stop that one first or give this one its own BRIDGE_DATABASE_URL`,
    'BRIDGE_DATABASE_URL',
  );
}
