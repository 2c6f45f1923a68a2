/**
 * One sync attempt, in either direction, as the store journals it and as it is written to
 * `Co_Sell_Sync_Event__c` (R10). Shared by store/ (the journal `explain` reads) and salesforce/
 * (the writer), which may not import each other.
 */
export type AuditDirection = 'Outbound' | 'Inbound';
export type AuditOutcome = 'Success' | 'Error' | 'Ignored' | 'Skipped';

/**
 * News for the opportunity's owner (issue 19; BRIDGE_NOTIFICATIONS names them). Here rather than
 * in mapping/ because the store persists it with the event.
 */
export const NEWS_KINDS = ['new-referral', 'sync-error', 'status', 'expiring'] as const;
export type NewsKind = (typeof NEWS_KINDS)[number];

export interface AuditEvent {
  opportunityId: string | null;
  direction: AuditDirection;
  outcome: AuditOutcome;
  message: string;
  referralId: string | null;
  apiCalls: number;
  /** ISO 8601 timestamp. */
  occurredAt: string;
  /**
   * The news this attempt carries for the owner, stated by the step that made it (never guessed
   * from `message`, whose wording is free to change); absent when there is none.
   */
  news?: NewsKind;
}
