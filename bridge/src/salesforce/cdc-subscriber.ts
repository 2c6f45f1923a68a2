import { StreamingExtension } from 'jsforce/api/streaming';
import type { Logger } from 'pino';
import { describeError } from '../errors';
import { backoffDelayMs, type BackoffPolicy } from '../retry';
import {
  type ChangeEvent,
  type ChangeEventHeader,
  isGapEvent,
  parseChangeEvent,
} from './change-event';
import type { SalesforceConnection } from './connection';
import { destroyFayeClient, FAYE_CONNECTED, fayeClientState } from './faye-teardown';

/**
 * Subscribe with no stored position at −1 (new events only), not −2 (everything retained): −2
 * replays up to 72 hours of changes made before the bridge was set up, each one a Partner Center
 * call against the daily budget (R1). What −1 leaves out (everything committed before the
 * subscription is acknowledged) is swept by the engine once the stream is live (onNewEventsOnly).
 */
export const REPLAY_NEW_EVENTS_ONLY = -1;

/** Hand at most this many queued events to one onEvents call (one composite batch downstream). */
const MAX_EVENTS_PER_BATCH = 200;

/** How long stop() waits for the server to acknowledge /meta/disconnect. */
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

const HANDLER_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 60_000 };
const RECONNECT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 60_000 };

/** `400::The replayId {42} you provided was invalid…` / `…wasn't found using the provided replay ID map…` */
function isInvalidReplayError(text: string): boolean {
  return /^400::.*replay ?id/is.test(text);
}

/** faye rejects a subscribe with its own `{code, params, message}` object, not an Error. */
function errorText(error: unknown): string {
  if (typeof error === 'string') return error;
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : JSON.stringify(error);
}

interface BayeuxMessage {
  id?: string;
  channel?: string;
  ext?: { replay?: Record<string, unknown> };
  successful?: boolean;
  error?: string;
  subscription?: string;
  advice?: { reconnect?: string };
}

/** The part of faye's Client this module uses (jsforce ships no usable typings for it). */
interface FayeClient {
  subscribe(channel: string, listener: (data: unknown) => void): PromiseLike<void>;
  disconnect(): unknown;
  /** faye's transport events: `transport:down` when a request got no answer, `transport:up` again. */
  on?(event: 'transport:down' | 'transport:up', listener: () => void): unknown;
}

/** What faye knows when its long poll fails: no answer (its own retry continues every few seconds). */
export const STREAM_DOWN_CAUSE =
  'the CometD long poll got no answer (connection refused, reset or timed out); reconnecting';

export interface CdcSubscriberOptions {
  connection: Pick<SalesforceConnection, 'connection' | 'refresh' | 'onTokenRefreshed'>;
  /** e.g. `/data/OpportunityChangeEvent`, `/data/Co_Sell_Solution__ChangeEvent`. */
  channels: string[];
  /** The last replay id whose work is durably recorded (the store's cursor), if any. */
  getReplayId(channel: string): Promise<number | undefined>;
  /**
   * Handle events in stream order; persist the work and advance the stored cursor before
   * resolving. Called one batch at a time per channel; a rejection is retried with backoff.
   */
  onEvents(channel: string, events: ChangeEvent[]): Promise<void>;
  /**
   * The stored replay id is outside the retention window: events were lost. Called after the
   * stream is live again at −1, so a reconciliation sweep (SystemModstamp) run now misses nothing.
   */
  onReplayInvalid(channel: string, staleReplayId: number): Promise<void>;
  /**
   * The stream is live at −1 (new events only) with no stored position behind it: a first start,
   * or a resubscribe before any event had arrived. Nothing committed before this moment will
   * arrive through the stream, however long we wait. Called after the subscription is
   * acknowledged, so a reconciliation sweep run now misses nothing. (An expired replay id calls
   * onReplayInvalid instead.) Optional for callers that only probe the stream (`cosell doctor`).
   */
  onNewEventsOnly?(channel: string): Promise<void>;
  /**
   * A GAP_* or GAP_OVERFLOW event is about to be handed to onEvents (gap events stay in the
   * ordered stream so the cursor advances with them): re-read the records, or reconcile when the
   * record ids are unknown (overflow).
   */
  onGap(channel: string, header: ChangeEventHeader, replayId: number): Promise<void>;
  /** A message that failed validation; it is skipped, the stream goes on. */
  onMalformed?(channel: string, problem: string, replayId: number | undefined): void;
  /**
   * The stream's connection went down (`up` false, with the cause) or answers again: for
   * dependency health (readiness, status, a metric) and one warning per outage.
   */
  onStreamState?(up: boolean, cause: string): void;
  logger: Logger;
}

