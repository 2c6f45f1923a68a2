/**
 * One sync attempt, in either direction, as the store journals it and as it is written to
 * `Co_Sell_Sync_Event__c` (R10). Shared by store/ (the journal `explain` reads) and salesforce/
 * (the writer), which may not import each other.
 */
export type AuditDirection = 'Outbound' | 'Inbound';
export type AuditOutcome = 'Success' | 'Error' | 'Ignored' | 'Skipped';

export interface AuditEvent {
  opportunityId: string | null;
  direction: AuditDirection;
  outcome: AuditOutcome;
  message: string;
  referralId: string | null;
  apiCalls: number;
  /** ISO 8601 timestamp. */
  occurredAt: string;
}
