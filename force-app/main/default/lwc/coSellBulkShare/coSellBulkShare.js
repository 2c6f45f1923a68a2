import { LightningElement, api, wire } from 'lwc';
import { gql, graphql, refreshGraphQL } from 'lightning/graphql';
import { updateRecord } from 'lightning/uiRecordApi';
import { computeReadiness } from 'c/coSellReadiness';
import { chunks, resumesAt, summarize, syncState } from 'c/coSellBulkShareModel';
import { reduceErrors } from 'c/coSellErrors';
import { formatLabel } from 'c/coSellText';
import LABELS from './labels';

const QUERY = gql`
  query coSellBulkShare($ids: [ID]) {
    uiapi {
      query {
        Opportunity(where: { Id: { in: $ids } }, first: 2000) {
          edges {
            node {
              Id
              Name {
                value
              }
              Sync_with_Partner_Center__c {
                value
              }
              Partner_Center_Sync_Status__c {
                value
              }
              Partner_Center_Sync_Message__c {
                value
              }
              Partner_Center_Referral_Id__c {
                value
              }
              Co_Sell_Solution_Count__c {
                value
              }
              AccountId {
                value
              }
              Account {
                BillingCountry {
                  value
                }
              }
              Co_Sell_Help_Needed__c {
                value
              }
              Co_Sell_Customer_Contact__c {
                value
              }
              Amount {
                value
              }
              CloseDate {
                value
              }
            }
          }
        }
      }
    }
  }
`;

/** Records switched on at once; the rest wait their turn, so progress moves evenly. */
const CONCURRENCY = 10;
/** How often the screen re-reads while the bridge is still sharing. */
const REFRESH_MS = 5000;

const STATE_TEXT = {
  ready: LABELS.STATE_READY,
  'not-ready': LABELS.STATE_NOT_READY,
  sharing: LABELS.STATE_SHARING,
  shared: LABELS.STATE_SHARED,
  waiting: LABELS.STATE_WAITING,
  failed: LABELS.STATE_FAILED,
};
const STATE_BADGE = {
  ready: '',
  'not-ready': 'slds-theme_warning',
  sharing: 'slds-theme_info',
  shared: 'slds-theme_success',
  waiting: 'slds-theme_shade',
  failed: 'slds-theme_error',
};

const v = (field) => (field ? field.value : undefined);

/** One opportunity's row: its state (coSellBulkShareModel) and the detail a seller acts on. */
export function rowFor(node, refused) {
  const message = v(node.Partner_Center_Sync_Message__c);
  let state = syncState({
    syncOn: v(node.Sync_with_Partner_Center__c) === true,
    status: v(node.Partner_Center_Sync_Status__c),
    message,
    referralId: v(node.Partner_Center_Referral_Id__c),
  });
  let detail = state === 'failed' ? message : undefined;
  if (state === 'waiting') detail = formatLabel(LABELS.WAITING_REASON, resumesAt(message) || '');
  if (state === 'off') {
    const readiness = computeReadiness({
      solutionCount: v(node.Co_Sell_Solution_Count__c),
      accountId: v(node.AccountId),
      accountCountry: node.Account ? v(node.Account.BillingCountry) : undefined,
      helpNeeded: v(node.Co_Sell_Help_Needed__c),
      customerContactId: v(node.Co_Sell_Customer_Contact__c),
      amount: v(node.Amount),
      closeDate: v(node.CloseDate),
    });
    state = readiness.ready ? 'ready' : 'not-ready';
    detail = readiness.items
      .filter((item) => !item.met)
      .map((item) => item.fix)
      .join(' ');
  }
  if (refused) {
    state = 'failed';
    detail = refused;
  }
  return {
    id: node.Id,
    name: v(node.Name),
    state,
    stateText: STATE_TEXT[state],
    badgeClass: `slds-badge ${STATE_BADGE[state]}`,
    detail,
  };
}

export default class CoSellBulkShare extends LightningElement {
  /** The opportunities selected in the list view (the flow's `ids`). */
  @api recordIds = [];

  labels = LABELS;
  nodes;
  error;
  sharing = false;
  done = 0;
  toShare = 0;
  /** Record id → why Salesforce refused to switch sync on (validation rule, access). */
  refused = {};
  wired;
  timer;

  get ids() {
    return Array.isArray(this.recordIds) ? this.recordIds : [];
  }

  @wire(graphql, { query: QUERY, variables: '$variables' })
  handleResult(result) {
    this.wired = result;
    if (result.data) {
      this.nodes = result.data.uiapi.query.Opportunity.edges.map((e) => e.node);
      this.error = undefined;
      this.keepRefreshing();
    } else if (result.errors) {
      this.error = reduceErrors(result.errors).join(' ');
    }
  }

  get variables() {
    return { ids: this.ids };
  }

  get rows() {
    return (this.nodes || []).map((node) => rowFor(node, this.refused[node.Id]));
  }

  get summary() {
    return summarize(this.rows);
  }

  get summaryText() {
    const { counts, total } = this.summary;
    return formatLabel(
      LABELS.SUMMARY,
      total,
      counts.shared,
      counts.waiting,
      counts.sharing,
      counts['not-ready'] + counts.ready,
      counts.failed,
    );
  }

  get loading() {
    return this.ids.length > 0 && !this.nodes && !this.error;
  }

  get noneSelected() {
    return this.ids.length === 0;
  }

  get readyIds() {
    return this.rows.filter((r) => r.state === 'ready').map((r) => r.id);
  }

  get shareLabel() {
    return formatLabel(LABELS.SHARE_BUTTON, this.readyIds.length);
  }

  get shareDisabled() {
    return this.sharing || this.readyIds.length === 0;
  }

  get progressValue() {
    return this.toShare === 0 ? 0 : Math.round((this.done / this.toShare) * 100);
  }

  get progressText() {
    return formatLabel(LABELS.PROGRESS, this.done, this.toShare);
  }

  async handleShare() {
    const ids = this.readyIds;
    this.sharing = true;
    this.done = 0;
    this.toShare = ids.length;
    const refused = { ...this.refused };
    for (const part of chunks(ids, CONCURRENCY)) {
      // eslint-disable-next-line no-await-in-loop
      await Promise.all(
        part.map(async (id) => {
          try {
            await updateRecord({ fields: { Id: id, Sync_with_Partner_Center__c: true } });
          } catch (error) {
            refused[id] = reduceErrors(error).join(' ');
          }
          this.done += 1;
        }),
      );
    }
    this.refused = refused;
    this.sharing = false;
    await this.refresh();
  }

  async refresh() {
    if (this.wired) await refreshGraphQL(this.wired);
  }

  /** While the bridge is still sharing some, re-read every few seconds; stop once all settled. */
  keepRefreshing() {
    const moving = !this.summary.settled;
    if (moving && !this.timer) {
      // eslint-disable-next-line @lwc/lwc/no-async-operation
      this.timer = setInterval(() => this.refresh(), REFRESH_MS);
    } else if (!moving && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  disconnectedCallback() {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
