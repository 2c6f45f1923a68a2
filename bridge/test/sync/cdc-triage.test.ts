import type { ChangeEvent, ChangeType } from '../../src/salesforce';
import { triageChangeEvents } from '../../src/sync/cdc-triage';

const ownClient = 'CoSellSync';
const clientName = ownClient;

let replay = 0;
function event(
  entityName: string,
  changeType: ChangeType,
  recordIds: string[],
  extra: { changedFields?: string[]; origin?: string; fields?: Record<string, unknown> } = {},
): ChangeEvent {
  replay += 1;
  return {
    replayId: replay,
    header: {
      entityName,
      recordIds,
      changeType,
      changeOrigin: extra.origin ?? 'com/salesforce/api/rest/62.0',
      changedFields: extra.changedFields ?? [],
      transactionKey: `tx-${replay}`,
      sequenceNumber: 1,
      commitTimestamp: 1_700_000_000_000 + replay,
      commitUser: '005000000000001AAA',
    },
    fields: extra.fields ?? {},
  };
}

describe('triageChangeEvents', () => {
  it('R9: drops the bridge’s own writes by changeOrigin client id, keeps a seller’s edit', () => {
    const result = triageChangeEvents(
      [
        event('Opportunity', 'UPDATE', ['006A'], {
          changedFields: ['Amount', 'LastModifiedDate'],
          origin: `com/salesforce/api/rest/62.0;client=${ownClient}`,
        }),
        event('Opportunity', 'UPDATE', ['006B'], { changedFields: ['Amount', 'LastModifiedDate'] }),
      ],
      { clientName },
    );
    expect(result.requests).toEqual([
      { opportunityId: '006B', reason: 'updated', changedFields: ['Amount'] },
    ]);
    expect(result.dropped.echo).toBe(1);
  });

  it('R1: ignores updates that touch no field we map', () => {
    const result = triageChangeEvents(
      [
        event('Opportunity', 'UPDATE', ['006A'], {
          changedFields: ['NextStep', 'LastModifiedDate'],
        }),
      ],
      { clientName },
    );
    expect(result.requests).toEqual([]);
    expect(result.dropped.unmapped).toBe(1);
  });

  it('enqueues every record of a merged create event', () => {
    const result = triageChangeEvents([event('Opportunity', 'CREATE', ['006A', '006B'])], {
      clientName,
    });
    expect(result.requests.map((r) => r.opportunityId)).toEqual(['006A', '006B']);
  });

  it('maps a solution junction row to its opportunity, or asks to resolve it when the event lacks the parent', () => {
    const result = triageChangeEvents(
      [
        event('Co_Sell_Solution__c', 'CREATE', ['a01X'], { fields: { Opportunity__c: '006A' } }),
        event('Co_Sell_Solution__c', 'UPDATE', ['a01Y'], {
          changedFields: ['Microsoft_Solution__c'],
        }),
      ],
      { clientName },
    );
    expect(result.requests).toEqual([{ opportunityId: '006A', reason: 'solutions' }]);
    expect(result.junctionIdsToResolve).toEqual(['a01Y']);
  });

  it('R13: a gap event re-reads its records even with our origin; an overflow asks for reconciliation', () => {
    const result = triageChangeEvents(
      [
        event('Opportunity', 'GAP_UPDATE', ['006A'], {
          origin: `com/salesforce/api/rest/62.0;client=${ownClient}`,
        }),
        event('Opportunity', 'GAP_OVERFLOW', ['000000000000000AAA']),
      ],
      { clientName },
    );
    expect(result.requests).toEqual([{ opportunityId: '006A', reason: 'gap' }]);
    expect(result.needsReconciliation).toBe(true);
  });

  it('ignores deletes', () => {
    const result = triageChangeEvents([event('Opportunity', 'DELETE', ['006A'])], { clientName });
    expect(result.requests).toEqual([]);
    expect(result.dropped.other).toBe(1);
  });
});
