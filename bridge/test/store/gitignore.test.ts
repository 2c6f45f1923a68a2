import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');

describe('.gitignore keeps the SQLite store out of commits', () => {
  it.each([
    'bridge.sqlite',
    'bridge.sqlite-journal',
    'bridge.sqlite-wal',
    'bridge.sqlite-shm',
    'data/state.db-wal',
    'data/state.db-shm',
  ])('%s is ignored (the store runs in WAL mode: its -wal/-shm files sit beside it)', (file) => {
    // `git check-ignore` exits 0 when the path is ignored and 1 when it is not.
    expect(() =>
      execFileSync('git', ['check-ignore', '--no-index', '-q', file], { cwd: ROOT }),
    ).not.toThrow();
  });
});
