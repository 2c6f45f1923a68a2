/**
 * The audit outbox and journal (R10, R18), the owner news it carries (issue 19), and retention
 * (what `prune` drops).
 */
import type { AuditEvent } from '../../schemas';

export interface NewsItem {
  id: number;
  /** The audit event; its `news` is set. */
  event: AuditEvent;
  /** Failed sends before this one. */
  attempts: number;
  /**
   * Which run of sync errors of its opportunity this event belongs to: the id of the outbound
   * sync (or "nothing to send") before it, 0 if none. Same value: no sync in between.
   */
  errorRun: number;
  /** A sync error with this message was already told to the owner in the same run. */
  sameErrorTold: boolean;
}

/** `retryAt` absent: done (told, nothing to tell, or refused for good: `error` says why). */
export interface NewsSettlement {
  id: number;
  retryAt?: Date;
  error?: string;
  /** The owner was told (Salesforce accepted the notification). */
  told?: boolean;
}

export interface JournalEntry extends AuditEvent {
  id: number;
  /** When it reached Salesforce, null while still in the audit outbox. */
  writtenAt: string | null;
}

export interface PruneOptions {
  journalRetentionDays: number;
  /** Finished inbox rows are the webhook dedupe memory; keep them longer than redelivery lasts. */
  inboxRetentionDays?: number;
}

export interface PruneResult {
  auditEvents: number;
  inboxItems: number;
  idempotencyKeys: number;
}
