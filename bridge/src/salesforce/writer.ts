import type { Connection } from 'jsforce';
import type { Logger } from 'pino';
import type { BridgeError } from '../errors';
import type { AuditEvent } from '../schemas';
import type { SalesforceConnection } from './connection';
import { recordErrorToBridgeError } from './salesforce-errors';
import { sendWriteBack, SYNC_UPDATE_EVENT, type SaveResultLike } from './write-back-request';

/**
 * sObject Collections take at most 200 records per request.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections.htm
 */
export const MAX_RECORDS_PER_COMPOSITE = 200;

/** Audit of attempts on an opportunity: a master-detail child, controlled by its opportunity. */
export const AUDIT_EVENT = 'Co_Sell_Sync_Event__c';
/** Audit of attempts about no opportunity: Private, read by administrators only. */
export const UNLINKED_EVENT = 'Co_Sell_Unlinked_Event__c';

/** Co_Sell_Sync_Event__c.Message__c is a 32,768-character long text area. */
const MESSAGE_MAX_LENGTH = 32_768;

export interface FieldUpdate {
  id: string;
  fields: Record<string, unknown>;
}

export interface SolutionRow {
  /** Partner Center solution id, e.g. "SOL-15974-MQF" (Microsoft_Solution__c.Solution_Id__c). */
  solutionId: string;
  name: string;
  isActive?: boolean;
}

/** One record's result. A failing record never fails the rest of its batch. */
export interface WriteResult {
  /** The record id (for creates: the new id; '' when the record was not saved). */
  id: string;
  success: boolean;
  /** One line for the store and the audit trail. */
  error?: string;
  /** The classified error: retry (transient), wait for data (permanent) or grant access. */
  failure?: BridgeError;
  /** Upserts: true when the record was inserted. */
  created?: boolean;
}

export interface SalesforceWriterOptions {
  salesforce: Pick<SalesforceConnection, 'run'>;
  logger: Logger;
}

export interface SalesforceWriter {
  /**
   * Opportunity field updates plus one Co_Sell_Sync_Update__e each, ONE Composite call per 200
   * records; results in input order.
   */
  writeBack(updates: readonly FieldUpdate[]): Promise<WriteResult[]>;
  /**
   * Audit inserts, 200 per call (R10): Co_Sell_Sync_Event__c for an opportunity,
   * Co_Sell_Unlinked_Event__c for none (both types in one sObject Collections request).
   */
  writeAuditEvents(events: readonly AuditEvent[]): Promise<WriteResult[]>;
  /** Microsoft_Solution__c upserts by Solution_Id__c, 200 per call (R17). */
  upsertSolutions(rows: readonly SolutionRow[]): Promise<WriteResult[]>;
}

type Save = (conn: Connection, records: Record<string, unknown>[]) => Promise<SaveResultLike[]>;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size)
    result.push(items.slice(start, start + size));
  return result;
}

export function createSalesforceWriter(options: SalesforceWriterOptions): SalesforceWriter {
  const { salesforce, logger } = options;

  /** Send records in collections of 200; map every record to a result, also when a whole call fails. */
  async function saveInBatches(
    operation: string,
    records: Record<string, unknown>[],
    knownIds: (string | undefined)[],
    save: Save,
  ): Promise<WriteResult[]> {
    const results: WriteResult[] = [];
    const idBatches = chunks(knownIds, MAX_RECORDS_PER_COMPOSITE);
    for (const [index, batch] of chunks(records, MAX_RECORDS_PER_COMPOSITE).entries()) {
      const ids = idBatches[index] ?? [];
      try {
        const saved = await salesforce.run(operation, (conn) => save(conn, batch));
        saved.forEach((result, position) => {
          const id = result.id ?? ids[position] ?? '';
          if (result.success) {
            results.push({
              id,
              success: true,
              ...(result.created !== undefined ? { created: result.created } : {}),
            });
            return;
          }
          const failure = recordErrorToBridgeError(result.errors ?? [], operation);
          results.push({ id, success: false, error: failure.message, failure });
        });
      } catch (error) {
        const failure = error as BridgeError;
        logger.warn(
          {
            event: 'salesforce.batch_failed',
            operation,
            records: batch.length,
            err: failure.message,
          },
          `${operation} batch failed`,
        );
        for (const id of ids)
          results.push({ id: id ?? '', success: false, error: failure.message, failure });
      }
    }
    return results;
  }

  return {
    async writeBack(updates) {
      // One collection may not name a record twice; the latest update for a record wins.
      const merged = new Map<string, Record<string, unknown>>();
      for (const update of updates)
        merged.set(update.id, { ...(merged.get(update.id) ?? {}), ...update.fields });
      const ids = [...merged.keys()];
      const records = ids.map((id) => ({ Id: id, ...merged.get(id) }));
      const byId = new Map(
        (
          await saveInBatches('write back to Opportunity', records, ids, async (conn, batch) => {
            const sent = await sendWriteBack(conn, batch);
            if (sent.eventsRefused > 0) {
              // The records are saved; only the live refresh is lost (a reload still shows it).
              logger.warn(
                {
                  event: 'salesforce.status_events_refused',
                  refused: sent.eventsRefused,
                  err: sent.eventError,
                },
                `${SYNC_UPDATE_EVENT} refused; record pages will not refresh by themselves`,
              );
            }
            return sent.results;
          })
        ).map((result, index) => [ids[index]!, result]),
      );
      return updates.map((update) => byId.get(update.id)!);
    },

    writeAuditEvents(events) {
      // An attempt about an opportunity is its detail record (visible to whoever sees the
      // opportunity); one about no opportunity is admin-only. One collection holds both types.
      const records = events.map((event) => ({
        attributes: { type: event.opportunityId ? AUDIT_EVENT : UNLINKED_EVENT },
        ...(event.opportunityId ? { Opportunity__c: event.opportunityId } : {}),
        Direction__c: event.direction,
        Outcome__c: event.outcome,
        Message__c: event.message.slice(0, MESSAGE_MAX_LENGTH),
        Referral_Id__c: event.referralId,
        Api_Calls__c: event.apiCalls,
        Occurred_At__c: event.occurredAt,
      }));
      return saveInBatches(
        'write audit events',
        records,
        events.map(() => undefined),
        (conn, batch) =>
          conn.request<SaveResultLike[]>({
            method: 'POST',
            url: '/composite/sobjects',
            body: JSON.stringify({ allOrNone: false, records: batch }),
            headers: { 'content-type': 'application/json' },
          }),
      );
    },

    upsertSolutions(rows) {
      const records = rows.map((row) => ({
        Solution_Id__c: row.solutionId,
        Name: row.name,
        Is_Active__c: row.isActive ?? true,
      }));
      return saveInBatches(
        'upsert Microsoft solutions',
        records,
        rows.map(() => undefined),
        (conn, batch) =>
          conn
            .sobject('Microsoft_Solution__c')
            .upsert(batch, 'Solution_Id__c', { allOrNone: false }),
      );
    },
  };
}
