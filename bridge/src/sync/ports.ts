/**
 * The narrow interfaces the sync engine calls. The real modules (store/, salesforce/,
 * partner-center/) satisfy them structurally, so the engine is wired in one place
 * (`createSyncEngine`) and never depends on how a side is implemented. Results are `Awaitable`
 * because the SQLite store is synchronous while the API clients are not; the engine awaits all.
 */
import type { ReferralsClient } from '../partner-center';
import type { OpportunityReader as SalesforceOpportunityReader } from '../salesforce/opportunity-reader';
import type { NewRecords, SalesforceUserRef } from '../mapping';
import type { JsonPatchOperation, OpportunitySnapshot, Referral, ReferralCreate } from '../schemas';
import type { ChangeEvent, ChangeEventHeader } from './cdc-triage';

export type Awaitable<T> = T | Promise<T>;

// ---------------------------------------------------------------- Salesforce side

/** Batched reads (salesforce/opportunity-reader). */
export type OpportunityReader = Pick<
  SalesforceOpportunityReader,
  'readOpportunities' | 'listChangedSince'
>;

export interface FieldUpdate {
  id: string;
  fields: Record<string, unknown>;
}

export interface WriteResult {
  id: string;
  success: boolean;
  error?: string;
}

export interface AuditRecord {
  opportunityId: string | null;
  direction: 'Outbound' | 'Inbound';
  outcome: 'Success' | 'Error' | 'Ignored' | 'Skipped';
  message: string;
  referralId: string | null;
  apiCalls: number;
  occurredAt: string;
}

export interface SalesforceWriter {
  /** One composite call per ≤200 records, sent with our client id so it is not echoed (R9). */
  writeBack(updates: readonly FieldUpdate[]): Promise<readonly WriteResult[]>;
  /** Co_Sell_Sync_Event__c rows in batches (R10). */
  writeAuditEvents(events: readonly AuditRecord[]): Promise<readonly WriteResult[]>;
}

/** R18: what the Salesforce side needs to create or link records for a Partner Center deal. */
export interface InboundRecords {
  /** Salesforce users with these emails (R4: referral team members become owner/team). */
  findUsersByEmail(emails: readonly string[]): Promise<readonly SalesforceUserRef[]>;
  /** The org's corporate currency and whether it is multi-currency (R3). */
  orgCurrency(): Promise<{ orgCurrency: string | null; multiCurrency: boolean }>;
  /**
   * Find-or-create the account and contact, upsert the opportunity by its referral id (so a
   * repeated delivery never creates a second one), link the solutions. Returns the opportunity id.
   */
  createOrLinkOpportunity(
    referralId: string,
    records: NewRecords,
  ): Promise<{ opportunityId: string; created: boolean }>;
}

export interface NewRecordsContext {
  users: readonly SalesforceUserRef[];
  orgCurrency: string | null;
  multiCurrency: boolean;
  now: Date;
}

/** Resolves solution junction rows to their opportunity (events that did not carry it). */
export type JunctionParentResolver = (
  junctionIds: readonly string[],
) => Promise<ReadonlyMap<string, string>>;

/** What a CDC subscriber calls back into; the engine hands these to the subscriber's factory. */
export interface ChangeStreamHandlers {
  getReplayId(channel: string): Promise<number | undefined>;
  onEvents(channel: string, events: readonly ChangeEvent[]): Promise<void>;
  onReplayInvalid(channel: string): Promise<void>;
  onGap(channel: string, header: ChangeEventHeader): Promise<void>;
}

export interface ChangeStream {
  start(): Promise<void>;
  stop(): Promise<void>;
}

// ---------------------------------------------------------------- Partner Center side

/** The Referrals API calls the engine makes (partner-center/referrals-client). */
export type ReferralsApi = Pick<
  ReferralsClient,
  'create' | 'get' | 'findByExternalReferenceId' | 'patch' | 'listUpdatedSince'
>;

// ---------------------------------------------------------------- Pure mapping (mapping/)

export interface MappingProblem {
  code: string;
  field?: string;
  message: string;
  /** What the seller or admin must do, shown in Partner_Center_Sync_Message__c. */
  fix?: string;
}

/** The mapping decisions the engine needs; `mapping-adapter.ts` builds it from mapping/. */
export interface SyncMapping {
  validateForSubmit(snapshot: OpportunitySnapshot): readonly MappingProblem[];
  toReferralCreate(snapshot: OpportunitySnapshot): ReferralCreate;
  /**
   * The minimal JSON Patch from the referral as we last saw it to what the opportunity says now
   * (empty = nothing to send, R1), or the problem that forbids it (illegal status transition).
   */
  planUpdate(
    current: Referral,
    snapshot: OpportunitySnapshot,
  ): { operations: JsonPatchOperation[]; problems: readonly MappingProblem[] };
  /** Opportunity field updates for a referral change, per the field-ownership table (R4, R18). */
  planInbound(referral: Referral, snapshot: OpportunitySnapshot): Record<string, unknown>;
  /** R18: account/contact/opportunity for a referral that has no CRM id yet. */
  newRecords(referral: Referral, context: NewRecordsContext): NewRecords;
  /** Deep link to the referral in Partner Center, for Partner_Center_Referral_Link__c. */
  referralLink(referral: Referral): string | null;
}

