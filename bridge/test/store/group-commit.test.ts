import { DatabaseSync } from 'node:sqlite';
import { SqliteStore } from '../../src/store';
import { createGroupCommit } from '../../src/store/sqlite/group-commit';
import { tempDir } from './helpers';

const dir = tempDir();

describe('group commit of webhook deliveries', () => {
  it('writes the calls of one event-loop turn in one commit, settles each after it, and the next turn in its own', async () => {
    const commits: string[][] = [];
    const group = createGroupCommit((items: readonly string[]) => {
      commits.push([...items]);
      return items.map((item) => item.toUpperCase());
    });
    const settled: string[] = [];
    const first = ['a', 'b', 'c'].map((x) => group.add(x).then((r) => (settled.push(r), r)));
    expect(settled).toEqual([]); // nothing settles before the commit
    await expect(Promise.all(first)).resolves.toEqual(['A', 'B', 'C']);
    await expect(group.add('d')).resolves.toBe('D');
    expect(commits).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('fails every call of a commit that fails (nothing of it is acknowledged)', async () => {
    const group = createGroupCommit((): number[] => {
      throw new Error('disk full');
    });
    const results = await Promise.allSettled([group.add(1), group.add(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('R13: concurrent deliveries are durable when they resolve, a redelivery in the same commit is not new', async () => {
    const file = dir.path('group.db');
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
    const fresh = await Promise.all(
      ['k1', 'k2', 'k1', 'k3'].map((k) => store.recordDelivery(delivery(k))),
    );
    expect(fresh).toEqual([true, true, false, true]);
    // Another connection (another process after a crash) sees all three.
    const other = new DatabaseSync(file);
    expect(other.prepare('SELECT COUNT(*) AS n FROM jobs WHERE queue = ?').get('inbound')).toEqual({
      n: 3,
    });
    other.close();
    await store.close();
  });
});