/** The callbacks in CdcSubscriberOptions: what the consumer (the sync engine) supplies. */
export type CdcHandlers = Pick<
  CdcSubscriberOptions,
  'getReplayId' | 'onEvents' | 'onReplayInvalid' | 'onNewEventsOnly' | 'onGap' | 'onMalformed'
>;

export interface ChannelStatus {
  channel: string;
  subscribed: boolean;
  durableReplayId: number | undefined;
  queued: number;
  lastEventAt: Date | undefined;
}

export interface CdcSubscriber {
  /** Resolves once every channel has been subscribed (from its stored replay id or −1). */
  start(): Promise<void>;
  /** Disconnects and waits for the batch in progress; queued, unfinished events are replayed next start. */
  stop(): Promise<void>;
  status(): ChannelStatus[];
}

type WorkItem =
  | { kind: 'event'; event: ChangeEvent }
  | { kind: 'replay-invalid'; staleReplayId: number }
  | { kind: 'new-events-only' };

interface ChannelState {
  channel: string;
  client: FayeClient | undefined;
  /** Bumped on every rebuild; messages from older clients are ignored. */
  generation: number;
  subscribed: boolean;
  /** Token the current client was built with (faye freezes it). */
  clientToken: string | undefined;
  durableReplayId: number | undefined;
  /** Highest replay id queued, to drop re-deliveries after a forced resubscribe. */
  lastQueuedReplayId: number | undefined;
  /** Set when the server refused our replay id: subscribe at −1 and tell the engine. */
  staleReplayId: number | undefined;
  pending: WorkItem[];
  draining: Promise<void> | undefined;
  connecting: Promise<void>;
  /** Ends the subscribe the current connect is waiting for (a newer reconnect supersedes it). */
  abandonSubscribe: (() => void) | undefined;
  reconnectAttempt: number;
  lastEventAt: Date | undefined;
}

/**
 * Change Data Capture over jsforce streaming (CometD/faye) with durable replay. One faye client
 * per channel, because jsforce's Replay extension writes its replay map into every subscribe the
 * client sends (jsforce#1700) and the token is frozen into the client when it is created.
 */
