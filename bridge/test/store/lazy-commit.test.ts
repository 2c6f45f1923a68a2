import { DatabaseSync } from 'node:sqlite';
import { SqliteStore } from '../../src/store';
import { openDatabase } from '../../src/store/sqlite/database';
import { createWriteGroup } from '../../src/store/sqlite/group-commit';
import { tempDir } from './helpers';

const dir = tempDir();
const synchronous = (db: DatabaseSync) =>
  (db.prepare('PRAGMA synchronous').get() as { synchronous: number }).synchronous;
const NORMAL = 1;
const FULL = 2;

function database(name: string, durability: 'full' | 'normal' = 'full') {
  const db = openDatabase(dir.path(name), { durability });
  db.exec('CREATE TABLE t (v INTEGER)');
  const group = createWriteGroup(db, { durability, classify: (e) => e as Error });
  /** A write that records the synchronous mode its transaction commits with. */
  const write = (seen: number[], syncLater?: boolean) =>
    group.add(
      () => {
        seen.push(synchronous(db));
        db.prepare('INSERT INTO t VALUES (1)').run();
      },
      { syncLater },
    );
  return { db, group, write };
}

describe('lazy commits (syncLater) in a shared transaction', () => {
  it('a turn of only syncLater writes commits with synchronous=NORMAL, then the connection is FULL again', async () => {
    const { db, write } = database('lazy.db');
    expect(synchronous(db)).toBe(FULL);
    const seen: number[] = [];
    await Promise.all([write(seen, true), write(seen, true)]);
    expect(seen).toEqual([NORMAL, NORMAL]);
    expect(synchronous(db)).toBe(FULL);
    // Committed: another connection (another process, after a crash) sees it.
    const other = new DatabaseSync(dir.path('lazy.db'));
    expect(other.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 2 });
    other.close();
    db.close();
  });

  it('a write that needs durability joins a FULL transaction; one arriving in a lazy transaction commits it and opens a FULL one', async () => {
    const { db, group, write } = database('mixed.db');
    const seen: number[] = [];
    await Promise.all([write(seen), write(seen, true)]);
    expect(seen).toEqual([FULL, FULL]);
    expect(group.commits).toBe(1);

    // SQLite fixes the mode when a transaction begins; the FULL commit's fsync syncs the WAL as a
    // whole, the earlier lazy commit of the turn included, before any of the three settles.
    seen.length = 0;
    await Promise.all([write(seen, true), write(seen), write(seen, true)]);
    expect(seen).toEqual([NORMAL, FULL, FULL]);
    expect(group.commits).toBe(3);
    expect(synchronous(db)).toBe(FULL);
    db.close();
  });

  it('the connection is FULL again after a lazy turn that failed', async () => {
    const { db, group } = database('failed.db');
    await expect(
      group.add(
        () => {
          db.prepare('INSERT INTO t VALUES (2)').run();
          throw new Error('boom');
        },
        { syncLater: true },
      ),
    ).rejects.toThrow('boom');
    await new Promise((turnEnded) => setImmediate(turnEnded));
    expect(group.commits).toBe(0); // rolled back: its only write failed
    expect(synchronous(db)).toBe(FULL);
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 0 });
    db.close();
  });

  it('a connection opened with durability normal stays NORMAL for every write', async () => {
    const { db, write } = database('normal.db', 'normal');
    const seen: number[] = [];
    await Promise.all([write(seen), write(seen, true)]);
    expect(seen).toEqual([NORMAL, NORMAL]);
    expect(synchronous(db)).toBe(NORMAL);
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
