import { z } from 'zod';

/**
 * Change Data Capture over CometD, as faye hands it to a listener (`message.data`):
 * `{ schema, payload: { ChangeEventHeader, …changed fields }, event: { replayId } }`.
 * https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_message_structure.htm
 */
export const changeTypeSchema = z.enum([
  'CREATE',
  'UPDATE',
  'DELETE',
  'UNDELETE',
  'GAP_CREATE',
  'GAP_UPDATE',
  'GAP_DELETE',
  'GAP_UNDELETE',
  'GAP_OVERFLOW',
]);
export type ChangeType = z.infer<typeof changeTypeSchema>;

export const changeEventHeaderSchema = z.object({
  entityName: z.string().min(1),
  recordIds: z.array(z.string().min(1)).min(1),
  changeType: changeTypeSchema,
  changeOrigin: z.string().default(''),
  transactionKey: z.string().min(1),
  sequenceNumber: z.number().int(),
  commitTimestamp: z.number().int(),
  commitNumber: z.number().optional(),
  commitUser: z.string().min(1),
  // Only UPDATE carries it; CREATE/DELETE/UNDELETE and gap events omit it.
  changedFields: z.array(z.string()).default([]),
});
export type ChangeEventHeader = z.infer<typeof changeEventHeaderSchema>;

export const changeEventMessageSchema = z.object({
  schema: z.string().optional(),
  payload: z.looseObject({ ChangeEventHeader: changeEventHeaderSchema }),
  event: z.object({ replayId: z.number().int() }),
});

/** One validated change event: header, the changed field values and where it sits in the stream. */
export interface ChangeEvent {
  replayId: number;
  header: ChangeEventHeader;
  /** The body fields Salesforce sent (CometD: changed fields only for UPDATE; nulled = null). */
  fields: Record<string, unknown>;
}

export type ParsedChangeEvent =
  { ok: true; event: ChangeEvent } | { ok: false; replayId: number | undefined; problem: string };

/** Validate one CometD message body (a trust boundary: it comes off the network). */
export function parseChangeEvent(data: unknown): ParsedChangeEvent {
  const parsed = changeEventMessageSchema.safeParse(data);
  if (!parsed.success) {
    const replayId = (data as { event?: { replayId?: unknown } } | undefined)?.event?.replayId;
    return {
      ok: false,
      replayId: typeof replayId === 'number' ? replayId : undefined,
      problem: z.prettifyError(parsed.error),
    };
  }
  const { ChangeEventHeader: header, ...fields } = parsed.data.payload;
  return { ok: true, event: { replayId: parsed.data.event.replayId, header, fields } };
}

/** Gap and overflow events carry no field values: re-read (or reconcile) instead. */
export function isGapEvent(header: ChangeEventHeader): boolean {
  return header.changeType.startsWith('GAP_');
}

/**
 * The API client id a change was made with (`Sforce-Call-Options: client=<id>`), or null. Format
 * `com/salesforce/api/<api>/<version>;client=<id>`; Workbench-style ids end with a slash.
 * Whether that client is the bridge is sync/echo.ts's decision (R9).
 */
export function changeOriginClient(header: Pick<ChangeEventHeader, 'changeOrigin'>): string | null {
  const match = /;client=([^;]*)$/.exec(header.changeOrigin);
  if (!match?.[1]) return null;
  return match[1].replace(/\/+$/, '');
}