export function createCdcSubscriber(options: CdcSubscriberOptions): CdcSubscriber {
  const { logger } = options;
  const states = new Map<string, ChannelState>();
  let stopped = true;
  let unlistenToken: (() => void) | undefined;
  /** Pending backoff waits; stop() ends them early so nothing outlives the subscriber. */
  const waits = new Map<NodeJS.Timeout, () => void>();

  function wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        waits.delete(timer);
        resolve();
      }, ms);
      waits.set(timer, resolve);
    });
  }

  /** Client teardowns in flight (a reconnect does not wait for them); stop() waits for all. */
  const closing = new Set<Promise<void>>();

  /**
   * Says goodbye with /meta/disconnect when faye can (waiting briefly for the reply), then destroys
   * the client whatever the answer: a refused disconnect would otherwise leave faye re-sending its
   * long poll every 5 s forever (see faye-teardown).
   */
  function closeClient(client: FayeClient | undefined): Promise<void> {
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
  }

  function enqueue(state: ChannelState, item: WorkItem): void {
    state.pending.push(item);
    state.draining ??= drain(state).finally(() => {
      state.draining = undefined;
    });
  }

  /** Run one handler call until it succeeds (the caller persists inside it) or we stop. */
  async function runUntilDone(
    state: ChannelState,
    what: string,
    work: () => Promise<void>,
    generation: number,
  ): Promise<boolean> {
    for (let attempt = 1; ; attempt += 1) {
      if (stopped || generation !== state.generation) return false;
      try {
        await work();
        return true;
      } catch (error) {
        const delay = backoffDelayMs(attempt, HANDLER_BACKOFF);
        logger.error(
          {
            event: 'cdc.handler_failed',
            channel: state.channel,
            what,
            attempt,
            retryInMs: delay,
            err: describeError(error),
          },
          `CDC ${what} handler failed; retrying`,
        );
        await wait(delay);
      }
    }
  }

  async function drain(state: ChannelState): Promise<void> {
    const generation = state.generation;
    while (state.pending.length > 0 && !stopped && generation === state.generation) {
      const head = state.pending[0]!;
      if (head.kind === 'event') {
        let count = 0;
        while (
          count < state.pending.length &&
          count < MAX_EVENTS_PER_BATCH &&
          state.pending[count]!.kind === 'event'
        )
          count += 1;
        const batch = state.pending
          .splice(0, count)
          .map((item) => (item as { event: ChangeEvent }).event);
        const done = await runUntilDone(
          state,
          'events',
          async () => {
            for (const event of batch.filter((e) => isGapEvent(e.header))) {
              await options.onGap(state.channel, event.header, event.replayId);
            }
            await options.onEvents(state.channel, batch);
          },
          generation,
        );
        if (done) state.durableReplayId = batch[batch.length - 1]!.replayId;
      } else if (head.kind === 'replay-invalid') {
        state.pending.shift();
        await runUntilDone(
          state,
          'replay-invalid',
          () => options.onReplayInvalid(state.channel, head.staleReplayId),
          generation,
        );
      } else {
        state.pending.shift();
        const onNewEventsOnly = options.onNewEventsOnly;
        if (onNewEventsOnly) {
          await runUntilDone(
            state,
            'new-events-only',
            () => onNewEventsOnly(state.channel),
            generation,
          );
        }
      }
    }
  }

  function onMessage(state: ChannelState, generation: number, data: unknown): void {
    if (stopped || generation !== state.generation) return;
    const parsed = parseChangeEvent(data);
    if (!parsed.ok) {
      logger.warn(
        {
          event: 'cdc.malformed_event',
          channel: state.channel,
          replayId: parsed.replayId,
          problem: parsed.problem,
        },
        'skipping a change event that failed validation',
      );
      options.onMalformed?.(state.channel, parsed.problem, parsed.replayId);
      return;
    }
    const { event } = parsed;
    const floor = state.lastQueuedReplayId ?? state.durableReplayId;
    if (floor !== undefined && event.replayId <= floor) return;
    state.lastQueuedReplayId = event.replayId;
    state.lastEventAt = new Date();
    enqueue(state, { kind: 'event', event });
  }

  function reconnect(state: ChannelState, reason: string): Promise<void> {
    // A subscribe whose reply AuthFailure swallowed never settles; without this the chain would
    // wait behind it forever.
    state.abandonSubscribe?.();
    state.connecting = state.connecting
      .then(() => connect(state, reason))
      .catch((error: unknown) => {
        logger.error(
          { event: 'cdc.connect_failed', channel: state.channel, err: describeError(error) },
          'could not connect',
        );
        options.onStreamState?.(false, `could not connect: ${describeError(error)}`);
        scheduleRetry(state, 'connect failed');
      });
    return state.connecting;
  }

  function scheduleRetry(state: ChannelState, reason: string): void {
    state.reconnectAttempt += 1;
    const delay = backoffDelayMs(state.reconnectAttempt, RECONNECT_BACKOFF);
    void wait(delay).then(() => {
      if (!stopped) void reconnect(state, reason);
    });
  }

  async function onAuthFailure(
    state: ChannelState,
    generation: number,
    message: BayeuxMessage,
  ): Promise<void> {
    if (stopped || generation !== state.generation) return;
    const text = message.error ?? '';
    logger.warn(
      { event: 'cdc.auth_failure', channel: state.channel, error: text },
      'streaming connection refused; rebuilding the client',
    );
    const current = options.connection.connection.accessToken ?? undefined;
    const needsNewToken =
      /^(401|403::Handshake denied)/.test(text) && current === state.clientToken;
    if (!needsNewToken) {
      await reconnect(state, text || 'reconnect none');
      return;
    }
    try {
      // The token-refreshed signal rebuilds every channel's client.
      await options.connection.refresh();
    } catch (error) {
      logger.error(
        { event: 'cdc.token_refresh_failed', channel: state.channel, err: describeError(error) },
        'could not renew the Salesforce token for streaming',
      );
      scheduleRetry(state, 'token refresh failed');
    }
  }

  /**
   * Watches subscribes, including faye's silent forced resubscribe after `403::Unknown client`.
   * Added after jsforce's Replay extension, so `outgoing` sees the replay id actually sent.
   */
  function subscribeWatcher(state: ChannelState, generation: number, initial: { done: boolean }) {
    /** Replay id each subscribe in flight asked for, by message id. */
    const requested = new Map<string, unknown>();
    return {
      outgoing(message: BayeuxMessage, callback: (message: BayeuxMessage) => void) {
        if (message.channel === '/meta/subscribe' && message.id !== undefined) {
          requested.set(message.id, message.ext?.replay?.[state.channel] ?? REPLAY_NEW_EVENTS_ONLY);
        }
        callback(message);
      },
      incoming(message: BayeuxMessage, callback: (message: BayeuxMessage) => void) {
        let replayId: unknown;
        if (message.channel === '/meta/subscribe' && message.id !== undefined) {
          replayId = requested.get(message.id);
          requested.delete(message.id);
        }
        if (
          initial.done &&
          message.successful === true &&
          generation === state.generation &&
          replayId === REPLAY_NEW_EVENTS_ONLY
        ) {
          // faye resubscribed with "new events only" (no event had arrived to move its replay
          // id): whatever was committed while the client was gone is not in the stream.
          enqueue(state, { kind: 'new-events-only' });
        }
        if (
          initial.done &&
          message.channel === '/meta/subscribe' &&
          message.successful === false &&
          generation === state.generation &&
          isInvalidReplayError(message.error ?? '')
        ) {
          // jsforce#1709: this resubscribe has no failure listener, the stream would go silent.
          markReplayInvalid(
            state,
            state.lastQueuedReplayId ?? state.durableReplayId ?? REPLAY_NEW_EVENTS_ONLY,
            message.error ?? '',
          );
          void reconnect(state, 'replay id expired on resubscribe');
        }
        callback(message);
      },
    };
  }

  function markReplayInvalid(state: ChannelState, staleReplayId: number, text: string): void {
    logger.warn(
      { event: 'cdc.replay_invalid', channel: state.channel, staleReplayId, error: text },
      'stored replay id is outside the retention window; resubscribing for new events and reconciling',
    );
    state.staleReplayId = staleReplayId;
    state.durableReplayId = undefined;
    state.lastQueuedReplayId = undefined;
  }

  async function connect(state: ChannelState, reason: string): Promise<void> {
    if (stopped) return;
    state.generation += 1;
    const generation = state.generation;
    void closeClient(state.client);
    state.client = undefined;
    state.subscribed = false;
    // Unfinished events will be delivered again from the durable id; let the batch in progress end.
    state.pending = [];
    await state.draining;
    state.lastQueuedReplayId = undefined;
    if (stopped || generation !== state.generation) return;

    for (;;) {
      const replayId =
        state.staleReplayId !== undefined
          ? REPLAY_NEW_EVENTS_ONLY
          : (state.durableReplayId ?? REPLAY_NEW_EVENTS_ONLY);
      const initial = { done: false };
      const conn = options.connection.connection;
      state.clientToken = conn.accessToken ?? undefined;
      const client = conn.streaming.createClient([
        new StreamingExtension.Replay(state.channel, replayId),
        subscribeWatcher(state, generation, initial),
        new StreamingExtension.AuthFailure(
          (message: BayeuxMessage) => void onAuthFailure(state, generation, message),
        ),
      ]) as unknown as FayeClient;
      state.client = client;
      client.on?.('transport:down', () => {
        if (!stopped && generation === state.generation)
          options.onStreamState?.(false, STREAM_DOWN_CAUSE);
      });
      client.on?.('transport:up', () => {
        if (!stopped && generation === state.generation) options.onStreamState?.(true, 'answering');
      });
      logger.info(
        { event: 'cdc.subscribing', channel: state.channel, replayId, reason },
        'subscribing to change events',
      );
      const abandoned = new Promise<'abandoned'>((resolve) => {
        state.abandonSubscribe = () => resolve('abandoned');
      });
      try {
        const outcome = await Promise.race([
          Promise.resolve(
            client.subscribe(state.channel, (data) => onMessage(state, generation, data)),
          ),
          abandoned,
        ]);
        if (outcome === 'abandoned') {
          void closeClient(client);
          if (state.client === client) state.client = undefined;
          return;
        }
        initial.done = true;
      } catch (error) {
        void closeClient(client);
        state.client = undefined;
        const text = errorText(error);
        if (isInvalidReplayError(text) && replayId !== REPLAY_NEW_EVENTS_ONLY) {
          markReplayInvalid(state, replayId, text);
          continue;
        }
        logger.error(
          { event: 'cdc.subscribe_failed', channel: state.channel, error: text },
          'subscribe failed; will retry',
        );
        options.onStreamState?.(false, `subscribe to ${state.channel} failed: ${text}`);
        scheduleRetry(state, 'subscribe failed');
        return;
      }
      if (stopped || generation !== state.generation) {
        void closeClient(client);
        return;
      }
      state.subscribed = true;
      state.reconnectAttempt = 0;
      options.onStreamState?.(true, 'subscribed');
      logger.info(
        { event: 'cdc.subscribed', channel: state.channel, replayId },
        'subscribed to change events',
      );
      if (state.staleReplayId !== undefined) {
        const staleReplayId = state.staleReplayId;
        state.staleReplayId = undefined;
        enqueue(state, { kind: 'replay-invalid', staleReplayId });
      } else if (replayId === REPLAY_NEW_EVENTS_ONLY) {
        enqueue(state, { kind: 'new-events-only' });
      }
      return;
    }
  }

  return {
    async start() {
      if (!stopped) return;
      stopped = false;
      for (const channel of options.channels) {
        states.set(channel, {
          channel,
          client: undefined,
          generation: 0,
          subscribed: false,
          clientToken: undefined,
          durableReplayId: await options.getReplayId(channel),
          lastQueuedReplayId: undefined,
          staleReplayId: undefined,
          pending: [],
          draining: undefined,
          connecting: Promise.resolve(),
          abandonSubscribe: undefined,
          reconnectAttempt: 0,
          lastEventAt: undefined,
        });
      }
      // faye copies the token into each client once: a renewed token needs new clients.
      unlistenToken = options.connection.onTokenRefreshed(() => {
        for (const state of states.values()) void reconnect(state, 'token refreshed');
      });
      await Promise.all([...states.values()].map((state) => reconnect(state, 'start')));
    },

    async stop() {
      if (stopped) return;
      stopped = true;
      unlistenToken?.();
      for (const [timer, resolve] of waits) {
        clearTimeout(timer);
        resolve();
      }
      waits.clear();
      await Promise.all(
        [...states.values()].map(async (state) => {
          state.generation += 1;
          state.abandonSubscribe?.();
          const closed = closeClient(state.client);
          state.client = undefined;
          state.subscribed = false;
          state.pending = [];
          await state.draining;
          await closed;
        }),
      );
      // Clients replaced by a reconnect just before stop() are still being torn down.
      await Promise.all([...closing]);
    },

    status() {
      return [...states.values()].map((state) => ({
        channel: state.channel,
        subscribed: state.subscribed,
        durableReplayId: state.durableReplayId,
        queued: state.pending.length,
        lastEventAt: state.lastEventAt,
      }));
    },
  };
}
