/**
 * Live sync status through lightning/empApi. The bridge publishes a Co_Sell_Sync_Update__e
 * platform event with every write-back; sellers can subscribe to it with Co_Sell_Seller (Change
 * Data Capture would need View All Records, which sellers must not have).
 *
 * One subscription per page: modules are singletons on a Lightning page, so every component
 * that imports this one shares `channels`. The first component to ask subscribes; later ones
 * join it; the last one to leave unsubscribes (reference counting). Each component still only
 * hears about its own record.
 */
import { isEmpEnabled, onError, subscribe, unsubscribe } from 'lightning/empApi';

export const SYNC_UPDATE_CHANNEL = '/event/Co_Sell_Sync_Update__e';
// Replay -1: only new events. The page reads current state through its wires on load.
const NEW_EVENTS_ONLY = -1;

/** channel → {listeners: Set, subscription, failed, closed} */
const channels = new Map();
let errorHandlerRegistered = false;

/** The opportunity id a sync update event names ({data: {payload: {Opportunity_Id__c}}}). */
export function updatedRecordId(message) {
  return message?.data?.payload?.Opportunity_Id__c;
}

// Events carry 18-character ids; a page may hold either form. The first 15 identify a record.
function sameRecord(a, b) {
  return typeof a === 'string' && typeof b === 'string' && a.slice(0, 15) === b.slice(0, 15);
}

/** True when a sync update event concerns the given record. */
export function concernsRecord(message, recordId) {
  return sameRecord(updatedRecordId(message), recordId);
}

/** Number of components currently sharing a channel's subscription (for tests and diagnostics). */
export function listenerCount(channel = SYNC_UPDATE_CHANNEL) {
  return channels.get(channel)?.listeners.size ?? 0;
}

function fail(state, error) {
  if (state.failed) return;
  state.failed = error || new Error('Live updates are unavailable');
  // Forget the channel so a component mounted later tries again.
  if (channels.get(state.channel) === state) channels.delete(state.channel);
  state.listeners.forEach((listener) => listener.onFailure(state.failed));
}

// empApi reports errors after subscribing (e.g. access revoked, connection lost) through one
// page-wide callback; an error naming a channel fails that channel, one without a channel all.
function registerErrorHandler() {
  if (errorHandlerRegistered) return;
  errorHandlerRegistered = true;
  Promise.resolve(
    onError((error) => {
      const named = error?.subscription || error?.channel;
      [...channels.values()]
        .filter((state) => !named || named === state.channel)
        .forEach((state) => fail(state, error));
    }),
  ).catch(() => {
    errorHandlerRegistered = false;
  });
}

async function open(state) {
  if ((await isEmpEnabled()) === false) throw new Error('The Streaming API is not available');
  const subscription = await subscribe(state.channel, NEW_EVENTS_ONLY, (message) => {
    [...state.listeners].forEach((listener) => listener.onMessage(message));
  });
  if (!subscription) throw new Error(`Could not subscribe to ${state.channel}`);
  return subscription;
}

function channelState(channel) {
  let state = channels.get(channel);
  if (state) return state;
  state = { channel, listeners: new Set(), subscription: undefined, failed: undefined };
  channels.set(channel, state);
  registerErrorHandler();
  state.ready = open(state).then(
    (subscription) => {
      state.subscription = subscription;
      // Everyone left while subscribing: nobody needs it any more.
      if (state.listeners.size === 0) release(state);
      return !state.failed;
    },
    (error) => {
      fail(state, error);
      return false;
    },
  );
  return state;
}

function release(state) {
  if (channels.get(state.channel) === state) channels.delete(state.channel);
  if (state.subscription) {
    const subscription = state.subscription;
    state.subscription = undefined;
    unsubscribe(subscription, () => {});
  }
}

/**
 * Calls onUpdate(message) for sync update events about `recordId`, sharing the page's single
 * subscription to `channel`.
 * @returns {{ready: Promise<boolean>, stop: () => void}} ready resolves false (after calling
 *   onFailure) when live updates are unavailable; stop() leaves, also before ready settles.
 */
export function subscribeToRecordUpdates({
  recordId,
  onUpdate,
  onFailure,
  channel = SYNC_UPDATE_CHANNEL,
}) {
  const state = channelState(channel);
  let stopped = false;
  const listener = {
    onMessage(message) {
      if (!stopped && concernsRecord(message, recordId)) onUpdate(message);
    },
    onFailure(error) {
      if (!stopped && onFailure) onFailure(error);
    },
  };
  state.listeners.add(listener);
  return {
    ready: state.ready,
    stop() {
      if (stopped) return;
      stopped = true;
      state.listeners.delete(listener);
      if (state.listeners.size === 0 && state.subscription) release(state);
    },
  };
}
