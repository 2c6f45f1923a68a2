import {
  changeOriginClient,
  isGapEvent,
  parseChangeEvent,
} from '../../src/salesforce/change-event';

const header = {
  entityName: 'Opportunity',
  recordIds: ['006000000000001AAA'],
  changeType: 'UPDATE',
  changeOrigin: 'com/salesforce/api/rest/62.0;client=cosell-bridge',
  transactionKey: '001b7375-0086-250e-e6ca-b99bc3a8b69f',
  sequenceNumber: 1,
  commitTimestamp: 1501010206653,
  commitNumber: 92847272780,
  commitUser: '005000000000001AAA',
  changedFields: ['StageName', 'LastModifiedDate'],
};

describe('changeOriginClient (the API client a change was made with)', () => {
  it.each([
    ['com/salesforce/api/rest/62.0;client=cosell-bridge', 'cosell-bridge'],
    ['com/salesforce/api/soap/61.0;client=cosell-bridge/', 'cosell-bridge'],
    ['com/salesforce/api/rest/62.0;client=Workbench/', 'Workbench'],
    ['com/salesforce/api/rest/62.0;client=cosell-bridge-2', 'cosell-bridge-2'],
    ['com/salesforce/api/rest/62.0', null],
    ['com.salesforce.core', null],
    ['', null],
  ])('%s → %s', (changeOrigin, expected) => {
    expect(changeOriginClient({ changeOrigin })).toBe(expected);
  });
});

describe('parseChangeEvent', () => {
  it('splits header and changed fields and keeps the replay id', () => {
    const parsed = parseChangeEvent({
      schema: 'IeRuaY6cbI_HsV8Rv1Mc5g',
      payload: {
        ChangeEventHeader: header,
        StageName: 'Closed Won',
        LastModifiedDate: '2017-07-25T19:16:44Z',
      },
      event: { replayId: 6421 },
    });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.event.replayId).toBe(6421);
    expect(parsed.event.header.changedFields).toEqual(['StageName', 'LastModifiedDate']);
    expect(parsed.event.fields).toEqual({
      StageName: 'Closed Won',
      LastModifiedDate: '2017-07-25T19:16:44Z',
    });
  });

  it('defaults changedFields for CREATE (which carries none)', () => {
    const { changedFields: _omit, ...createHeader } = header;
    const parsed = parseChangeEvent({
      payload: { ChangeEventHeader: { ...createHeader, changeType: 'CREATE' } },
      event: { replayId: 1 },
    });
    expect(parsed.ok && parsed.event.header.changedFields).toEqual([]);
  });

  it('reports a malformed event with its replay id instead of throwing', () => {
    const parsed = parseChangeEvent({
      payload: { ChangeEventHeader: { ...header, changeType: 'SOMETHING' } },
      event: { replayId: 77 },
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.replayId).toBe(77);
    expect(parsed.problem).toContain('changeType');
    expect(parseChangeEvent('not an object').ok).toBe(false);
  });

  it('recognises gap and overflow events', () => {
    expect(isGapEvent({ ...header, changeType: 'GAP_UPDATE' })).toBe(true);
    expect(isGapEvent({ ...header, changeType: 'GAP_OVERFLOW' })).toBe(true);
    expect(isGapEvent({ ...header, changeType: 'UPDATE' })).toBe(false);
  });
});
