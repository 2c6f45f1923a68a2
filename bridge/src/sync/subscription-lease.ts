/**
 * Exactly one bridge replica holds the CDC subscription: the one holding the store's `cdc` lease.
 * Every replica runs this; a standby tries to take the lease every few seconds, the holder renews
 * it, and a holder that dies (or is cut off from the store) is replaced once its lease runs out,
 * at once when it was a process on the same host that is gone. The lease's token is the fence:
 * the change intake passes it to `recordChangeEvents`, which refuses to move the replay cursor for
 * a holder that is no longer current, so a stale holder cannot write past its successor.
 */
import type { Logger } from 'pino';
import { describeError } from '../errors';
import type { CdcHandlers, CdcSubscriber } from '../salesforce';
import { LeaseLostError, type Lease, type LeaseFence, type StateStore } from '../store';

export const CDC_LEASE = 'cdc';

export interface SubscriptionLeaseOptions {
  store: Pick<StateStore, 'acquireLease' | 'renewLease' | 'releaseLease'>;
  /** This process as a lease holder: `<host>/<pid>/<random>` (store's claim-token format). */
  holder: string;
  logger: Logger;
  /** How long a lease lasts without renewal: the takeover time when a holder on another host dies. */
  ttlMs?: number;
  /** How often a standby tries to take the lease (and how soon a dead local holder is replaced). */
  retryEveryMs?: number;
  name?: string;
}

export const SUBSCRIPTION_LEASE_DEFAULTS = { ttlMs: 15_000, retryEveryMs: 2_000 } as const;

export function createSubscriptionLease(options: SubscriptionLeaseOptions) {
  const { store, holder, logger } = options;
  const name = options.name ?? CDC_LEASE;
  const ttlMs = options.ttlMs ?? SUBSCRIPTION_LEASE_DEFAULTS.ttlMs;
  const retryEveryMs = options.retryEveryMs ?? SUBSCRIPTION_LEASE_DEFAULTS.retryEveryMs;
  // Renew well before expiry: two renewals may fail (a slow store) before the lease runs out.
  const renewEveryMs = Math.max(50, Math.floor(ttlMs / 3));
  let lease: Lease | undefined;
  /** Our own (host-clock) bound on the lease: past it we stop acting as the holder. */
  let heldUntil = 0;
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  let loop: Promise<void> | undefined;

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      wake = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
      timer = setTimeout(() => wake?.(), ms);
    });
  }

  /** Wraps the CDC subscriber factory: the subscriber runs only while this replica holds the lease. */
  function guard(
    factory: (handlers: CdcHandlers) => CdcSubscriber,
  ): (handlers: CdcHandlers) => CdcSubscriber {
    return (handlers) => {
      let inner: CdcSubscriber | undefined;
      // A fenced write refused: check the lease now instead of at the next renewal.
      const fenced =
        <A extends unknown[]>(handler: (...args: A) => Promise<void>) =>
        async (...args: A) => {
          try {
            await handler(...args);
          } catch (error) {
            if (error instanceof LeaseLostError) wake?.();
            throw error;
          }
        };
      const guarded: CdcHandlers = {
        ...handlers,
        onEvents: fenced(handlers.onEvents),
        onGap: fenced(handlers.onGap),
      };

      async function lose(reason: string): Promise<void> {
        logger.warn(
          { event: 'cdc.lease_lost', lease: name, fence: lease?.token, reason },
          'this replica no longer holds the CDC subscription',
        );
        lease = undefined;
        const stopping = inner;
        inner = undefined;
        await stopping?.stop();
      }

      async function tick(): Promise<void> {
        if (!lease) {
          const taken = await store.acquireLease(name, holder, ttlMs);
          if (!taken || !running) {
            if (taken) await store.releaseLease(taken);
            return;
          }
          lease = taken;
          heldUntil = Date.now() + ttlMs;
          logger.info(
            { event: 'cdc.lease_acquired', lease: name, fence: taken.token, holder },
            'this replica holds the CDC subscription',
          );
          inner = factory(guarded);
          try {
            await inner.start();
          } catch (error) {
            // Let another replica try: Salesforce may be unreachable from here only.
            const current = lease;
            await lose(`subscribing failed: ${describeError(error)}`);
            await store.releaseLease(current).catch(() => undefined);
          }
          return;
        }
        const startedAt = Date.now();
        const renewed = await store.renewLease(lease, ttlMs);
        if (renewed) {
          lease = renewed;
          heldUntil = startedAt + ttlMs;
        } else {
          await lose('taken over by another replica or expired');
        }
      }

      async function run(): Promise<void> {
        while (running) {
          try {
            await tick();
          } catch (error) {
            logger.warn(
              { event: 'cdc.lease_check_failed', lease: name, err: describeError(error) },
              'could not check the CDC subscription lease',
            );
            // The store is unreachable: once our lease may have run out, stop acting on it.
            if (lease && Date.now() >= heldUntil) await lose('could not renew before expiry');
          }
          if (running) await sleep(lease ? renewEveryMs : retryEveryMs);
        }
      }

      return {
        async start() {
          if (running) return;
          running = true;
          // The first attempt is awaited: a lone replica is subscribed when start() resolves.
          try {
            await tick();
          } catch (error) {
            logger.warn(
              { event: 'cdc.lease_check_failed', lease: name, err: describeError(error) },
              'could not check the CDC subscription lease',
            );
          }
          if (running) {
            loop = (async () => {
              await sleep(lease ? renewEveryMs : retryEveryMs);
              await run();
            })();
          }
        },
        async stop() {
          running = false;
          wake?.();
          await loop;
          loop = undefined;
          const held = lease;
          lease = undefined;
          await inner?.stop();
          inner = undefined;
          // Graceful: a standby takes over at its next try instead of waiting for expiry.
          if (held) await store.releaseLease(held).catch(() => undefined);
        },
        status: () => inner?.status() ?? [],
      };
    };
  }

  return {
    guard,
    /** The fence for `recordChangeEvents` while held (undefined otherwise: the write is refused). */
    fence: (): LeaseFence => lease ?? { name, token: 0 },
    holding: () => lease !== undefined,
  };
}

export type SubscriptionLease = ReturnType<typeof createSubscriptionLease>;
