import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore, type SqliteStoreOptions } from '../../src/store';

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
