import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { bearerToken } from '../auth/oauth-routes';
import type { EmulatorState } from '../emulator-state';
import { changeEventToEntity } from '../schema/metadata-loader';
import { ALL_CHANGE_EVENTS } from './change-events';
import type { StoredEvent } from './event-log';
import { platformEventOf } from './platform-events';

/** After any reply a client must reconnect within 40 s ("Clients and Timeouts"). */
export const RECONNECT_WINDOW_MS = 40_000;
const BROWSER_COOKIE = 'BAYEUX_BROWSER';

type Msg = Record<string, unknown>;

const messageSchema = z
  .object({
    channel: z.string().optional(),
    clientId: z.string().optional(),
    id: z.string().optional(),
    subscription: z.string().optional(),
    connectionType: z.string().optional(),
    advice: z.object({ timeout: z.number().optional() }).passthrough().optional(),
    ext: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough();
type Message = z.infer<typeof messageSchema>;

interface HeldConnect {
  res: Response;
  replies: Msg[];
  connectReply: Msg;
  timer: NodeJS.Timeout;
}

interface Client {
  id: string;
  token: string;
  /** The session's user, fixed at handshake: what it may receive does not change when the token expires. */
  userId: string;
  browser: string;
  subscriptions: Set<string>;
  queue: Msg[];
  held?: HeldConnect;
  /** A flush of the held connect is scheduled for the end of this turn (see `deliver`). */
  flushScheduled?: boolean;
  lastSeen: number;
}

/** The entity channel an event was published on (besides `/data/ChangeEvents`). */
const entityChannel = (event: StoredEvent): string | undefined =>
  event.channels.find((c) => c !== ALL_CHANGE_EVENTS);

const invalidReplay = (id: unknown) =>
  `400::The replayId {${String(id)}} you provided was invalid. Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`;

/**
 * Bayeux long-polling as Salesforce's Streaming API speaks it to faye/jsforce: handshake with
 * `ext.replay`, batched connect+subscribe, held connects with an advertised timeout, replay
 * ids on subscribe, `403::Unknown client` and `401::Authentication invalid`.
 */
export class BayeuxServer {
  private clients = new Map<string, Client>();
  readonly channelCounts = new Map<string, number>();

  constructor(private readonly state: EmulatorState) {
    state.events.onAppend((e) => this.deliver(e));
  }

  get clientCount(): number {
    this.expireIdleClients();
    return this.clients.size;
  }

  /** Forget every client (as after a server restart): the next connect gets 403. */
  dropAllClients(): void {
    for (const client of this.clients.values()) this.answerHeld(client, unknownClient);
    this.clients.clear();
  }

  /** Ends a client's held connect with `reply` instead of its success reply and queued events. */
  private answerHeld(client: Client, reply: (connectReply: Msg) => Msg): void {
    if (!client.held) return;
    const { res, replies, connectReply, timer } = client.held;
    clearTimeout(timer);
    client.held = undefined;
    send(res, [...replies, reply(connectReply)]);
  }

  close(): void {
    for (const c of this.clients.values()) if (c.held) clearTimeout(c.held.timer);
    this.clients.clear();
  }

  handle(req: Request, res: Response): void {
    const raw: unknown = req.body;
    const parsed = z.array(messageSchema).safeParse(Array.isArray(raw) ? raw : [raw]);
    if (!parsed.success) {
      res.status(400).json([{ error: '400::Invalid message', successful: false }]);
      return;
    }
    const token = bearerToken(req);
    if (!token) {
      res.status(401).json([{ error: '401::Request requires authentication', successful: false }]);
      return;
    }
    this.expireIdleClients();
    const session = this.state.tokens.valid(token);
    const cookie = readCookie(req, BROWSER_COOKIE);
    const messages = parsed.data;
    const replies: Msg[] = [];
    let held: { client: Client; reply: Msg } | undefined;
    let hold = false;

    for (const msg of messages) {
      const channel = msg.channel ?? '';
      this.channelCounts.set(channel, (this.channelCounts.get(channel) ?? 0) + 1);
      const base: Msg = { clientId: msg.clientId, channel, id: msg.id };
      if (channel === '/meta/handshake') {
        if (!session) {
          replies.push({
            ext: {
              sfdc: { failureReason: '401::Authentication invalid' },
              replay: true,
              'payload.format': true,
            },
            advice: { reconnect: 'none' },
            channel,
            id: msg.id,
            error: '403::Handshake denied',
            successful: false,
          });
          continue;
        }
        const client: Client = {
          id: randomBytes(12).toString('base64url'),
          token,
          userId: session.userId,
          browser: cookie ?? randomBytes(12).toString('hex'),
          subscriptions: new Set(),
          queue: [],
          lastSeen: Date.now(),
        };
        this.clients.set(client.id, client);
        if (!cookie) {
          res.append('Set-Cookie', `${BROWSER_COOKIE}=${client.browser}; Path=/; HttpOnly`);
        }
        replies.push({
          ext: { replay: true, 'payload.format': true },
          minimumVersion: '1.0',
          clientId: client.id,
          supportedConnectionTypes: ['long-polling'],
          channel,
          id: msg.id,
          version: '1.0',
          successful: true,
          reestablish: false,
        });
        continue;
      }

      const client = msg.clientId ? this.clients.get(msg.clientId) : undefined;
      if (!client) {
        replies.push(unknownClient(base));
        continue;
      }
      client.lastSeen = Date.now();
      if (!session || session.token !== client.token) {
        // The session behind this client is gone: CometD answers 401 and gives up. A connect
        // the client still has held is answered the same way now; left alone it would hang
        // until its hold ran out and then report a healthy connection for a deleted client.
        this.clients.delete(client.id);
        this.answerHeld(client, (connectReply) => authenticationInvalid(connectReply));
        replies.push(authenticationInvalid(base));
        continue;
      }
      if (!cookie) {
        replies.push({
          ...base,
          error: `400::Client ${client.id} has established a session, but no ${BROWSER_COOKIE} cookie present`,
          successful: false,
        });
        continue;
      }

      switch (channel) {
        case '/meta/connect': {
          if (msg.connectionType !== 'long-polling') {
            replies.push({
              ...base,
              error: `400::Invalid connection type {${String(msg.connectionType)}}`,
              successful: false,
            });
            break;
          }
          const reply: Msg = {
            ...base,
            advice: { interval: 0, timeout: this.state.config.cometdTimeoutMs, reconnect: 'retry' },
            successful: true,
          };
          held = { client, reply };
          // faye's first connect says timeout 0 and needs an answer at once; so does a batch
          // with other messages in it.
          hold = msg.advice?.timeout !== 0 && messages.length === 1;
          break;
        }
        case '/meta/subscribe':
          replies.push(this.subscribe(client, msg, base));
          break;
        case '/meta/unsubscribe':
          client.subscriptions.delete(msg.subscription ?? '');
          replies.push({ ...base, subscription: msg.subscription, successful: true });
          break;
        case '/meta/disconnect':
          this.clients.delete(client.id);
          if (client.held) this.flush(client);
          replies.push({ ...base, successful: true });
          break;
        default:
          replies.push({ ...base, error: '403::Publish denied', successful: false });
      }
    }

    if (held) {
      const { client, reply } = held;
      if (client.held) this.flush(client);
      if (hold && client.queue.length === 0) {
        const timer = setTimeout(() => this.flush(client), this.state.config.cometdTimeoutMs);
        client.held = { res, replies, connectReply: reply, timer };
        res.on('close', () => {
          if (client.held?.res === res) {
            clearTimeout(client.held.timer);
            client.held = undefined;
          }
        });
        return;
      }
      const events = client.queue.splice(0);
      send(res, [...replies, ...events, reply]);
      return;
    }
    send(res, replies);
  }

  private subscribe(client: Client, msg: Message, base: Msg): Msg {
    const channel = msg.subscription;
    const fail = (error: string) => ({ ...base, subscription: channel, error, successful: false });
    if (!channel) return fail('400::Channel name not specified');
    if (!channel.startsWith('/'))
      return fail("400::Channel subscriptions must start with a leading '/'");
    if (!this.channelExists(channel)) {
      return fail(`400::The channel you requested to subscribe to does not exist {${channel}}`);
    }
    // Platform events need Read on the event object ("Platform Event Permissions"); without it
    // the subscribe is refused by the security policy (as EMP-Connector#17 shows).
    const event = platformEventOf(this.state.org.schema, channel);
    const userId = client.userId;
    if (event && !this.state.org.accessChecker(userId).object(event, 'read')) {
      return fail('403:denied_by_security_policy:create_denied');
    }
    // An entity's change-event channel needs View All Records on it (or View All Data) at
    // subscribe time, refused the same way; /data/ChangeEvents accepts anyone and filters on
    // delivery ("Required Permissions for Change Event Subscribers").
    if (channel !== ALL_CHANGE_EVENTS && !this.mayReceive(client, channel)) {
      return fail('403:denied_by_security_policy:create_denied');
    }
    const map = msg.ext?.replay as Record<string, unknown> | undefined;
    let replayId: unknown = -1;
    if (map && typeof map === 'object' && channel in map) replayId = map[channel];
    if (replayId === null) {
      return fail(
        `400::The replayId for channel {${channel}} wasn't found using the provided replay ID map {{${channel}=null}}. Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`,
      );
    }
    const id = typeof replayId === 'string' ? Number(replayId) : replayId;
    if (typeof id !== 'number' || !Number.isInteger(id)) return fail(invalidReplay(replayId));
    const start = this.state.events.replay(channel, id, this.state.clock.now());
    if (!start.ok) return fail(invalidReplay(replayId));
    client.subscriptions.add(channel);
    for (const e of start.events) {
      if (this.mayReceive(client, entityChannel(e))) client.queue.push({ channel, data: e.data });
    }
    return { ...base, subscription: channel, successful: true };
  }

  /** Whether the client's user may receive the events of `/data/<Entity>ChangeEvent`. */
  private mayReceive(client: Client, channel: string | undefined): boolean {
    const m = channel ? /^\/data\/(.+ChangeEvent)$/.exec(channel) : null;
    if (!m?.[1]) return true;
    const obj = this.state.org.schema.object(changeEventToEntity(m[1]));
    // The client's user, not its token: an event published after the token expired still
    // waits for the client (which then meets 401 and resubscribes with a replay id), as before.
    return obj !== undefined && this.state.org.accessChecker(client.userId).viewAll(obj);
  }

  private channelExists(channel: string): boolean {
    if (channel === ALL_CHANGE_EVENTS) return true;
    if (platformEventOf(this.state.org.schema, channel)) return true;
    const m = /^\/data\/(.+ChangeEvent)$/.exec(channel);
    if (!m?.[1]) return false;
    const obj = this.state.org.schema.object(changeEventToEntity(m[1]));
    return obj?.cdcEnabled === true;
  }

  private deliver(event: StoredEvent): void {
    for (const client of this.clients.values()) {
      let queued = false;
      if (!this.mayReceive(client, entityChannel(event))) continue;
      for (const channel of event.channels) {
        if (client.subscriptions.has(channel)) {
          client.queue.push({ channel, data: event.data });
          queued = true;
        }
      }
      if (queued && client.held && !client.flushScheduled) {
        // Answer the held connect once the transaction's events are all queued, not on its
        // first one: Salesforce publishes a transaction's change events after the commit, and a
        // subscriber receives the batch available then. Answering at the first event handed a
        // 200-record update to the subscriber as 1 event, then 199 a poll later.
        client.flushScheduled = true;
        setImmediate(() => {
          client.flushScheduled = false;
          this.flush(client);
        });
      }
    }
  }

  private flush(client: Client): void {
    const held = client.held;
    if (!held) return;
    clearTimeout(held.timer);
    client.held = undefined;
    client.lastSeen = Date.now();
    send(held.res, [...held.replies, ...client.queue.splice(0), held.connectReply]);
  }

  private expireIdleClients(): void {
    const cutoff = Date.now() - this.state.config.cometdReconnectWindowMs;
    for (const [id, c] of this.clients) if (!c.held && c.lastSeen < cutoff) this.clients.delete(id);
  }
}

function authenticationInvalid(base: Msg): Msg {
  return {
    clientId: base.clientId,
    channel: base.channel,
    id: base.id,
    advice: { interval: 0, reconnect: 'none' },
    error: '401::Authentication invalid',
    successful: false,
  };
}

function unknownClient(base: Msg): Msg {
  return {
    clientId: base.clientId,
    channel: base.channel,
    id: base.id,
    advice: { interval: 0, reconnect: 'handshake' },
    error: '403::Unknown client',
    successful: false,
  };
}

function send(res: Response, messages: Msg[]): void {
  if (res.headersSent || res.writableEnded) return;
  res.status(200).type('application/json;charset=UTF-8').send(JSON.stringify(messages));
}

function readCookie(req: Request, name: string): string | undefined {
  const header = req.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}
