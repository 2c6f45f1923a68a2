/**
 * The write-back as ONE Composite API request: the Opportunity updates (an sObject Collections
 * PATCH) and a `Co_Sell_Sync_Update__e` platform event per updated opportunity (a Collections
 * POST), so the record page updates live for sellers without an extra API call per batch.
 * Composite counts as one call toward the org's API limit ("Composite", REST API Developer Guide).
 *
 * Why a platform event: Change Data Capture needs View All Records on Opportunity, which sellers
 * do not have; Read on the event is enough to receive it. The event is a hint to reload: with
 * allOrNone=false each subrequest commits on its own, so an event can name a record whose update
 * failed, and the component re-reads the record instead of trusting the event's status.
 */
import type { Connection } from 'jsforce';
import { recordErrorToBridgeError, type RecordError } from './salesforce-errors';

/** The platform event (a package contract: force-app/main/default/objects/Co_Sell_Sync_Update__e). */
export const SYNC_UPDATE_EVENT = 'Co_Sell_Sync_Update__e';

export interface SaveResultLike {
  id?: string | null;
  success: boolean;
  created?: boolean;
  errors?: RecordError[];
}

interface CompositeResponse {
  compositeResponse: { body: unknown; httpStatusCode: number; referenceId: string }[];
}

/** Pure: one event per record; Sync_Status__c is null when the write did not touch the status. */
export function statusEvents(records: readonly Record<string, unknown>[]) {
  return records.map((record) => ({
    attributes: { type: SYNC_UPDATE_EVENT },
    Opportunity_Id__c: record.Id,
    Sync_Status__c: record.Partner_Center_Sync_Status__c ?? null,
  }));
}

/** Pure: the composite body for one batch (≤ 200 records: one collection each). */
export function writeBackRequest(apiVersion: string, records: readonly Record<string, unknown>[]) {
  const collections = `/services/data/v${apiVersion}/composite/sobjects`;
  return {
    allOrNone: false,
    compositeRequest: [
      {
        method: 'PATCH',
        url: collections,
        referenceId: 'writeBack',
        body: {
          allOrNone: false,
          records: records.map((r) => ({ attributes: { type: 'Opportunity' }, ...r })),
        },
      },
      {
        method: 'POST',
        url: collections,
        referenceId: 'statusEvents',
        body: { allOrNone: false, records: statusEvents(records) },
      },
    ],
  };
}

/**
 * Sends one batch; returns the per-record results of the updates, in order, and the number of
 * events Salesforce refused (they never fail the write-back: the record is already saved).
 */
export async function sendWriteBack(
  conn: Connection,
  records: readonly Record<string, unknown>[],
): Promise<{ results: SaveResultLike[]; eventsRefused: number; eventError?: string }> {
  const response = await conn.request<CompositeResponse>({
    method: 'POST',
    url: '/composite',
    body: JSON.stringify(writeBackRequest(conn.version, records)),
    headers: { 'content-type': 'application/json' },
  });
  const [update, events] = response.compositeResponse;
  if (!update || update.httpStatusCode >= 400 || !Array.isArray(update.body)) {
    // The whole collection failed (not one record): same taxonomy as a failed plain request.
    throw recordErrorToBridgeError(asErrors(update?.body), 'write back to Opportunity');
  }
  const eventResults = Array.isArray(events?.body) ? (events.body as SaveResultLike[]) : [];
  const refused =
    events && events.httpStatusCode >= 400
      ? records.length
      : eventResults.filter((r) => !r.success).length;
  const firstError =
    events && events.httpStatusCode >= 400
      ? asErrors(events.body)[0]?.message
      : eventResults.find((r) => !r.success)?.errors?.[0]?.message;
  return {
    results: update.body as SaveResultLike[],
    eventsRefused: refused,
    ...(firstError ? { eventError: firstError } : {}),
  };
}

function asErrors(body: unknown): RecordError[] {
  if (!Array.isArray(body)) return [{ message: 'composite write-back returned no result' }];
  return body.map((e: { errorCode?: string; statusCode?: string; message?: string }) => ({
    statusCode: e.statusCode ?? e.errorCode ?? 'UNKNOWN_EXCEPTION',
    message: e.message ?? '',
    fields: [],
  }));
}
