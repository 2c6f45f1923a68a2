/**
 * The work queues: the CDC replay cursor, outbound jobs (Salesforce → Partner Center), inbox
 * deliveries (Partner Center → Salesforce), how a claimed job is settled, and what operators see
 * of them (failures, queue depths).
 */
import type { Referral } from '../../schemas';

export interface ReplayCursor {
  channel: string;
  replayId: number;
  updatedAt: string;
}

export interface OutboundRequest {
  opportunityId: string;
  /** Why: `cdc:UPDATE`, `reconcile`, `resync`, `operator`… (shown by `explain`). */
  reason: string;
  changedFields?: readonly string[];
  receivedAt?: Date;
  /**
   * Not before this time. Defaults to `receivedAt` + the store's coalescing window. A newer
   * request for the same opportunity replaces it, so a burst of edits becomes one call (R1).
   */
  notBefore?: Date;
}

export interface ClaimOptions {
  /** Lease length; after it a crashed worker's job is claimable again. */
  leaseMs?: number;
}

/** A job is referred to by id, or by the claim (id + token) that proves the lease is ours. */
export type JobRef = number | { id: number; claimToken?: string };

export type CompletionResult =
  'completed' | 'failed' | 'retrying' | 'requeued' | 'lost' | 'missing';

/** One job of a batch and how it ended: `failure` absent = completed. */
export interface OutboundSettlement {
  job: JobRef;
  failure?: JobFailure;
}

export interface JobFailure {
  error: string;
  /** Permanent failures wait for a data change or an operator; transient ones retry at `retryAt`. */
  permanent: boolean;
  retryAt: Date | null;
}

export interface OutboundJob {
  id: number;
  opportunityId: string;
  reason: string;
  changedFields: string[];
  /** Attempts made before this one. */
  attempts: number;
  firstRequestedAt: string;
  lastError: string | null;
  claimToken: string;
  leaseExpiresAt: string;
}

export interface QueuedJob {
  id: number;
  direction: 'outbound' | 'inbound';
  subjectId: string;
  reason: string;
  state: 'pending' | 'failed' | 'done';
  attempts: number;
  notBefore: string;
  lastError: string | null;
  leasedUntil: string | null;
}

/**
 * Where an inbox item came from. A webhook only says "referral X changed" (the worker reads it);
 * the catch-up sweep (R13) lists referrals with their state, which rides along so the worker
 * needs no second read.
 */
export type InboxSource = 'webhook' | 'catch-up';

interface InboxDeliveryBase {
  /** Idempotency: a delivery whose key is known (pending, failed or done) is not stored again. */
  dedupeKey: string;
  referralId: string;
  /** When the referral changed: the webhook's ResourceChangeUtcDate, the listed updatedDateTime. */
  resourceChangeUtc: string | null;
  receivedAt: Date;
}

export type InboxDelivery =
  | (InboxDeliveryBase & {
      source: 'webhook';
      eventName: string;
      /** The raw, signature-verified body, kept for `explain` and reprocessing. */
      body: string;
    })
  | (InboxDeliveryBase & {
      source: 'catch-up';
      /** The referral as the catch-up listed it. */
      referral: Referral;
    });

interface InboxItemBase {
  id: number;
  referralId: string;
  resourceChangeUtc: string | null;
  receivedAt: string;
  attempts: number;
  lastError: string | null;
  claimToken: string;
  leaseExpiresAt: string;
}

export type InboxItem =
  | (InboxItemBase & { source: 'webhook'; eventName: string; body: string })
  | (InboxItemBase & {
      source: 'catch-up';
      /** The listed referral; null only if what was stored cannot be read back (then read it). */
      referral: Referral | null;
    });

export interface FailureRecord {
  direction: 'outbound' | 'inbound';
  id: number;
  /** Opportunity id (outbound) or referral id (inbound). */
  key: string;
  reason: string;
  error: string;
  attempts: number;
  permanent: boolean;
  /** When it retries by itself; null for permanent failures. */
  nextAttemptAt: string | null;
  updatedAt: string;
}

export interface QueueDepthCounts {
  outboundPending: number;
  outboundDue: number;
  inboxPending: number;
  failed: number;
  auditPending: number;
  /** Owner notifications written and not yet told (sending, or waiting for a retry). */
  newsPending: number;
}
