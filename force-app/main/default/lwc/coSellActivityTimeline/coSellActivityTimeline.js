import { LightningElement, api, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import { reduceErrors } from 'c/coSellErrors';
import { OPPORTUNITY_CHANGE_CHANNEL, subscribeToRecordChanges } from 'c/coSellLiveUpdates';

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
  Outbound: 'Salesforce to Partner Center',
  Inbound: 'Partner Center to Salesforce',
};

const OUTCOME_STYLE = {
  Success: { iconName: 'utility:success', variant: 'success', badgeClass: 'slds-theme_success' },
  Error: { iconName: 'utility:error', variant: 'error', badgeClass: 'slds-theme_error' },
  Ignored: { iconName: 'utility:ban', variant: undefined, badgeClass: 'slds-theme_shade' },
  Skipped: { iconName: 'utility:skip', variant: undefined, badgeClass: 'slds-theme_shade' },
};

/** Maps one GraphQL node to what the template shows. */
function toEntry(node) {
  const outcome = node.Outcome__c?.value || 'Unknown';
  const direction = node.Direction__c?.value;
  const style = OUTCOME_STYLE[outcome] || { iconName: 'utility:info', badgeClass: '' };
  const apiCalls = node.Api_Calls__c?.value;
  return {
    id: node.Id,
    name: node.Name?.value,
    outcome,
    directionText: DIRECTION_TEXT[direction] || direction || 'Unknown direction',
    message: node.Message__c?.value,
    referralId: node.Referral_Id__c?.value,
    apiCallsText:
      apiCalls === null || apiCalls === undefined
        ? undefined
        : `${apiCalls} Partner Center API ${apiCalls === 1 ? 'call' : 'calls'}`,
    occurredAt: node.Occurred_At__c?.value,
    iconName: style.iconName,
    iconVariant: style.variant,
    badgeClass: `outcome-badge ${style.badgeClass}`.trim(),
  };
}

export default class CoSellActivityTimeline extends LightningElement {
  @api recordId;

  entries;
  loadError;
  wiredResult;
  liveUpdates;

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
    // The bridge writes an audit record and the opportunity's status together, so an
    // Opportunity change event is the moment a new entry exists.
    this.liveUpdates = subscribeToRecordChanges({
      channel: OPPORTUNITY_CHANGE_CHANNEL,
      recordId: this.recordId,
      onChange: () => this.refresh(),
    });
  }

  disconnectedCallback() {
    if (this.liveUpdates) this.liveUpdates.stop();
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
