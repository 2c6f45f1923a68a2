import type { ChangeEvent } from '../../src/salesforce/change-event';
import {
  eventBatchLength,
  MAX_EVENTS_PER_BATCH,
  type WorkItem,
} from '../../src/salesforce/cdc-channel';
import {
  errorText,
  isInvalidReplayError,
  isNewReplay,
  REPLAY_NEW_EVENTS_ONLY,
  replayIdToSubscribe,
} from '../../src/salesforce/cdc-replay';

/** The CDC subscriber's pure steps, without a CometD server: replay positions and batching. */
const event = (replayId: number): WorkItem => ({
  kind: 'event',
  event: { replayId } as ChangeEvent,
});

describe('CDC subscriber steps (pure)', () => {
  it('R13: resubscribes after the last durable event, at −1 after a refused replay id or with none', () => {
    expect(replayIdToSubscribe({ staleReplayId: undefined, durableReplayId: 42 })).toBe(42);
    expect(replayIdToSubscribe({ staleReplayId: 7, durableReplayId: 42 })).toBe(
      REPLAY_NEW_EVENTS_ONLY,
    );
    expect(replayIdToSubscribe({ staleReplayId: undefined, durableReplayId: undefined })).toBe(
      REPLAY_NEW_EVENTS_ONLY,
    );
  });

  it('drops what faye re-delivers at or below the queued (else durable) replay id', () => {
    expect(isNewReplay(5, { lastQueuedReplayId: undefined, durableReplayId: undefined })).toBe(
      true,
    );
    expect(isNewReplay(5, { lastQueuedReplayId: undefined, durableReplayId: 5 })).toBe(false);
    expect(isNewReplay(6, { lastQueuedReplayId: 8, durableReplayId: 5 })).toBe(false);
    expect(isNewReplay(9, { lastQueuedReplayId: 8, durableReplayId: 5 })).toBe(true);
  });

  it('reads both of Salesforce’s texts for an expired replay id, and faye’s error objects', () => {
    expect(isInvalidReplayError('400::The replayId {42} you provided was invalid.')).toBe(true);
    expect(
      isInvalidReplayError(
        "400::The replay ID map wasn't found using the provided replay ID map for the channel",
      ),
    ).toBe(true);
    expect(isInvalidReplayError('403::Unknown client')).toBe(false);
    expect(errorText({ code: 400, message: '400::bad replayId' })).toBe('400::bad replayId');
    expect(errorText('plain')).toBe('plain');
    expect(errorText({ code: 1 })).toBe('{"code":1}');
  });

  it('batches consecutive events up to the composite limit; a stream notice ends a batch', () => {
    expect(eventBatchLength([])).toBe(0);
    expect(eventBatchLength([event(1), event(2), { kind: 'new-events-only' }, event(3)])).toBe(2);
    expect(eventBatchLength([{ kind: 'replay-invalid', staleReplayId: 1 }, event(2)])).toBe(0);
    const many = Array.from({ length: MAX_EVENTS_PER_BATCH + 5 }, (_, i) => event(i));
    expect(eventBatchLength(many)).toBe(MAX_EVENTS_PER_BATCH);
  });
});
