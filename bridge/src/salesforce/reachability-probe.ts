/**
 * Notices a Salesforce that stopped answering while the bridge has nothing to send: the change
 * stream's long poll waits up to two minutes by design, so silence alone proves nothing. When no
 * Salesforce request has been answered for `intervalMs`, one cheap request (the unauthenticated
 * API versions list, which uses no API allowance) with a short timeout either gets an answer or
 * reports the outage through the connection's call listener, like any other request.
 */
import type { Logger } from 'pino';
import { describeError } from '../errors';
import type { SalesforceConnection } from './connection';

export const PROBE_INTERVAL_MS = 15_000;
export const PROBE_TIMEOUT_MS = 5_000;

export interface ReachabilityProbe {
  /** A request to Salesforce was answered: no probe is needed for another interval. */
  answered(): void;
  stop(): void;
}

export function startReachabilityProbe(options: {
  connection: Pick<SalesforceConnection, 'connection'>;
  logger: Logger;
  intervalMs?: number;
  timeoutMs?: number;
}): ReachabilityProbe {
  const intervalMs = options.intervalMs ?? PROBE_INTERVAL_MS;
  const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  let lastAnswerAt = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  async function probe(): Promise<void> {
    if (Date.now() - lastAnswerAt < intervalMs) return;
    try {
      await options.connection.connection.request(
        { method: 'GET', url: '/services/data/' },
        { timeout: timeoutMs },
      );
    } catch (error) {
      // The call listener has reported it (dependency health); this is only the detail.
      options.logger.debug(
        { event: 'salesforce.probe_failed', err: describeError(error) },
        'probe',
      );
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(
      () => {
        void probe().finally(schedule);
      },
      Math.max(1_000, intervalMs / 3),
    );
    timer.unref();
  }
  schedule();

  return {
    answered() {
      lastAnswerAt = Date.now();
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
