import { createHash, randomUUID } from 'node:crypto';
import { cometdDateTime } from '../clock';
import type { CommittedTransaction, TransactionOrigin } from '../data/org';
import type { RecordChange, SRecord } from '../data/record-store';
import { entityToChangeEvent } from '../schema/metadata-loader';
import type { ObjectDef } from '../schema/types';
import type { EventLog } from './event-log';

export const ALL_CHANGE_EVENTS = '/data/ChangeEvents';

export type GapType = 'GAP_CREATE' | 'GAP_UPDATE' | 'GAP_DELETE' | 'GAP_UNDELETE' | 'GAP_OVERFLOW';

/** The record id Salesforce puts in GAP_OVERFLOW headers. */
export const OVERFLOW_RECORD_ID = '000000000000000AAA';

/** Fields a CometD change event body never carries ("Change Event Body Fields"). */
const NEVER_IN_BODY = new Set(['Id', 'IsDeleted', 'SystemModstamp']);

export function channelFor(obj: ObjectDef): string {
  return `/data/${entityToChangeEvent(obj.name)}`;
}

/** A stable 22-character schema id per entity, like Salesforce's `schema` value. */
export function schemaId(entity: string): string {
  return createHash('sha256').update(entity).digest('base64url').slice(0, 22);
}

/** `com/salesforce/api/rest/62.0;client=CoSellSync`; empty for UI-like changes. */
export function changeOriginOf(origin: TransactionOrigin): string {
  if (origin.api !== 'rest') return '';
  const base = `com/salesforce/api/rest/${origin.apiVersion}`;
  return origin.clientId ? `${base};client=${origin.clientId}` : base;
}

function bodyValue(obj: ObjectDef, name: string, value: unknown): unknown {
  const f = obj.fields.get(name.toLowerCase());
  if (f?.type === 'datetime' && typeof value === 'string') return cometdDateTime(value);
  return value;
}

function body(obj: ObjectDef, change: RecordChange, fields: SRecord): SRecord {
  const out: SRecord = {};
  if (change.type === 'DELETE') return out;
  const names =
    change.type === 'UPDATE'
      ? [...change.changedFields]
      : Object.keys(fields).filter((k) => fields[k] !== null && fields[k] !== undefined);
  for (const name of names) {
    if (NEVER_IN_BODY.has(name)) continue;
    if (obj.fields.get(name.toLowerCase())?.formula) continue;
    out[name] = bodyValue(obj, name, fields[name] ?? null);
  }
  return out;
}

/**
 * Publishes one change event per record per transaction, with the ChangeEventHeader fields of
 * "Change Event Header Fields", on the entity channel and on /data/ChangeEvents.
 */
export class ChangeEventPublisher {
  private commitNumber = 0;

  constructor(private readonly log: EventLog) {}

  publish(committed: CommittedTransaction): void {
    const { origin, changes, commitTimestamp, org } = committed;
    const transactionKey = randomUUID();
    const commitNumber = ++this.commitNumber;
    let sequenceNumber = 0;
    for (const change of changes) {
      const obj = org.schema.object(change.object);
      if (!obj?.cdcEnabled) continue;
      const rec = org.store.get(change.id);
      sequenceNumber += 1;
      const header: SRecord = {
        entityName: obj.name,
        recordIds: [change.id],
        changeType: change.type,
        changeOrigin: changeOriginOf(origin),
        transactionKey,
        sequenceNumber,
        commitTimestamp,
        commitNumber,
        commitUser: origin.userId,
      };
      if (change.type === 'UPDATE') header.changedFields = [...change.changedFields];
      else header.changedFields = [];
      this.append(
        obj,
        { ChangeEventHeader: header, ...body(obj, change, rec?.fields ?? {}) },
        commitTimestamp,
      );
    }
  }

  /** Header-only gap or overflow event ("Gap Events", "Overflow Events"). */
  publishGap(
    obj: ObjectDef,
    changeType: GapType,
    recordIds: string[],
    userId: string,
    now: number,
  ): void {
    const header = {
      entityName: obj.name,
      recordIds: changeType === 'GAP_OVERFLOW' ? [OVERFLOW_RECORD_ID] : recordIds,
      changeType,
      changeOrigin: '',
      transactionKey: randomUUID(),
      sequenceNumber: 1,
      commitTimestamp: now,
      commitNumber: ++this.commitNumber,
      commitUser: userId,
      changedFields: [],
    };
    this.append(obj, { ChangeEventHeader: header }, now);
  }

  private append(obj: ObjectDef, payload: SRecord, now: number): void {
    this.log.append(
      [channelFor(obj), ALL_CHANGE_EVENTS],
      { schema: schemaId(obj.name), payload },
      now,
    );
  }

  reset(): void {
    this.commitNumber = 0;
  }
}
