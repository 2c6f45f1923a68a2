/**
 * The narrow interfaces the sync engine calls. The real modules (store/, salesforce/,
 * partner-center/) satisfy them structurally, so the engine is wired in one place
 * (`createSyncEngine`) and never depends on how a side is implemented. Where a module exists,
 * the port is a `Pick` of its real interface, so drift is a type error here, not a runtime bug.
 */
import type { ReferralsClient } from '../partner-center';
import type { CdcSubscriberOptions } from '../salesforce/cdc-subscriber';
import type { InboundRecords as SalesforceSideInbound } from '../salesforce/inbound-records';
import type { OpportunityReader as SalesforceOpportunityReader } from '../salesforce/opportunity-reader';
import type { SalesforceWriter as SalesforceSideWriter } from '../salesforce/writer';
import type { NewRecords, Problem, SalesforceUserRef, Warning } from '../mapping';
import type {
  AuditEvent,
  JsonPatchOperation,
  OpportunitySnapshot,
  Referral,
  ReferralCreate,
} from '../schemas';
import type { StateStore } from '../store';

// ---------------------------------------------------------------- Salesforce side

/** Batched reads (salesforce/opportunity-reader). */
export type OpportunityReader = Pick<
  SalesforceOpportunityReader,
  'readOpportunities' | 'listChangedSince'
>;

export type { FieldUpdate, WriteResult } from '../salesforce/writer';

/** One sync attempt as written to Co_Sell_Sync_Event__c (R10); the store's audit event. */
export type AuditRecord = AuditEvent;

/** Composite write-backs and audit inserts, sent with our client id so they are not echoed (R9). */
export type SalesforceWriter = Pick<SalesforceSideWriter, 'writeBack' | 'writeAuditEvents'>;

/** R18: find users (R4), org currency (R3), and the idempotent create-or-link of the records. */
export type InboundRecords = Pick<
  SalesforceSideInbound,
  'findUsersByEmail' | 'orgCurrency' | 'createOrLinkOpportunity'
>;

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
export type ChangeStreamHandlers = Pick<
  CdcSubscriberOptions,
  'getReplayId' | 'onEvents' | 'onReplayInvalid' | 'onNewEventsOnly' | 'onGap' | 'onMalformed'
>;

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

/** The mapping decisions the engine needs; `mapping-adapter.ts` builds it from mapping/. */
export interface SyncMapping {
  validateForSubmit(snapshot: OpportunitySnapshot): readonly Problem[];
  toReferralCreate(snapshot: OpportunitySnapshot): ReferralCreate;
  /**
   * The minimal JSON Patch from the referral as we last saw it to what the opportunity says now
   * (empty = nothing to send, R1), or the problem that forbids it (illegal status transition).
   */
  planUpdate(
    current: Referral,
    snapshot: OpportunitySnapshot,
  ): {
    operations: JsonPatchOperation[];
    problems: readonly Problem[];
    warnings: readonly Warning[];
  };
  /** Opportunity field updates for a referral change, per the field-ownership table (R4, R18). */
  planInbound(
    referral: Referral,
    snapshot: OpportunitySnapshot,
  ): { updates: Record<string, unknown>; warnings: readonly Warning[] };
  /** R18: account/contact/opportunity for a referral that has no CRM id yet. */
  newRecords(referral: Referral, context: NewRecordsContext): NewRecords;
  /** Deep link to the referral in Partner Center, for Partner_Center_Referral_Link__c. */
  referralLink(referral: Referral): string | null;
}

// ---------------------------------------------------------------- State store (store/)

/** The engine uses the store's interface as is (store/types.ts). */
export type SyncStore = StateStore;
export type {
  FailureRecord,
  InboxItem,
  JobFailure,
  JournalEntry,
  OutboundJob,
  OutboundRequest,
  OutboundSettlement,
  ReferralLink,
  ReferralLinkUpdate,
  WebhookDelivery,
} from '../store';
