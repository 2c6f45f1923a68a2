import { LightningElement, api, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import { registerRefreshHandler, unregisterRefreshHandler } from 'lightning/refresh';
import { reduceErrors } from 'c/coSellErrors';
import { subscribeToRecordUpdates } from 'c/coSellLiveUpdates';
import { formatLabel } from 'c/coSellText';
import LABELS from './labels';

// Newest first; CreatedDate breaks ties between attempts logged in the same second.
const SYNC_EVENTS_QUERY = gql`
  query coSellSyncEvents($recordId: ID) {
    uiapi {
      query {
        Co_Sell_Sync_Event__c(
          where: { Opportunity__c: { eq: $recordId } }
          orderBy: { Occurred_At__c: { order: DESC }, CreatedDate: { order: DESC } }
          first: 50
        ) {
          edges {
            node {
              Id
              Name {
                value
              }
              Direction__c {
                value
              }
              Outcome__c {
                value
                displayValue
              }
              Message__c {
                value
              }
              Referral_Id__c {
                value
              }
              Api_Calls__c {
                value
              }
              Occurred_At__c {
                value
              }
            }
          }
        }
      }
    }
  }
`;

const DIRECTION_TEXT = {
  Outbound: LABELS.OUTBOUND,
  Inbound: LABELS.INBOUND,
};

const OUTCOME_STYLE = {
  Success: { iconName: 'utility:success', variant: 'success', badgeClass: 'slds-theme_success' },
  Error: { iconName: 'utility:error', variant: 'error', badgeClass: 'slds-theme_error' },
  Ignored: { iconName: 'utility:ban', variant: undefined, badgeClass: 'slds-theme_shade' },
  Skipped: { iconName: 'utility:skip', variant: undefined, badgeClass: 'slds-theme_shade' },
};

/** Maps one GraphQL node to what the template shows. */
function toEntry(node) {
  const outcome = node.Outcome__c?.value;
  // The picklist value's label in the seller's language, when the query returns it.
  const outcomeLabel = node.Outcome__c?.displayValue || outcome || LABELS.UNKNOWN_OUTCOME;
  const direction = node.Direction__c?.value;
  const style = OUTCOME_STYLE[outcome] || { iconName: 'utility:info', badgeClass: '' };
  const apiCalls = node.Api_Calls__c?.value;
  return {
    id: node.Id,
    name: node.Name?.value,
    outcomeLabel,
    directionText: DIRECTION_TEXT[direction] || direction || LABELS.UNKNOWN_DIRECTION,
    message: node.Message__c?.value,
    referralText: node.Referral_Id__c?.value
      ? formatLabel(LABELS.REFERRAL, node.Referral_Id__c.value)
      : undefined,
    apiCallsText:
      apiCalls === null || apiCalls === undefined
        ? undefined
        : formatLabel(apiCalls === 1 ? LABELS.API_CALL : LABELS.API_CALLS, apiCalls),
    occurredAt: node.Occurred_At__c?.value,
    iconName: style.iconName,
    iconVariant: style.variant,
    badgeClass: `outcome-badge slds-var-m-left_x-small ${style.badgeClass}`.trim(),
  };
}

export default class CoSellActivityTimeline extends LightningElement {
  @api recordId;

  labels = LABELS;
  entries;
  loadError;
  wiredResult;
  liveUpdates;
  liveUpdatesUnavailable = false;
  refreshHandlerId;

  get variables() {
    return { recordId: this.recordId };
  }

  @wire(graphql, { query: SYNC_EVENTS_QUERY, variables: '$variables' })
  wiredEvents(result) {
    this.wiredResult = result;
    const { data, errors } = result;
    if (data) {
      const edges = data.uiapi?.query?.Co_Sell_Sync_Event__c?.edges || [];
      this.entries = edges.map((edge) => toEntry(edge.node));
      this.loadError = undefined;
    } else if (errors) {
      this.entries = undefined;
      this.loadError = reduceErrors(errors).join(' ');
    }
  }

  connectedCallback() {
    // The bridge writes the audit record before it announces the write-back, so a sync
    // update event for this opportunity is the moment a new entry exists.
    this.liveUpdates = subscribeToRecordUpdates({
      recordId: this.recordId,
      onUpdate: () => this.refresh(),
      onFailure: () => {
        this.liveUpdatesUnavailable = true;
      },
    });
    // The page's standard refresh (lightning/refresh) reloads the timeline too.
    this.refreshHandlerId = registerRefreshHandler(this, this.refreshHandler);
  }

  disconnectedCallback() {
    if (this.liveUpdates) this.liveUpdates.stop();
    unregisterRefreshHandler(this.refreshHandlerId);
  }

  /** lightning/refresh handler: resolves true once the query was read again. */
  refreshHandler() {
    return Promise.resolve(this.refresh()).then(() => true);
  }

  get loading() {
    return !this.entries && !this.loadError;
  }

  get isEmpty() {
    return Array.isArray(this.entries) && this.entries.length === 0;
  }

  get hasEntries() {
    return Array.isArray(this.entries) && this.entries.length > 0;
  }

  handleRefresh() {
    this.refresh();
  }

  refresh() {
    if (this.wiredResult && typeof this.wiredResult.refresh === 'function') {
      return this.wiredResult.refresh();
    }
    return undefined;
  }
}
