export { openStore } from './open-store';
export type { OpenStoreOptions } from './open-store';
export { SqliteStore, DEFAULT_LEASE_MS, DEFAULT_INBOX_RETENTION_DAYS } from './sqlite/sqlite-store';
export type { SqliteStoreOptions } from './sqlite/sqlite-store';
export { MIGRATIONS } from './migrations';
export { isGoneLocalProcess, THIS_PROCESS } from './sqlite/claim-owner';
export type { Migration } from './migrations';
export type * from './types';
