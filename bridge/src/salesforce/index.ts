/**
 * The Salesforce side of the bridge: jsforce connection and auth, Change Data Capture with
 * durable replay, batched reads, composite write-backs, audit, inbound record creation (R18)
 * and the schema check for doctor/setup. Only sync/ combines this with partner-center/.
 */
export { createSalesforceConnection } from './connection';
export type {
  ApiCallListener,
  SalesforceAuth,
  SalesforceConnection,
  SalesforceConnectionOptions,
} from './connection';
export { createJwtAssertion, jwtAudienceFor } from './jwt-assertion';
export { apiOperationOf } from './api-operation';
export {
  INTEGRATION_PERMISSION_SET,
  recordErrorToBridgeError,
  toBridgeError,
} from './salesforce-errors';
export {
  changeEventHeaderSchema,
  changeOriginClient,
  isGapEvent,
  parseChangeEvent,
} from './change-event';
export type { ChangeEvent, ChangeEventHeader, ChangeType, ParsedChangeEvent } from './change-event';
export { createCdcSubscriber, REPLAY_NEW_EVENTS_ONLY } from './cdc-subscriber';
export type {
  CdcHandlers,
  CdcSubscriber,
  CdcSubscriberOptions,
  ChannelStatus,
} from './cdc-subscriber';
export { createOrgFacts } from './org-facts';
export type { OrgFacts } from './org-facts';
export { createOpportunityReader, MAX_IDS_PER_QUERY } from './opportunity-reader';
export type { OpportunityReader, OpportunityReaderOptions } from './opportunity-reader';
export {
  byIdsQuery,
  changedSinceQuery,
  countryFieldName,
  selectClause,
  toOpportunitySnapshot,
} from './opportunity-snapshot';
export { createSalesforceWriter, MAX_RECORDS_PER_COMPOSITE } from './writer';
export type { FieldUpdate, SalesforceWriter, SolutionRow, WriteResult } from './writer';
export { createInboundRecords } from './inbound-records';
export { createOwnerNotificationClient, NOTIFICATIONS_PER_REQUEST } from './custom-notifications';
export type { NotificationSendResult, OwnerNotificationClient } from './custom-notifications';
export type {
  AccountMatch,
  InboundRecords,
  InboundRecordsOptions,
  LinkedOpportunity,
} from './inbound-records';
export { checkSchema } from './schema-check';
export type { SchemaProblem, SchemaProblemKind, SchemaReport } from './schema-check';
export { soqlDateTime, soqlEquals, soqlString } from './soql';
export { readOpportunitySyncState } from './sync-state';
export type { OpportunitySyncState } from './sync-state';
export { startReachabilityProbe, PROBE_INTERVAL_MS, PROBE_TIMEOUT_MS } from './reachability-probe';
export type { ReachabilityProbe } from './reachability-probe';
export { createJunctionParentResolver } from './junction-parents';
export type { JunctionParentResolver } from './junction-parents';
export { describeForFieldMap, FIELD_MAP_QUERY, readFieldMapRecords } from './field-map-reader';
