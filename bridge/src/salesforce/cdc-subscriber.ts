import { StreamingExtension } from 'jsforce/api/streaming';
import type { Logger } from 'pino';
import { describeError } from '../errors';
import { backoffDelayMs, type BackoffPolicy } from '../retry';
import { createChannelDrain, newChannelState, type ChannelState } from './cdc-channel';
import {
  errorText,
  isInvalidReplayError,
  isNewReplay,
  REPLAY_NEW_EVENTS_ONLY,
  replayIdToSubscribe,
} from './cdc-replay';
import { subscribeWatcher } from './cdc-subscribe-watcher';
import { type ChangeEvent, type ChangeEventHeader, parseChangeEvent } from './change-event';
import type { SalesforceConnection } from './connection';
import { createFayeCloser, type BayeuxMessage, type FayeClient } from './faye-client';

export { REPLAY_NEW_EVENTS_ONLY } from './cdc-replay';

/*
 * The subscriber's steps, each its own module: subscribe from the durable replay id
 * (cdc-replay.ts, pure) → watch faye's resubscribes (cdc-subscribe-watcher.ts) → queue each
 * channel's events in order and hand them over one batch at a time until persisted
 * (cdc-channel.ts) → close clients without leaving faye's timers behind (faye-client.ts).
 */

const RECONNECT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 60_000 };

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

  const closer = createFayeCloser(logger);
  const closeClient = (client: FayeClient | undefined) => closer.close(client);
  const { enqueue } = createChannelDrain({
    handlers: options,
    logger,
    isStopped: () => stopped,
    wait,
  });

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
    if (!isNewReplay(event.replayId, state)) return;
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
      const replayId = replayIdToSubscribe(state);
      const initial = { done: false };
      const conn = options.connection.connection;
      state.clientToken = conn.accessToken ?? undefined;
      const client = conn.streaming.createClient([
        new StreamingExtension.Replay(state.channel, replayId),
        subscribeWatcher(state, generation, initial, {
          onNewEventsOnly: () => enqueue(state, { kind: 'new-events-only' }),
          onReplayRefused: (error) => {
            markReplayInvalid(
              state,
              state.lastQueuedReplayId ?? state.durableReplayId ?? REPLAY_NEW_EVENTS_ONLY,
              error,
            );
            void reconnect(state, 'replay id expired on resubscribe');
          },
        }),
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
        states.set(channel, newChannelState(channel, await options.getReplayId(channel)));
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
      await closer.allClosed();
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
