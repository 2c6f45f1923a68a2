import { bridgeProcessState, describeProcessState } from '../../src/runtime';
import type { BridgeHeartbeat } from '../../src/store';

const NOW = new Date('2026-11-30T10:00:30.000Z');
const beat = (pid: number, beatAt: string, host = 'bridge-host'): BridgeHeartbeat => ({
  owner: `${host}/${pid}`,
  host,
  pid,
  startedAt: '2026-11-30T09:00:00.000Z',
  beatAt,
});
const options = (gone: number[] = []) => ({
  staleMs: 30_000,
  isGone: (_host: string, pid: number) => gone.includes(pid),
});

describe('bridgeProcessState (cosell status: is a `cosell run` process running?)', () => {
  it('running: a fresh beat of a live process, with pid, host and the beat time', () => {
    const state = bridgeProcessState([beat(42, '2026-11-30T10:00:25.000Z')], NOW, options());
    expect(state).toEqual({
      running: true,
      pid: 42,
      host: 'bridge-host',
      startedAt: '2026-11-30T09:00:00.000Z',
      lastHeartbeat: '2026-11-30T10:00:25.000Z',
      ageSeconds: 5,
    });
    expect(describeProcessState(state)).toBe(
      'running (pid 42 on bridge-host, last heartbeat 2026-11-30T10:00:25.000Z, 5s ago)',
    );
  });

  it('not running: no beat at all', () => {
    const state = bridgeProcessState([], NOW, options());
    expect(state.running).toBe(false);
    expect(describeProcessState(state)).toBe(
      'not running (no bridge has recorded a heartbeat in this store)',
    );
  });

  it('not running: the last beat is older than the stale limit (hung, or gone on another host)', () => {
    const state = bridgeProcessState([beat(42, '2026-11-30T09:59:59.000Z')], NOW, options());
    expect(state).toMatchObject({ running: false, pid: 42 });
    expect(describeProcessState(state)).toBe(
      'not running (pid 42 on bridge-host stopped beating 31s ago)',
    );
  });

  it('not running: a fresh beat whose process is gone (kill -9 leaves its row)', () => {
    const state = bridgeProcessState([beat(42, '2026-11-30T10:00:29.000Z')], NOW, options([42]));
    expect(describeProcessState(state)).toBe(
      'not running (pid 42 on bridge-host has exited without stopping (killed or crashed))',
    );
  });

  it('a live process wins over the newer row a killed one left behind', () => {
    const state = bridgeProcessState(
      [beat(7, '2026-11-30T10:00:29.000Z'), beat(8, '2026-11-30T10:00:20.000Z')],
      NOW,
      options([7]),
    );
    expect(state).toMatchObject({ running: true, pid: 8 });
  });
});