// ---------------------------------------------------------------- State store (store/)

export type SyncDirection = 'outbound' | 'inbound';

export interface OutboundJob {
  id: number;
  opportunityId: string;
  /** Attempts before this one. */
  attempts: number;
}

export interface InboxItem {
  id: number;
  referralId: string;
  eventName: string;
  resourceChangeUtc: string | null;
  attempts: number;
}

/** What we know about one opportunity ↔ referral pair. */
export interface ReferralLink {
  opportunityId: string;
  /** Null while only a create intent is recorded (the create may or may not have happened). */
  referralId: string | null;
  engagementId: string | null;
  eTag: string | null;
  /** updatedDateTime of the newest referral state we sent or applied. */
  updatedDateTime: string | null;
  /** The referral as we last sent or saw it: the base of the next diff (one call per change). */
  referral: Referral | null;
}

export interface FailureRecord {
  direction: SyncDirection;
  id: number;
  key: string;
  error: string;
  attempts: number;
  permanent: boolean;
  nextAttemptAt: string | null;
}

export interface JournalEntry extends AuditRecord {
  id: number;
}

/** The store operations the engine uses (store/ implements them; see docs/ARCHITECTURE.md). */
export interface SyncStore {
  getReplayId(channel: string): Awaitable<number | undefined>;
  /**
   * Transactional outbox: enqueue (coalescing per opportunity) AND advance the channel's replay
   * cursor in one transaction, so a crash replays from the last durable id and nothing is lost.
   */
  recordChangeEvents(
    channel: string,
    replayId: number,
    items: readonly OutboundEnqueue[],
  ): Awaitable<void>;
  /** Enqueue without a cursor (reconciliation, resync, resolved junction rows). */
  enqueueOutbound(items: readonly OutboundEnqueue[]): Awaitable<void>;
  claimOutbound(limit: number, now: Date): Awaitable<OutboundJob[]>;
  completeOutbound(id: number): Awaitable<void>;
  failOutbound(id: number, failure: JobFailure): Awaitable<void>;

  /** Idempotent on dedupeKey; true when the delivery was new. */
  recordWebhook(item: InboxEnqueue): Awaitable<boolean>;
  claimInbox(limit: number, now: Date): Awaitable<InboxItem[]>;
  completeInbox(id: number): Awaitable<void>;
  failInbox(id: number, failure: JobFailure): Awaitable<void>;

  getLink(opportunityId: string): Awaitable<ReferralLink | undefined>;
  getLinkByReferral(referralId: string): Awaitable<ReferralLink | undefined>;
  saveLink(link: ReferralLink): Awaitable<void>;

  getWatermark(name: string): Awaitable<string | undefined>;
  setWatermark(name: string, value: string): Awaitable<void>;

  /** Adds one call for the UTC day and returns the new total. */
  countApiCall(api: string, day: string): Awaitable<number>;
  apiCalls(day: string): Awaitable<Record<string, number>>;

  enqueueAudit(event: AuditRecord): Awaitable<void>;
  takeAuditBatch(limit: number): Awaitable<{ id: number; event: AuditRecord }[]>;
  markAuditWritten(ids: readonly number[]): Awaitable<void>;
  journal(id: string): Awaitable<JournalEntry[]>;

  listFailures(): Awaitable<FailureRecord[]>;
  retryFailures(
    selection: { ids?: readonly number[]; all?: boolean },
    now: Date,
  ): Awaitable<number>;
  queueDepths(
    now: Date,
  ): Awaitable<{
    outboundPending: number;
    outboundDue: number;
    inboxPending: number;
    failed: number;
    auditPending: number;
  }>;
  replayCursors(): Awaitable<{ channel: string; replayId: number; updatedAt: string }[]>;
}

export interface OutboundEnqueue {
  opportunityId: string;
  reason: string;
  changedFields?: readonly string[];
  /** Not before this time: the coalescing window, so a burst of edits becomes one call (R1). */
  notBefore: Date;
}

export interface InboxEnqueue {
  dedupeKey: string;
  eventName: string;
  referralId: string;
  resourceChangeUtc: string | null;
  receivedAt: Date;
  body: string;
}

export interface JobFailure {
  error: string;
  permanent: boolean;
  retryAt: Date | null;
}
