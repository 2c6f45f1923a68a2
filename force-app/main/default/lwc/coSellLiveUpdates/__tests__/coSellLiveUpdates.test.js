import { subscribe, unsubscribe } from 'lightning/empApi';
import {
  concernsRecord,
  OPPORTUNITY_CHANGE_CHANNEL,
  subscribeToRecordChanges,
} from 'c/coSellLiveUpdates';
import { changeEvent, deliverChangeEvent } from '../../../../../test/lwc-test-utils';

const RECORD_ID = '006000000000001AAA';

describe('c-co-sell-live-updates', () => {
  afterEach(() => {
    jest.clearAllMocks();
  });

  it('matches a change event by 15- or 18-character record id', () => {
    expect(concernsRecord(changeEvent([RECORD_ID]), RECORD_ID)).toBe(true);
    expect(concernsRecord(changeEvent([RECORD_ID]), RECORD_ID.slice(0, 15))).toBe(true);
    expect(concernsRecord(changeEvent(['006000000000002AAA']), RECORD_ID)).toBe(false);
    expect(concernsRecord({ data: {} }, RECORD_ID)).toBe(false);
  });

  it('R10: calls back only for events about its record, from new events only', async () => {
    const onChange = jest.fn();
    const handle = subscribeToRecordChanges({
      channel: OPPORTUNITY_CHANGE_CHANNEL,
      recordId: RECORD_ID,
      onChange,
    });
    await expect(handle.ready).resolves.toBe(true);
    expect(subscribe).toHaveBeenCalledWith(OPPORTUNITY_CHANGE_CHANNEL, -1, expect.any(Function));

    deliverChangeEvent(['006000000000002AAA']);
    expect(onChange).not.toHaveBeenCalled();
    deliverChangeEvent(['006000000000002AAA', RECORD_ID]);
    expect(onChange).toHaveBeenCalledTimes(1);
  });

  it('unsubscribes on stop and ignores late events', async () => {
    const subscription = { channel: OPPORTUNITY_CHANGE_CHANNEL, id: 'sub-1' };
    subscribe.mockResolvedValueOnce(subscription);
    const onChange = jest.fn();
    const handle = subscribeToRecordChanges({
      channel: OPPORTUNITY_CHANGE_CHANNEL,
      recordId: RECORD_ID,
      onChange,
    });
    await handle.ready;
    handle.stop();
    expect(unsubscribe).toHaveBeenCalledWith(subscription, expect.any(Function));
    deliverChangeEvent([RECORD_ID]);
    expect(onChange).not.toHaveBeenCalled();
  });

  it('unsubscribes when stopped before the subscription was confirmed', async () => {
    const subscription = { channel: OPPORTUNITY_CHANGE_CHANNEL, id: 'sub-2' };
    subscribe.mockResolvedValueOnce(subscription);
    const handle = subscribeToRecordChanges({
      channel: OPPORTUNITY_CHANGE_CHANNEL,
      recordId: RECORD_ID,
      onChange: jest.fn(),
    });
    handle.stop();
    await handle.ready;
    expect(unsubscribe).toHaveBeenCalledWith(subscription, expect.any(Function));
  });

  it('reports a failed subscription instead of throwing', async () => {
    subscribe.mockRejectedValueOnce(new Error('Streaming API not enabled'));
    const onFailure = jest.fn();
    const handle = subscribeToRecordChanges({
      channel: OPPORTUNITY_CHANGE_CHANNEL,
      recordId: RECORD_ID,
      onChange: jest.fn(),
      onFailure,
    });
    await expect(handle.ready).resolves.toBe(false);
    expect(onFailure).toHaveBeenCalledWith(
      expect.objectContaining({ message: 'Streaming API not enabled' }),
    );
  });
});
