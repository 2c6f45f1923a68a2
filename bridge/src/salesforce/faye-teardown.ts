/**
 * Ends a faye 1.4 client for good. faye has no public close: `Client#disconnect()` only acts in the
 * CONNECTED state and closes the transport only when the server *acknowledges* /meta/disconnect.
 * A refused disconnect (`401::Authentication invalid` after a token expiry, `403::Unknown client`),
 * or one attempted mid-handshake, leaves the dispatcher re-sending its outstanding long poll every
 * `retry` (5) seconds forever once the server is gone, which keeps the process alive. So this
 * reaches into faye's internals (`_advice`, `_state`, `_dispatcher._envelopes`); kept in one place,
 * and proven by the teardown regression test.
 */

interface FayeEnvelope {
  timer?: NodeJS.Timeout | null;
  request?: PromiseLike<{ abort?(): void } | undefined> | null;
}

interface FayeClientInternals {
  _state?: number;
  _advice?: { reconnect?: string };
  _dispatcher?: { _envelopes?: Map<string, FayeEnvelope>; close?(): void };
}

/** faye Client.DISCONNECTED: `connect()` returns at once in this state. */
const FAYE_DISCONNECTED = 4;

/** faye Client.CONNECTED: the only state in which `disconnect()` sends /meta/disconnect. */
export const FAYE_CONNECTED = 3;

export function fayeClientState(client: unknown): number | undefined {
  return (client as FayeClientInternals)._state;
}

/** Stops every retry, timeout and request of the client; safe to call more than once. */
export function destroyFayeClient(client: unknown): void {
  const internals = client as FayeClientInternals;
  // `handshake()` and `connect()` both return at once on reconnect 'none': a retry timer faye
  // already armed (handshake retry, connection cycle) fires into a no-op.
  if (internals._advice) internals._advice.reconnect = 'none';
  internals._state = FAYE_DISCONNECTED;
  const dispatcher = internals._dispatcher;
  if (!dispatcher) return;
  for (const envelope of dispatcher._envelopes?.values() ?? []) {
    if (envelope.timer) clearTimeout(envelope.timer);
    envelope.timer = null;
    const request = envelope.request;
    envelope.request = null;
    request?.then(
      (req) => req?.abort?.(),
      () => undefined,
    );
  }
  dispatcher._envelopes?.clear();
  // Drops the transport: a late error or timeout then finds nothing to re-send on.
  dispatcher.close?.();
}
