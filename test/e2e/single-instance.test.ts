/**
 * One bridge per SQLite store, and the bridge's address in its log: a second `cosell run` on the
 * same store refuses with one line naming the running one; on a port already taken it says to
 * change BRIDGE_PORT; `bridge.ready` names the real bind address once, without repeated keys.
 */
import { join } from 'node:path';
import { freePort, startStack, waitFor, type Stack } from '../support';
import { E2E_TIMEOUT_MS } from './e2e-helpers';

jest.setTimeout(E2E_TIMEOUT_MS * 2);

describe('e2e: one bridge per store, the address it listens on', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ setup: false });
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  it('a second `cosell run` on the same SQLite store refuses with one line naming the running bridge', async () => {
    const first = stack.bridge.process;
    const otherPort = await freePort();
    const second = await stack.bridge.cli(['run'], {
      env: { BRIDGE_PORT: String(otherPort), BRIDGE_LOG_LEVEL: 'warn' },
    });
    expect(second.code).toBe(2);
    const lines = second.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^error: another bridge already runs on sqlite:.+ \\(pid ${first.pid} on .+, started .+, last beat \\d+ s ago\\): one bridge per SQLite store, so stop that one first or give this one its own BRIDGE_DATABASE_URL$`,
      ),
    );
    // It never listened, and the first bridge is untouched.
    await expect(fetch(`http://127.0.0.1:${otherPort}/healthz`)).rejects.toThrow();
    expect(first.running).toBe(true);
    expect((await fetch(`${stack.bridge.url}/readyz`)).status).toBe(200);
  });

  it('on a port already taken (another store) it is one line saying to change BRIDGE_PORT', async () => {
    const taken = await stack.bridge.cli(['run'], {
      env: {
        BRIDGE_DATABASE_URL: `sqlite:${join(stack.bridge.dir, 'another.sqlite')}`,
        BRIDGE_LOG_LEVEL: 'warn',
      },
    });
    expect(taken.code).toBe(2);
    expect(taken.stderr.trim().split('\n')).toEqual([
      `error: BRIDGE_PORT ${stack.bridge.port} is already in use on 0.0.0.0 (another bridge or program listens there): stop it, or set BRIDGE_PORT to a free port`,
    ]);
  });

  it('bridge.ready names the real bind address, and no log line repeats a key', () => {
    const ready = stack.bridge.process.lines.find((line) => line.json?.event === 'bridge.ready');
    expect(ready?.json).toMatchObject({
      address: `0.0.0.0:${stack.bridge.port} (every IPv4 interface)`,
      msg: `bridge ready on 0.0.0.0:${stack.bridge.port} (every IPv4 interface) (emulator)`,
    });
    for (const line of stack.bridge.process.lines.filter((l) => l.json)) {
      const keys = [...line.text.matchAll(/[{,]"([^"]+)":/g)].map((m) => m[1]);
      // JSON.parse keeps the last of two equal keys; the raw line shows both.
      const repeated = keys.filter((key, i) => keys.indexOf(key) !== i);
      expect({ line: line.text, repeated }).toEqual({ line: line.text, repeated: [] });
    }
  });

  it('at info level the log has one line per sync outcome, naming the referral, the opportunity and the calls', async () => {
    const deal = await stack.seed.coSellDeal({ name: 'Logged deal' });
    const line = await waitFor(
      () =>
        stack.bridge
          .logs((l) => l.event === 'sync.outbound.synced' && l.opportunityId === deal.opportunityId)
          .at(0),
      { timeoutMs: 30_000, description: 'the outbound outcome line' },
    );
    expect(line).toMatchObject({
      level: 30,
      referralId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      apiCalls: expect.any(Number),
      msg: expect.stringMatching(
        new RegExp(
          `^created referral [0-9a-f-]{36} for opportunity ${deal.opportunityId} \\(\\d+ calls?\\): Created referral`,
        ),
      ),
    });
    expect(
      stack.bridge.logs(
        (l) =>
          typeof l.event === 'string' &&
          l.event.startsWith('sync.outbound.') &&
          l.opportunityId === deal.opportunityId &&
          l.level === 30,
      ),
    ).toHaveLength(1);
  });

  it('SIGTERM with Partner Center hung mid-call exits within BRIDGE_SHUTDOWN_TIMEOUT_MS, as documented', async () => {
    // Every Referrals API request is held for ten minutes: the create below hangs in flight.
    await stack.partnerCenter.control.addFault({
      match: { path: '/v1.0/engagements/referrals' },
      latencyMs: 600_000,
    });
    try {
      const before = await stack.partnerCenter.control.referralsApiCalls();
      await stack.seed.coSellDeal({ name: 'Shutdown while Partner Center hangs' });
      await waitFor(async () => (await stack.partnerCenter.control.referralsApiCalls()) > before, {
        timeoutMs: 30_000,
        description: 'a Referrals API call to be in flight',
      });
      const timeoutMs = Number(stack.bridge.env.BRIDGE_SHUTDOWN_TIMEOUT_MS);
      const run = stack.bridge.process;
      const signalled = Date.now();
      const exit = await run.stop(30_000);
      const tookMs = Date.now() - signalled;
      // The deadline itself, plus process exit on a loaded machine; it used to be the bound + 2 s.
      expect(tookMs).toBeLessThan(timeoutMs + 1_500);
      expect(exit.signal).toBeNull();
      expect(run.logs((l) => l.event === 'bridge.stopping')).toHaveLength(1);
    } finally {
      await stack.partnerCenter.control.clearFaults();
    }
  });
});
