import { describeReplicas, replicasReport } from '../../src/runtime';

const beat = (owner: string, beatAt: string) => ({
  owner,
  host: owner.split('/')[0]!,
  pid: Number(owner.split('/')[1]),
  startedAt: '2026-03-02T08:00:00.000Z',
  beatAt,
});
const now = new Date('2026-03-02T09:00:30.000Z');
const options = { staleMs: 30_000, isGone: (_host: string, pid: number) => pid === 300 };

describe('cosell status: replicas and the CDC lease holder', () => {
  it('lists every replica, says which are alive, and marks the live lease holder', () => {
    const report = replicasReport(
      [
        beat('h1/100', '2026-03-02T09:00:25.000Z'),
        beat('h2/200', '2026-03-02T09:00:20.000Z'),
        beat('h1/300', '2026-03-02T09:00:24.000Z'),
        beat('h3/400', '2026-03-02T08:50:00.000Z'),
      ],
      [
        {
          name: 'cdc',
          holder: 'h2/200/abc',
          token: 7,
          expiresAt: '2026-03-02T09:00:40.000Z',
          acquiredAt: '2026-03-02T08:59:00.000Z',
          live: true,
        },
      ],
      now,
      options,
    );
    expect(report.replicas.map((r) => [r.owner, r.alive, r.holdsCdcLease])).toEqual([
      ['h1/100', true, false],
      ['h2/200', true, true],
      ['h1/300', false, false], // killed: its pid is gone on this host
      ['h3/400', false, false], // silent for ten minutes
    ]);
    expect(report.cdcLease).toMatchObject({ holderOwner: 'h2/200', token: 7 });
    expect(describeReplicas(report).at(-1)).toBe(
      'cdc lease: held by h2/200 (token 7, until 2026-03-02T09:00:40.000Z)',
    );
  });

  it('an expired lease has no holder; a store that never had one says so', () => {
    const expired = replicasReport(
      [beat('h1/100', '2026-03-02T09:00:25.000Z')],
      [
        {
          name: 'cdc',
          holder: 'h1/100/abc',
          token: 3,
          expiresAt: '2026-03-02T09:00:00.000Z',
          acquiredAt: '2026-03-02T08:59:00.000Z',
          live: false,
        },
      ],
      now,
      options,
    );
    expect(expired.replicas[0]?.holdsCdcLease).toBe(false);
    expect(describeReplicas(expired).at(-1)).toMatch(/^cdc lease: free \(last holder h1\/100/);
    expect(describeReplicas(replicasReport([], [], now, options))).toEqual([
      'cdc lease: never taken',
    ]);
  });
});
