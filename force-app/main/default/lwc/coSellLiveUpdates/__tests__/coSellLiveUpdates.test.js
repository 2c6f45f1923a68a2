import { isEmpEnabled, onError, subscribe, unsubscribe } from 'lightning/empApi';
import {
  concernsRecord,
  listenerCount,
  SYNC_UPDATE_CHANNEL,
  subscribeToRecordUpdates,
} from 'c/coSellLiveUpdates';
import {
  deliverSyncUpdate,
  flushPromises,
  syncUpdateEvent,
} from '../../../../../test/lwc-test-utils';

const RECORD_ID = '006000000000001AAA';
const OTHER_ID = '006000000000002AAA';

describe('c-co-sell-live-updates', () => {
  const handles = [];
  // The module registers one page-wide empApi error handler, the first time a channel opens.
  let errorHandler;
  function join(options) {
    const handle = subscribeToRecordUpdates({
      recordId: RECORD_ID,
      onUpdate: jest.fn(),
      ...options,
    });
    handles.push(handle);
    return handle;
  }

  afterEach(() => {
    // Leave the shared subscription as the page does when its components go away.
    handles.splice(0).forEach((handle) => handle.stop());
    errorHandler = errorHandler || onError.mock.calls[0]?.[0];
    jest.clearAllMocks();
  });

  it('matches a sync update event by 15- or 18-character opportunity id', () => {
    expect(concernsRecord(syncUpdateEvent(RECORD_ID), RECORD_ID)).toBe(true);
    expect(concernsRecord(syncUpdateEvent(RECORD_ID), RECORD_ID.slice(0, 15))).toBe(true);
    expect(concernsRecord(syncUpdateEvent(OTHER_ID), RECORD_ID)).toBe(false);
    expect(concernsRecord({ data: {} }, RECORD_ID)).toBe(false);
  });

  it('R10: subscribes to the sync update platform event (not CDC, which sellers cannot read), new events only', async () => {
    const handle = join();
    await expect(handle.ready).resolves.toBe(true);
    expect(SYNC_UPDATE_CHANNEL).toBe('/event/Co_Sell_Sync_Update__e');
    expect(subscribe).toHaveBeenCalledWith(SYNC_UPDATE_CHANNEL, -1, expect.any(Function));
  });

  it('R10: calls back only for events about its own record', async () => {
    const onUpdate = jest.fn();
    await join({ onUpdate }).ready;

    deliverSyncUpdate(OTHER_ID, 'Error');
    expect(onUpdate).not.toHaveBeenCalled();
    deliverSyncUpdate(RECORD_ID, 'Synced');
    expect(onUpdate).toHaveBeenCalledTimes(1);
    expect(onUpdate.mock.calls[0][0].data.payload.Sync_Status__c).toBe('Synced');
  });

  it('shares one subscription between the components of a page and unsubscribes after the last leaves', async () => {
    const subscription = { channel: SYNC_UPDATE_CHANNEL, id: 'sub-1' };
    subscribe.mockResolvedValueOnce(subscription);
    const panel = jest.fn();
    const timeline = jest.fn();
    const other = jest.fn();
    const first = join({ onUpdate: panel });
    const second = join({ onUpdate: timeline });
    const third = join({ recordId: OTHER_ID, onUpdate: other });
    await Promise.all([first.ready, second.ready, third.ready]);

    expect(subscribe).toHaveBeenCalledTimes(1);
    expect(listenerCount()).toBe(3);
    deliverSyncUpdate(RECORD_ID);
    expect([panel, timeline, other].map((fn) => fn.mock.calls.length)).toEqual([1, 1, 0]);

    first.stop();
    third.stop();
    expect(unsubscribe).not.toHaveBeenCalled();
    deliverSyncUpdate(RECORD_ID);
    expect([panel, timeline].map((fn) => fn.mock.calls.length)).toEqual([1, 2]);

    second.stop();
    expect(unsubscribe).toHaveBeenCalledTimes(1);
    expect(unsubscribe).toHaveBeenCalledWith(subscription, expect.any(Function));
    expect(listenerCount()).toBe(0);
  });

  it('subscribes again for a component that arrives after everyone left', async () => {
    await join().ready;
    handles.pop().stop();
    await join().ready;
    expect(subscribe).toHaveBeenCalledTimes(2);
    expect(unsubscribe).toHaveBeenCalledTimes(1);
  });

  it('unsubscribes when the last component left before the subscription was confirmed', async () => {
    const subscription = { channel: SYNC_UPDATE_CHANNEL, id: 'sub-2' };
    subscribe.mockResolvedValueOnce(subscription);
    const handle = join();
    handle.stop();
    await handle.ready;
    expect(unsubscribe).toHaveBeenCalledWith(subscription, expect.any(Function));
  });

  it('ignores events that arrive after stop', async () => {
    const onUpdate = jest.fn();
    const handle = join({ onUpdate });
    await handle.ready;
    const listener = subscribe.mock.calls[0][2];
    handle.stop();
    listener(syncUpdateEvent(RECORD_ID));
    expect(onUpdate).not.toHaveBeenCalled();
  });

  it('reports a refused subscription to every component sharing it', async () => {
    subscribe.mockRejectedValueOnce(new Error('403::Forbidden'));
    const failures = [jest.fn(), jest.fn()];
    const first = join({ onFailure: failures[0] });
    const second = join({ onFailure: failures[1] });
    await expect(first.ready).resolves.toBe(false);
    await expect(second.ready).resolves.toBe(false);
    failures.forEach((onFailure) =>
      expect(onFailure).toHaveBeenCalledWith(
        expect.objectContaining({ message: '403::Forbidden' }),
      ),
    );
  });

  it('is unavailable when the Streaming API is not enabled for the page', async () => {
    isEmpEnabled.mockResolvedValueOnce(false);
    const onFailure = jest.fn();
    await expect(join({ onFailure }).ready).resolves.toBe(false);
    expect(subscribe).not.toHaveBeenCalled();
    expect(onFailure).toHaveBeenCalled();
  });

  it('turns a streaming error on its channel, reported later through onError, into unavailable', async () => {
    const onFailure = jest.fn();
    await join({ onFailure }).ready;
    errorHandler = errorHandler || onError.mock.calls[0]?.[0];
    expect(typeof errorHandler).toBe('function');
    errorHandler({ subscription: '/event/Something_Else__e', error: '403::Forbidden' });
    expect(onFailure).not.toHaveBeenCalled();
    errorHandler({ subscription: SYNC_UPDATE_CHANNEL, error: '403::Forbidden' });
    expect(onFailure).toHaveBeenCalledTimes(1);
    await flushPromises();
  });
});
