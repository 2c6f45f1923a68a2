/**
 * Pure arithmetic over the emulators' `GET /__emulator/stats` snapshots: the figures of the
 * benchmark come from what the services saw, not from what a client believes it sent.
 */
export interface StatsSnapshot {
  requests: Record<string, number>;
  total: number;
  /** Salesforce: REST requests counted against the org's daily API limit. */
  apiRequestsUsed?: number;
}

/** Requests per route key between two snapshots of the same emulator. */
export function requestDelta(before: StatsSnapshot, after: StatsSnapshot): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [route, count] of Object.entries(after.requests)) {
    const diff = count - (before.requests[route] ?? 0);
    if (diff !== 0) delta[route] = diff;
  }
  return delta;
}

export function sumRoutes(requests: Record<string, number>, accept: (route: string) => boolean) {
  return Object.entries(requests).reduce((sum, [route, n]) => (accept(route) ? sum + n : sum), 0);
}

/** Partner Center Referrals API (what the paid connector meters: one call per create/update). */
export const isReferralsApiRoute = (route: string): boolean =>
  route.includes('/v1.0/engagements/referrals');

/** Salesforce REST API (counts toward the org's daily API request limit). */
export const isSalesforceRestRoute = (route: string): boolean =>
  /^[A-Z]+ \/services\/data\/vXX\.X\//.test(route);

/** Streaming API long polls (Bayeux); Salesforce does not count these as API requests. */
export const isCometdRoute = (route: string): boolean => route.includes('/cometd/');

/**
 * A write to Opportunity rows: the bridge's write-back (a Composite request carrying the update
 * of up to 200 records and their Co_Sell_Sync_Update__e events), a collections update, or a
 * single-record update (a flow's "Update record" action).
 */
export const isOpportunityWriteRoute = (route: string): boolean =>
  route === 'POST /services/data/vXX.X/composite' ||
  route === 'PATCH /services/data/vXX.X/composite/sobjects' ||
  route === 'PATCH /services/data/vXX.X/sobjects/Opportunity/{id}';

/** A composite insert: the bridge's batched audit records (Co_Sell_Sync_Event__c). */
export const isCompositeInsertRoute = (route: string): boolean =>
  route === 'POST /services/data/vXX.X/composite/sobjects';
