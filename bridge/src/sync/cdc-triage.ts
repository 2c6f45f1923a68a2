/**
 * Pure triage of one batch of Change Data Capture events (R9, R13): which opportunities need
 * outbound work, which junction rows still need their parent looked up, and whether the batch
 * forces a reconciliation sweep. No I/O, so the decision is testable event by event.
 */
import {
  OPPORTUNITY_ENTITY,
  SOLUTION_JUNCTION_ENTITY,
  SOLUTION_JUNCTION_PARENT_FIELD,
  outboundTriggerFields,
} from '../mapping';
import type { ChangeEvent, ChangeType } from '../salesforce';
import type { OutboundRequest } from '../store';
import { isOwnSalesforceChange } from './echo';

export type ChangeReason = 'created' | 'updated' | 'undeleted' | 'gap' | 'solutions';

export interface TriageResult {
  /** `reason` is a ChangeReason; the intake adds the coalescing `notBefore`. */
  requests: OutboundRequest[];
  /** Junction rows whose event did not say which opportunity they belong to. */
  junctionIdsToResolve: string[];
  /** A GAP_OVERFLOW (or a gap without record ids) means ids are unknown: sweep by SystemModstamp. */
  needsReconciliation: boolean;
  dropped: { echo: number; unmapped: number; other: number };
}

export interface TriageOptions {
  /** Our connection's API client id: changes made with it are our own echoes (echo.ts, R9). */
  clientName: string;
  /** Opportunity fields the admin's field mapping sends; a change to one is work too. */
  mappedTriggerFields?: ReadonlySet<string>;
}

const OVERFLOW_RECORD_ID = '000000000000000AAA';

function reasonFor(changeType: ChangeType): ChangeReason | undefined {
  switch (changeType) {
    case 'CREATE':
      return 'created';
    case 'UPDATE':
      return 'updated';
    case 'UNDELETE':
      return 'undeleted';
    default:
      return changeType.startsWith('GAP_') ? 'gap' : undefined;
  }
}

export function triageChangeEvents(
  events: readonly ChangeEvent[],
  options: TriageOptions,
): TriageResult {
  const result: TriageResult = {
    requests: [],
    junctionIdsToResolve: [],
    needsReconciliation: false,
    dropped: { echo: 0, unmapped: 0, other: 0 },
  };
  for (const event of events) {
    const { header } = event;
    const reason = reasonFor(header.changeType);
    const realIds = header.recordIds.filter((id) => id !== OVERFLOW_RECORD_ID);
    if (reason === 'gap') {
      // Gap events carry only the header: whatever happened, re-read the record. Gaps are
      // never treated as echoes, because the header alone does not prove who changed what.
      if (header.changeType === 'GAP_OVERFLOW' || realIds.length === 0) {
        result.needsReconciliation = true;
        continue;
      }
      if (header.entityName === OPPORTUNITY_ENTITY) {
        for (const id of realIds) result.requests.push({ opportunityId: id, reason });
      } else if (header.entityName === SOLUTION_JUNCTION_ENTITY) {
        result.junctionIdsToResolve.push(...realIds);
      } else {
        result.dropped.other += 1;
      }
      continue;
    }
    if (isOwnSalesforceChange(header, options.clientName)) {
      result.dropped.echo += 1;
      continue;
    }
    if (reason === undefined) {
      // DELETE: nothing left to send. A deleted solution row shows up as a roll-up change on
      // its opportunity instead.
      result.dropped.other += 1;
      continue;
    }
    if (header.entityName === OPPORTUNITY_ENTITY) {
      const changed = header.changedFields ?? [];
      if (reason === 'updated') {
        const relevant = outboundTriggerFields(changed, options.mappedTriggerFields);
        if (relevant.length === 0) {
          result.dropped.unmapped += 1;
          continue;
        }
        for (const id of realIds) {
          result.requests.push({ opportunityId: id, reason, changedFields: relevant });
        }
      } else {
        for (const id of realIds) result.requests.push({ opportunityId: id, reason });
      }
    } else if (header.entityName === SOLUTION_JUNCTION_ENTITY) {
      const parent = event.fields[SOLUTION_JUNCTION_PARENT_FIELD];
      if (typeof parent === 'string' && parent.length > 0) {
        result.requests.push({ opportunityId: parent, reason: 'solutions' });
      } else {
        result.junctionIdsToResolve.push(...realIds);
      }
    } else {
      result.dropped.other += 1;
    }
  }
  return result;
}
