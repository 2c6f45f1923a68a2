import { DatabaseSync } from 'node:sqlite';
import { SqliteStore } from '../../src/store';
import { inLazyTransaction, openDatabase } from '../../src/store/sqlite/database';
import { tempDir } from './helpers';

const dir = tempDir();
const synchronous = (db: DatabaseSync) =>
  (db.prepare('PRAGMA synchronous').get() as { synchronous: number }).synchronous;
const NORMAL = 1;
const FULL = 2;

describe('lazy commits (syncLater)', () => {
  it('commit with synchronous=NORMAL and put the connection back to FULL, also after a failure', () => {
    const db = openDatabase(dir.path('lazy.db'));
    db.exec('CREATE TABLE t (v INTEGER)');
    expect(synchronous(db)).toBe(FULL);

    inLazyTransaction(db, () => {
      expect(synchronous(db)).toBe(NORMAL);
      db.prepare('INSERT INTO t VALUES (1)').run();
    });
    expect(synchronous(db)).toBe(FULL);
    // Committed: another connection (another process, after a crash) sees it.
    const other = new DatabaseSync(dir.path('lazy.db'));
    expect(other.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 1 });

    expect(() =>
      inLazyTransaction(db, () => {
        db.prepare('INSERT INTO t VALUES (2)').run();
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(synchronous(db)).toBe(FULL);
    expect(other.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 1 });
    other.close();
    db.close();
  });

  it('a link saved with syncLater is committed for every other store on the file', async () => {
    const file = dir.path('store.db');
    const writer = new SqliteStore(file);
    await writer.saveLink(
      { opportunityId: '006000000000001AAA', referralId: 'ref-1', eTag: '"1"' },
      { syncLater: true },
    );
    const reader = new SqliteStore(file);
    expect(await reader.getLink('006000000000001AAA')).toMatchObject({
      referralId: 'ref-1',
      eTag: '"1"',
    });
    await Promise.all([writer.close(), reader.close()]);
  });
});
