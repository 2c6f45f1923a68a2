/**
 * A faye extension that watches subscribes, including faye's silent forced resubscribe after
 * `403::Unknown client`. Added after jsforce's Replay extension, so `outgoing` sees the replay id
 * actually sent.
 */
import type { ChannelState } from './cdc-channel';
import { isInvalidReplayError, REPLAY_NEW_EVENTS_ONLY } from './cdc-replay';
import type { BayeuxMessage } from './faye-client';

export interface SubscribeWatcherHooks {
  /** faye resubscribed at −1 (new events only): what was committed meanwhile is not in the stream. */
  onNewEventsOnly(): void;
  /** A resubscribe was refused for an expired replay id (`error`: the server's text). */
  onReplayRefused(error: string): void;
}

export function subscribeWatcher(
  state: ChannelState,
  generation: number,
  initial: { done: boolean },
  hooks: SubscribeWatcherHooks,
) {
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
        hooks.onNewEventsOnly();
      }
      if (
        initial.done &&
        message.channel === '/meta/subscribe' &&
        message.successful === false &&
        generation === state.generation &&
        isInvalidReplayError(message.error ?? '')
      ) {
        // jsforce#1709: this resubscribe has no failure listener, the stream would go silent.
        hooks.onReplayRefused(message.error ?? '');
      }
      callback(message);
    },
  };
}
