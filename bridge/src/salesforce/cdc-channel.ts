/**
 * One CDC channel's state and its ordered work queue: events and stream notices are handed to
 * the consumer one batch at a time, in stream order, each retried with backoff until the
 * consumer has persisted it. Only then does the durable replay id move.
 */
import type { Logger } from 'pino';
import { describeError } from '../errors';
import { backoffDelayMs, type BackoffPolicy } from '../retry';
import { isGapEvent, type ChangeEvent, type ChangeEventHeader } from './change-event';
import type { FayeClient } from './faye-client';

/** Hand at most this many queued events to one onEvents call (one composite batch downstream). */
export const MAX_EVENTS_PER_BATCH = 200;

const HANDLER_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 60_000 };

export type WorkItem =
  | { kind: 'event'; event: ChangeEvent }
  | { kind: 'replay-invalid'; staleReplayId: number }
  | { kind: 'new-events-only' };

export interface ChannelState {
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

export function newChannelState(
  channel: string,
  durableReplayId: number | undefined,
): ChannelState {
  return {
    channel,
    client: undefined,
    generation: 0,
    subscribed: false,
    clientToken: undefined,
    durableReplayId,
    lastQueuedReplayId: undefined,
    staleReplayId: undefined,
    pending: [],
    draining: undefined,
    connecting: Promise.resolve(),
    abandonSubscribe: undefined,
    reconnectAttempt: 0,
    lastEventAt: undefined,
  };
}

/**
 * Pure: how many of the queued items, from the head, form the next events batch (consecutive
 * events only, at most MAX_EVENTS_PER_BATCH; a stream notice ends a batch).
 */
export function eventBatchLength(pending: readonly WorkItem[]): number {
  let count = 0;
  while (count < pending.length && count < MAX_EVENTS_PER_BATCH && pending[count]!.kind === 'event')
    count += 1;
  return count;
}

/** What the drain hands queued work to (the subscriber's options). */
export interface ChannelHandlers {
  onEvents(channel: string, events: ChangeEvent[]): Promise<void>;
  onReplayInvalid(channel: string, staleReplayId: number): Promise<void>;
  onNewEventsOnly?(channel: string): Promise<void>;
  onGap(channel: string, header: ChangeEventHeader, replayId: number): Promise<void>;
}

export function createChannelDrain(deps: {
  handlers: ChannelHandlers;
  logger: Logger;
  isStopped: () => boolean;
  wait: (ms: number) => Promise<void>;
}) {
  const { handlers, logger } = deps;

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
      if (deps.isStopped() || generation !== state.generation) return false;
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
        await deps.wait(delay);
      }
    }
  }

  async function drain(state: ChannelState): Promise<void> {
    const generation = state.generation;
    while (state.pending.length > 0 && !deps.isStopped() && generation === state.generation) {
      const head = state.pending[0]!;
      if (head.kind === 'event') {
        const batch = state.pending
          .splice(0, eventBatchLength(state.pending))
          .map((item) => (item as { event: ChangeEvent }).event);
        const done = await runUntilDone(
          state,
          'events',
          async () => {
            for (const event of batch.filter((e) => isGapEvent(e.header))) {
              await handlers.onGap(state.channel, event.header, event.replayId);
            }
            await handlers.onEvents(state.channel, batch);
          },
          generation,
        );
        if (done) state.durableReplayId = batch[batch.length - 1]!.replayId;
      } else if (head.kind === 'replay-invalid') {
        state.pending.shift();
        await runUntilDone(
          state,
          'replay-invalid',
          () => handlers.onReplayInvalid(state.channel, head.staleReplayId),
          generation,
        );
      } else {
        state.pending.shift();
        const onNewEventsOnly = handlers.onNewEventsOnly;
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

  return { enqueue };
}
