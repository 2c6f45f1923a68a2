/**
 * Writes Partner Center's news to one opportunity. Both directions land a referral's fields in
 * Salesforce through here: the inbound worker, and the outbound worker when a 412 shows a
 * Partner Center change that Salesforce has not got yet.
 */
import { PermanentError } from '../errors';
import { inboundAppliedFields } from '../mapping';
import type { OpportunitySnapshot } from '../schemas';
import type { SalesforceWriter } from '../salesforce';

export type ApplyFields = (
  snapshot: OpportunitySnapshot,
  fields: Record<string, unknown>,
) => Promise<void>;

/**
 * An opportunity in Error keeps its status and message: the seller still has to fix what stops
 * the outbound sync (and the package's rules would refuse "Synced" on it), but Partner Center's
 * news (e.g. Won) is applied regardless (`inboundAppliedFields`). Nothing to write costs no call.
 */
export function createApplyFields(deps: {
  writer: Pick<SalesforceWriter, 'writeBack'>;
  now: () => Date;
}): ApplyFields {
  return async function applyFields(snapshot, fields) {
    if (Object.keys(fields).length === 0) return;
    const [result] = await deps.writer.writeBack([
      { id: snapshot.id, fields: inboundAppliedFields(snapshot, fields, deps.now()) },
    ]);
    if (result && !result.success) {
      throw (
        result.failure ??
        new PermanentError(
          `Salesforce refused the update of opportunity ${snapshot.id}: ${result.error ?? 'unknown error'}`,
          'salesforce',
        )
      );
    }
  };
}
