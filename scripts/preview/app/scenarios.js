/**
 * The states a seller meets, each a consistent "world" (one opportunity, its sync events, the
 * partner's solutions) built from the LWC jest fixtures, so the preview shows exactly the data
 * the component tests use. Every exposed component is rendered in every state.
 */
import READY from '../../../force-app/main/default/lwc/coSellSyncPanel/__tests__/data/readyOpportunity.json';
import SYNCED from '../../../force-app/main/default/lwc/coSellSyncPanel/__tests__/data/syncedOpportunity.json';
import DETAILS from '../../../force-app/main/default/lwc/coSellDetailsEditor/__tests__/data/opportunity.json';
import PICKLISTS from '../../../force-app/main/default/lwc/coSellDetailsEditor/__tests__/data/picklists.json';
import SOLUTIONS from '../../../force-app/main/default/lwc/coSellDetailsEditor/__tests__/data/solutions.json';
import SYNC_EVENTS from '../../../force-app/main/default/lwc/coSellActivityTimeline/__tests__/data/syncEvents.json';
import BULK_SELECTION from '../../../force-app/main/default/lwc/coSellBulkShare/__tests__/data/selection.json';

export const COMPONENTS = ['coSellSyncPanel', 'coSellDetailsEditor', 'coSellActivityTimeline'];

/** One record answering both the panel's and the editor's getRecord, with `values` set. */
function opportunity(base, values = {}) {
  const record = JSON.parse(JSON.stringify({ ...base, recordTypeId: DETAILS.recordTypeId }));
  record.fields = { ...JSON.parse(JSON.stringify(DETAILS.fields)), ...record.fields };
  for (const [name, value] of Object.entries(values)) {
    record.fields[name] = { value, displayValue: value };
  }
  return record;
}

function withCountry(record, country) {
  record.fields.Account.value.fields.BillingCountry = { value: country, displayValue: country };
  return record;
}

const EVENT_EDGES = SYNC_EVENTS.uiapi.query.Co_Sell_Sync_Event__c.edges;
function events(edges) {
  return { uiapi: { query: { Co_Sell_Sync_Event__c: { edges } } } };
}

const UNLINKED_SOLUTIONS = {
  uiapi: {
    query: {
      ...SOLUTIONS.uiapi.query,
      Co_Sell_Solution__c: { edges: [] },
    },
  },
};

function world({ record, syncEvents, solutions = SOLUTIONS, liveUpdatesUnavailable = false }) {
  return {
    record,
    picklists: PICKLISTS,
    liveUpdatesUnavailable,
    graphql: { coSellSyncEvents: syncEvents, coSellSolutions: solutions },
  };
}

export const STATES = [
  {
    state: 'synced',
    data: world({ record: opportunity(SYNCED), syncEvents: SYNC_EVENTS }),
  },
  {
    state: 'error-with-fix',
    data: world({
      record: withCountry(
        opportunity(SYNCED, {
          Partner_Center_Sync_Status__c: 'Error',
          Partner_Center_Sync_Message__c: EVENT_EDGES[2].node.Message__c.value,
        }),
        'Sweden',
      ),
      syncEvents: events([EVENT_EDGES[2]]),
    }),
  },
  {
    state: 'not-ready',
    data: world({
      record: opportunity(READY, { Co_Sell_Solution_Count__c: 0, Amount: null }),
      syncEvents: events([]),
      solutions: UNLINKED_SOLUTIONS,
    }),
  },
  {
    state: 'inbound-awaiting-decision',
    data: world({
      record: opportunity(SYNCED, {
        Partner_Center_Status__c: 'New',
        Partner_Center_Substatus__c: 'Pending',
      }),
      syncEvents: events([EVENT_EDGES[0]]),
    }),
  },
  {
    state: 'inbound-decision-sent',
    data: world({
      record: opportunity(SYNCED, {
        Partner_Center_Status__c: 'New',
        Partner_Center_Substatus__c: 'Pending',
        Co_Sell_Decision__c: 'Accept',
      }),
      syncEvents: events([EVENT_EDGES[0]]),
    }),
  },
  {
    state: 'inbound-expires-soon',
    data: world({
      record: opportunity(SYNCED, {
        Partner_Center_Status__c: 'New',
        Partner_Center_Substatus__c: 'Pending',
        Partner_Center_Expires_Soon__c: true,
        Partner_Center_Expiration__c: '2026-12-06T09:30:00.0000000Z',
      }),
      syncEvents: events([EVENT_EDGES[0]]),
    }),
  },
  {
    state: 'no-activity-yet',
    data: world({ record: opportunity(READY), syncEvents: events([]) }),
  },
  {
    state: 'live-updates-unavailable',
    data: world({
      record: opportunity(SYNCED),
      syncEvents: SYNC_EVENTS,
      liveUpdatesUnavailable: true,
    }),
  },
];

const BULK_EDGES = BULK_SELECTION.uiapi.query.Opportunity.edges;
function bulkWorld(edges) {
  return {
    recordIds: edges.map((e) => e.node.Id),
    graphql: { coSellBulkShare: { uiapi: { query: { Opportunity: { edges } } } } },
  };
}

/**
 * The bulk share screen (a flow screen on a list view selection) has states of its own: a
 * fresh selection with every kind of result, and the end of a share against a spent budget
 * (nothing selected is one sentence: the jest test covers it; axe has too little to check).
 */
export const BULK_STATES = [
  { state: 'bulk-selection', data: bulkWorld(BULK_EDGES) },
  {
    state: 'bulk-budget-spent',
    data: bulkWorld([BULK_EDGES[2], BULK_EDGES[3], BULK_EDGES[1]]),
  },
];

/** Every component in every state: [{id: "coSellSyncPanel--synced", component, state, data}]. */
export const SCENARIOS = [
  ...COMPONENTS.flatMap((component) =>
    STATES.map(({ state, data }) => ({ id: `${component}--${state}`, component, state, data })),
  ),
  ...BULK_STATES.map(({ state, data }) => ({
    id: `coSellBulkShare--${state}`,
    component: 'coSellBulkShare',
    state,
    data,
  })),
];
