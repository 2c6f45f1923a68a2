/**
 * Live refresh through lightning/empApi: the bridge's write-backs reach the page as Change Data
 * Capture events, so components re-read the record instead of asking the seller to reload.
 */
import { subscribe, unsubscribe } from 'lightning/empApi';

export const OPPORTUNITY_CHANGE_CHANNEL = '/data/OpportunityChangeEvent';
// Replay -1: only new events. The page reads current state through its wires on load.
const NEW_EVENTS_ONLY = -1;

/** Record ids in a CDC message ({channel, data: {payload: {ChangeEventHeader}}}). */
export function changedRecordIds(message) {
  const header = message?.data?.payload?.ChangeEventHeader;
  return Array.isArray(header?.recordIds) ? header.recordIds : [];
}

// CDC carries 18-character ids; a page may hold either form. The first 15 characters identify a record.
function sameRecord(a, b) {
  return typeof a === 'string' && typeof b === 'string' && a.slice(0, 15) === b.slice(0, 15);
}

/** True when a CDC message concerns the given record. */
export function concernsRecord(message, recordId) {
  return changedRecordIds(message).some((id) => sameRecord(id, recordId));
}

/**
 * Subscribes to `channel` and calls onChange(message) for events about `recordId`.
 * @returns {{ready: Promise<boolean>, stop: () => void}} ready resolves false (after calling
 *   onFailure) when subscribing failed; stop() unsubscribes, also if called before ready settles.
 */
export function subscribeToRecordChanges({ channel, recordId, onChange, onFailure }) {
  let subscription;
  let stopped = false;
  const ready = subscribe(channel, NEW_EVENTS_ONLY, (message) => {
    if (!stopped && concernsRecord(message, recordId)) onChange(message);
  })
    .then((result) => {
      subscription = result;
      if (stopped) unsubscribe(result, () => {});
      return true;
    })
    .catch((error) => {
      if (onFailure) onFailure(error);
      return false;
    });
  return {
    ready,
    stop() {
      stopped = true;
      if (subscription) unsubscribe(subscription, () => {});
    },
  };
}
