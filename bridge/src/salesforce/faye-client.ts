/**
 * The part of faye (jsforce's CometD client) the CDC subscriber uses, and how a client is closed
 * so nothing it started outlives it.
 */
import type { Logger } from 'pino';
import { describeError } from '../errors';
import { destroyFayeClient, FAYE_CONNECTED, fayeClientState } from './faye-teardown';

export interface BayeuxMessage {
  id?: string;
  channel?: string;
  ext?: { replay?: Record<string, unknown> };
  successful?: boolean;
  error?: string;
  subscription?: string;
  advice?: { reconnect?: string };
}

/** The part of faye's Client this module uses (jsforce ships no usable typings for it). */
export interface FayeClient {
  subscribe(channel: string, listener: (data: unknown) => void): PromiseLike<void>;
  disconnect(): unknown;
  /** faye's transport events: `transport:down` when a request got no answer, `transport:up` again. */
  on?(event: 'transport:down' | 'transport:up', listener: () => void): unknown;
}

/** How long closing a client waits for the server to acknowledge /meta/disconnect. */
const DISCONNECT_WAIT_MS = 2_000;

function settleWithin(promise: PromiseLike<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    promise.then(done, done);
  });
}

export interface FayeCloser {
  /**
   * Says goodbye with /meta/disconnect when faye can (waiting briefly for the reply), then destroys
   * the client whatever the answer: a refused disconnect would otherwise leave faye re-sending its
   * long poll every 5 s forever (see faye-teardown).
   */
  close(client: FayeClient | undefined): Promise<void>;
  /** Resolves once every teardown started so far has ended (a reconnect does not wait for them). */
  allClosed(): Promise<void>;
}

export function createFayeCloser(logger: Logger): FayeCloser {
  const closing = new Set<Promise<void>>();
  return {
    close(client) {
      if (!client) return Promise.resolve();
      let sent: PromiseLike<unknown> | undefined;
      if (fayeClientState(client) === FAYE_CONNECTED) {
        try {
          const publication = client.disconnect() as PromiseLike<unknown> | undefined;
          if (publication && typeof publication.then === 'function') sent = publication;
        } catch (error) {
          logger.debug({ err: describeError(error) }, 'faye disconnect failed');
        }
      }
      const closed = (sent ? settleWithin(sent, DISCONNECT_WAIT_MS) : Promise.resolve()).then(() =>
        destroyFayeClient(client),
      );
      closing.add(closed);
      void closed.finally(() => closing.delete(closed));
      return closed;
    },
    async allClosed() {
      await Promise.all([...closing]);
    },
  };
}
