import type { Connection } from 'jsforce';
import { StreamingExtension } from 'jsforce/api/streaming';
import { control, waitFor } from './helpers';

export interface ChangeEventMessage {
  schema: string;
  payload: {
    ChangeEventHeader: {
      entityName: string;
      recordIds: string[];
      changeType: string;
      changeOrigin: string;
      transactionKey: string;
      sequenceNumber: number;
      commitTimestamp: number;
      commitNumber: number;
      commitUser: string;
      changedFields: string[];
    };
    [field: string]: unknown;
  };
  event: { replayId: number };
}

export interface Subscriber {
  events: ChangeEventMessage[];
  authFailures: unknown[];
  ready: Promise<unknown>;
  close(): Promise<void>;
}

/**
 * One faye client per replayed channel, as jsforce's Replay extension requires
 * (reference §1.3), with AuthFailure to observe `401::Authentication invalid`.
 */
export function subscribe(
  conn: Connection,
  channel: string,
  replayId: number | null = -1,
): Subscriber {
  const events: ChangeEventMessage[] = [];
  const authFailures: unknown[] = [];
  const extensions: unknown[] = [
    new StreamingExtension.AuthFailure((m: unknown) => authFailures.push(m)),
  ];
  if (replayId !== null) extensions.unshift(new StreamingExtension.Replay(channel, replayId));
  const client = conn.streaming.createClient(extensions as never);
  const subscription = client.subscribe(channel, (m: ChangeEventMessage) => {
    events.push(m);
  });
  const ready = new Promise((resolve, reject) => {
    subscription.then(resolve, reject);
  });
  // Swallow here; tests that expect a rejection await `ready` themselves.
  ready.catch(() => undefined);
  return {
    events,
    authFailures,
    ready,
    // Waits for the server's answer to /meta/disconnect: a disconnect left in flight when the
    // emulator stops keeps a faye retry timer alive, and jest (in band on 2 cores) never exits.
    close: () =>
      new Promise<void>((resolve) => {
        const pending = (
          client as unknown as { disconnect(): PromiseLike<unknown> | undefined }
        ).disconnect();
        if (!pending) resolve();
        else
          pending.then(
            () => resolve(),
            () => resolve(),
          );
      }),
  };
}

/**
 * A CometD session spoken by hand, without faye: handshakes, keeps the BAYEUX_BROWSER cookie and
 * posts raw Bayeux messages, for what faye hides (held connects, error bodies, advice).
 */
export async function handshakeByHand(
  emu: { url: string },
  accessToken: string,
): Promise<{ clientId: string; post: (messages: unknown) => Promise<Response> }> {
  let cookie = '';
  const post = (messages: unknown) =>
    fetch(`${emu.url}/cometd/62.0`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `OAuth ${accessToken}`,
        cookie,
      },
      body: JSON.stringify(messages),
    });
  const handshake = await post([{ channel: '/meta/handshake', version: '1.0', id: '1' }]);
  cookie = handshake.headers.get('set-cookie')?.split(';')[0] ?? '';
  const [{ clientId }] = (await handshake.json()) as [{ clientId: string }];
  return { clientId, post };
}

/**
 * A hand-spoken client's first connect (answered at once, as faye's is) and a second one the
 * emulator holds: resolves once it is held, with the held connect's pending answer (wrapped, so
 * awaiting the helper does not wait for the answer itself).
 */
export async function holdConnect(
  emu: { url: string },
  session: { clientId: string; post: (messages: unknown) => Promise<Response> },
  firstId: number,
): Promise<{ answer: Promise<Response> }> {
  const poll = (id: number, advice?: object) =>
    session.post([
      {
        channel: '/meta/connect',
        clientId: session.clientId,
        connectionType: 'long-polling',
        id: String(id),
        advice,
      },
    ]);
  await (await poll(firstId, { timeout: 0 })).json();
  const held = poll(firstId + 1);
  await waitFor(async () => {
    const { body } = await control(emu, 'GET', '/stats');
    const connects = (body as { cometdChannels: Record<string, number> }).cometdChannels;
    return connects['/meta/connect'] === 2 ? true : undefined;
  }, 'the second connect to be held');
  return { answer: held };
}
