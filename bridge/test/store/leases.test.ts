import { hostname } from 'node:os';
import { LeaseLostError } from '../../src/store';
import { waitFor } from '../../../test/support/wait-for';
import { storeBackends } from './helpers';

const CHANNEL = '/data/OpportunityChangeEvent';
const LEASE = 'cdc';
const OPP = '006000000000001AAA';
// Holders look like claim tokens (`<host>/<pid>/<id>`); pid 1 exists on every host, so these
// holders count as alive and only expiry or release frees their lease.
const holder = (name: string) => `replica-${name}/1/${name}`;

describe.each(storeBackends())('$name store', ({ open }) => {
  describe('leases with fencing (several replicas, one CDC subscription)', () => {
    it('one holder at a time; renewing keeps the token, a takeover after expiry gets a larger one', async () => {
      const a = open({}, 'lease-expiry');
      const b = open({}, 'lease-expiry');
      // Leases that outlive the steps below on a loaded host; expiry comes from a short renewal.
      const first = await a.acquireLease(LEASE, holder('a'), 60_000);
      expect(first).toMatchObject({ name: LEASE, holder: holder('a') });
      expect(await b.acquireLease(LEASE, holder('b'), 60_000)).toBeUndefined();
      const renewed = await a.renewLease(first!, 60_000);
      expect(renewed?.token).toBe(first!.token);
      expect(await a.acquireLease(LEASE, holder('a'), 60_000)).toMatchObject({
        token: first!.token,
      });

      // A renews once more for a moment, then no more (paused, partitioned, killed on another
      // host): B takes over once it runs out.
      expect(await a.renewLease(first!, 100)).toMatchObject({ token: first!.token });
      const taken = await waitFor(() => b.acquireLease(LEASE, holder('b'), 60_000), {
        timeoutMs: 10_000,
        description: 'the expired lease to be taken over',
      });
      expect(taken.token).toBeGreaterThan(first!.token);
      expect(await a.renewLease(first!, 400)).toBeUndefined();
      expect(await a.leases()).toEqual([
        expect.objectContaining({
          name: LEASE,
          holder: holder('b'),
          token: taken.token,
          live: true,
        }),
      ]);
    });

    it('the replay cursor moves only under the current lease: a stale holder cannot write past its successor', async () => {
      const a = open({}, 'lease-fence');
      const b = open({}, 'lease-fence');
      // A writes under its lease, then its lease runs out (its last renewal was short). A 300 ms
      // lease from the start had to outlast the first write, which a loaded host did not give it
      // (LeaseLostError on that write in 1 of 6 bridge runs).
      const stale = (await a.acquireLease(LEASE, holder('a'), 60_000))!;
      await a.recordChangeEvents(CHANNEL, 10, [], stale);
      expect(await a.getReplayId(CHANNEL)).toBe(10);
      expect(await a.renewLease(stale, 100)).toMatchObject({ token: stale.token });
      const current = await waitFor(() => b.acquireLease(LEASE, holder('b'), 60_000), {
        timeoutMs: 10_000,
        description: 'the takeover',
      });
      await b.recordChangeEvents(CHANNEL, 11, [], current);

      await expect(
        a.recordChangeEvents(CHANNEL, 99, [{ opportunityId: OPP, reason: 'cdc:UPDATE' }], stale),
      ).rejects.toBeInstanceOf(LeaseLostError);
      // Nothing of the rejected batch was written: neither the cursor nor the work.
      expect(await b.getReplayId(CHANNEL)).toBe(11);
      expect(await b.getOutbound(OPP)).toBeUndefined();
    });

    it('an expired lease nobody took fences too; a released lease is free at once', async () => {
      const a = open({}, 'lease-release');
      const b = open({}, 'lease-release');
      const lease = (await a.acquireLease(LEASE, holder('a'), 200))!;
      await waitFor(async () => (await a.leases()).every((l) => !l.live), {
        timeoutMs: 10_000,
        description: 'the lease to expire',
      });
      await expect(a.recordChangeEvents(CHANNEL, 1, [], lease)).rejects.toBeInstanceOf(
        LeaseLostError,
      );
      const again = (await a.acquireLease(LEASE, holder('a'), 60_000))!;
      await a.releaseLease(again);
      const next = await b.acquireLease(LEASE, holder('b'), 60_000);
      expect(next?.token).toBeGreaterThan(again.token);
      expect(await a.renewLease(again, 60_000)).toBeUndefined();
    });

    it('a lease whose holder is a process on this host that is gone is taken at once (kill -9)', async () => {
      const a = open({}, 'lease-dead');
      // Pid 2^22+ is beyond pid_max on Linux: no such process exists on this host.
      const dead = `${hostname()}/4194999/crashed`;
      const lease = (await a.acquireLease(LEASE, dead, 60_000))!;
      const taken = await a.acquireLease(LEASE, holder('b'), 60_000);
      expect(taken?.token).toBe(lease.token + 1);
    });
  });
});
