import { DatabaseSync } from 'node:sqlite';
import { PermanentError, TransientError } from '../../src/errors';
import { SqliteStore } from '../../src/store';
import { openDatabase } from '../../src/store/sqlite/database';
import { createWriteGroup } from '../../src/store/sqlite/group-commit';
import { tempDir } from './helpers';

const dir = tempDir();
let files = 0;
/** A fresh database file with one table, and the group that writes to it. */
function groupOnFile() {
  const file = dir.path(`group-${(files += 1)}.db`);
  const db = openDatabase(file);
  db.exec('CREATE TABLE t (v TEXT NOT NULL)');
  const group = createWriteGroup(db, { durability: 'full', classify: (e) => e as Error });
  const insert = (v: string) => () => db.prepare('INSERT INTO t (v) VALUES (?)').run(v);
  // Another connection: what another process (or this one after a crash) sees on disk.
  const other = new DatabaseSync(file);
  const committed = () =>
    (other.prepare('SELECT v FROM t ORDER BY v').all() as { v: string }[]).map((r) => r.v);
  const close = () => (other.close(), db.close());
  return { file, db, group, insert, committed, close };
}

describe('group commit: the store writes of one event-loop turn share one transaction', () => {
  it('runs the writes of one turn in one commit, settles each after it, and the next turn in its own', async () => {
    const { group, db, insert, committed, close } = groupOnFile();
    const seen: { here: number; elsewhere: string[] }[] = [];
    const look = () =>
      seen.push({
        here: (db.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n,
        elsewhere: committed(),
      });
    const settled: string[] = [];
    const first = Promise.all([
      group.add(insert('a')).then(() => settled.push('a')),
      // Runs when called, in the same open transaction: this process reads `a` (a read sees the
      // writes made before it), another connection does not see it yet.
      group.add(look),
      group.add(insert('b')).then(() => settled.push('b')),
    ]);
    look();
    expect(seen).toEqual([
      { here: 1, elsewhere: [] },
      { here: 2, elsewhere: [] },
    ]);
    await Promise.resolve();
    expect(settled).toEqual([]); // nothing settles before the commit
    await first;
    expect(committed()).toEqual(['a', 'b']); // settled = committed
    expect(group.commits).toBe(1);

    await group.add(insert('c'));
    expect(group.commits).toBe(2);
    expect(committed()).toEqual(['a', 'b', 'c']);
    close();
  });

  it('a failing write rolls back only itself and rejects only its own promise', async () => {
    const { group, db, insert, committed, close } = groupOnFile();
    const results = await Promise.allSettled([
      group.add(insert('a')),
      group.add(() => {
        db.prepare('INSERT INTO t (v) VALUES (?)').run('half-done');
        throw new PermanentError('refused', 'bridge', 'REFUSED');
      }),
      group.add(insert('b')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'REFUSED' });
    expect(committed()).toEqual(['a', 'b']);
    expect(group.commits).toBe(1);
    close();
  });

  it('a turn whose only writes fail commits nothing', async () => {
    const { group, db, committed, close } = groupOnFile();
    const failing = () => {
      db.prepare('INSERT INTO t (v) VALUES (?)').run('x');
      throw new Error('no');
    };
    const results = await Promise.allSettled([group.add(failing)]);
    expect(results[0]!.status).toBe('rejected');
    expect(await Promise.allSettled([group.add(failing), group.add(failing)])).toMatchObject([
      { status: 'rejected' },
      { status: 'rejected' },
    ]);
    expect(committed()).toEqual([]);
    expect(group.commits).toBe(0);
    close();
  });

  it('a promise resolves exactly when its write is committed, also when SQLite aborts the whole transaction (disk full)', async () => {
    const { group, db, insert, committed, close } = groupOnFile();
    await group.add(insert('seed'));
    // The file may not grow: a large row fails with SQLITE_FULL, which may roll back only the
    // statement or the whole transaction; either way no promise may claim an unwritten row.
    const pages = (db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count;
    db.exec(`PRAGMA max_page_count = ${pages + 1}`);
    const values = ['a', 'x'.repeat(200_000), 'b'];
    const results = await Promise.allSettled(values.map((v) => group.add(insert(v))));
    const onDisk = committed();
    values.forEach((v, i) => {
      expect([v, results[i]!.status]).toEqual([v, onDisk.includes(v) ? 'fulfilled' : 'rejected']);
    });
    expect(results[1]!.status).toBe('rejected');
    close();
  });
});

describe('SqliteStore writes through the group', () => {
  it('several store writes in one turn are one transaction; a refused saveLink leaves the others committed', async () => {
    const file = dir.path('store-group.db');
    const store = new SqliteStore(file);
    await store.saveLink({ opportunityId: '006A', referralId: 'ref-A' });
    const before = store.commits;
    const results = await Promise.allSettled([
      store.saveLink({ opportunityId: '006B', referralId: 'ref-B' }),
      store.saveLink({ opportunityId: '006C', referralId: 'ref-A' }), // ref-A is 006A's
      store.rememberIdempotencyKey('k', 'v'),
      store.setWatermark('w', '1'),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    const refused = (results[1] as PromiseRejectedResult).reason as PermanentError;
    expect(refused).toBeInstanceOf(PermanentError);
    expect(refused.code).toBe('REFERRAL_ALREADY_LINKED');
    expect(store.commits - before).toBe(1);

    const reader = new SqliteStore(file);
    expect(await reader.getLink('006B')).toMatchObject({ referralId: 'ref-B' });
    expect(await reader.getLink('006C')).toBeUndefined();
    expect(await reader.getIdempotencyKey('k')).toBe('v');
    expect(await reader.getWatermark('w')).toBe('1');
    await Promise.all([store.close(), reader.close()]);
  });

  it('when another process holds the write lock, every write of the turn fails as transient and nothing is half-written', async () => {
    const file = dir.path('store-busy.db');
    const store = new SqliteStore(file, { busyTimeoutMs: 0 });
    const other = new DatabaseSync(file);
    other.exec('BEGIN IMMEDIATE');
    const results = await Promise.allSettled([
      store.setWatermark('w', '1'),
      store.saveLink({ opportunityId: '006A', referralId: 'ref-A' }),
    ]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(TransientError);
    }
    // Reads do not wait for the group (WAL: readers never block on the writer).
    expect(await store.getWatermark('w')).toBeUndefined();
    other.exec('ROLLBACK');
    other.close();
    await store.setWatermark('w', '2');
    expect(await store.getWatermark('w')).toBe('2');
    expect(await store.getLink('006A')).toBeUndefined();
    await store.close();
  });

  it('R13: concurrent deliveries are durable when they resolve, a redelivery in the same commit is not new', async () => {
    const file = dir.path('deliveries.db');
    const store = new SqliteStore(file);
    const delivery = (dedupeKey: string) => ({
      source: 'webhook' as const,
      dedupeKey,
      eventName: 'referral-updated',
      referralId: '00000000-0000-0000-0000-000000000001',
      resourceChangeUtc: null,
      receivedAt: new Date(),
      body: '{}',
    });
    const before = store.commits;
    const fresh = await Promise.all(
      ['k1', 'k2', 'k1', 'k3'].map((k) => store.recordDelivery(delivery(k))),
    );
    expect(fresh).toEqual([true, true, false, true]);
    expect(store.commits - before).toBe(1);
    // Another connection (another process after a crash) sees all three.
    const other = new DatabaseSync(file);
    expect(other.prepare('SELECT COUNT(*) AS n FROM jobs WHERE queue = ?').get('inbound')).toEqual({
      n: 3,
    });
    other.close();
    await store.close();
  });

  it('close() commits the writes still waiting for the turn, and refuses later writes clearly', async () => {
    const file = dir.path('store-close.db');
    const store = new SqliteStore(file);
    const pending = store.saveLink({ opportunityId: '006A', referralId: 'ref-A' });
    const audit = store.enqueueAudit({
      direction: 'Outbound',
      outcome: 'Success',
      message: 'sent',
      opportunityId: '006A',
      referralId: 'ref-A',
      apiCalls: 1,
      occurredAt: '2026-03-02T09:00:00.000Z',
    });
    await store.close();
    await expect(pending).resolves.toMatchObject({ referralId: 'ref-A' });
    await expect(audit).resolves.toEqual(expect.any(Number));
    await expect(store.setWatermark('w', '1')).rejects.toThrow('the state store is closed');

    const reopened = new SqliteStore(file);
    expect(await reopened.getLink('006A')).toMatchObject({ referralId: 'ref-A' });
    expect(await reopened.queueDepths()).toMatchObject({ auditPending: 1 });
    await reopened.close();
  });
});
