import { LightningElement, api, wire } from 'lwc';
import {
  getRecord,
  getFieldValue,
  updateRecord,
  notifyRecordUpdateAvailable,
} from 'lightning/uiRecordApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { registerRefreshHandler, unregisterRefreshHandler } from 'lightning/refresh';
import SYNC_FIELD from '@salesforce/schema/Opportunity.Sync_with_Partner_Center__c';
import SYNC_STATUS_FIELD from '@salesforce/schema/Opportunity.Partner_Center_Sync_Status__c';
import SYNC_MESSAGE_FIELD from '@salesforce/schema/Opportunity.Partner_Center_Sync_Message__c';
import LAST_SYNCED_FIELD from '@salesforce/schema/Opportunity.Partner_Center_Last_Synced__c';
import REFERRAL_LINK_FIELD from '@salesforce/schema/Opportunity.Partner_Center_Referral_Link__c';
import REFERRAL_ID_FIELD from '@salesforce/schema/Opportunity.Partner_Center_Referral_Id__c';
import PC_STATUS_FIELD from '@salesforce/schema/Opportunity.Partner_Center_Status__c';
import PC_SUBSTATUS_FIELD from '@salesforce/schema/Opportunity.Partner_Center_Substatus__c';
import SOLUTION_COUNT_FIELD from '@salesforce/schema/Opportunity.Co_Sell_Solution_Count__c';
import HELP_NEEDED_FIELD from '@salesforce/schema/Opportunity.Co_Sell_Help_Needed__c';
import CUSTOMER_CONTACT_FIELD from '@salesforce/schema/Opportunity.Co_Sell_Customer_Contact__c';
import ACCOUNT_ID_FIELD from '@salesforce/schema/Opportunity.AccountId';
import AMOUNT_FIELD from '@salesforce/schema/Opportunity.Amount';
import CLOSE_DATE_FIELD from '@salesforce/schema/Opportunity.CloseDate';
import OWNER_ID_FIELD from '@salesforce/schema/Opportunity.OwnerId';
import DECISION_FIELD from '@salesforce/schema/Opportunity.Co_Sell_Decision__c';
import EXPIRATION_FIELD from '@salesforce/schema/Opportunity.Partner_Center_Expiration__c';
import EXPIRES_SOON_FIELD from '@salesforce/schema/Opportunity.Partner_Center_Expires_Soon__c';
import {
  computeReadiness,
  countryFields,
  pickCountry,
  DEFAULT_COUNTRY_FIELD,
} from 'c/coSellReadiness';
import { reduceErrors } from 'c/coSellErrors';
import { subscribeToRecordUpdates } from 'c/coSellLiveUpdates';
import LABELS from './labels';

const FIELDS = [
  SYNC_FIELD,
  SYNC_STATUS_FIELD,
  SYNC_MESSAGE_FIELD,
  LAST_SYNCED_FIELD,
  REFERRAL_LINK_FIELD,
  REFERRAL_ID_FIELD,
  PC_STATUS_FIELD,
  PC_SUBSTATUS_FIELD,
  SOLUTION_COUNT_FIELD,
  HELP_NEEDED_FIELD,
  CUSTOMER_CONTACT_FIELD,
  ACCOUNT_ID_FIELD,
  AMOUNT_FIELD,
  CLOSE_DATE_FIELD,
  OWNER_ID_FIELD,
  DECISION_FIELD,
  EXPIRATION_FIELD,
  EXPIRES_SOON_FIELD,
];

// Partner Center's status of a referral Microsoft shared that the partner has not accepted or
// declined yet (the Referrals API's "New" status).
const AWAITING_DECISION_STATUS = 'New';

const STATUS_THEMES = {
  Synced: 'slds-theme_success',
  Error: 'slds-theme_error',
  Pending: 'slds-theme_warning',
  Ignored: 'slds-theme_shade',
};

export default class CoSellSyncPanel extends LightningElement {
  @api recordId;
  /** Account field with the ISO country code; must match the bridge's BRIDGE_COUNTRY_FIELD. */
  @api countryField = DEFAULT_COUNTRY_FIELD;

  labels = LABELS;
  record;
  loadError;
  saving = false;
  liveUpdatesUnavailable = false;
  liveUpdates;
  refreshHandlerId;

  // The country field is configurable, so it is requested by name rather than by schema import;
  // its ISO-code twin too (present only with State and Country picklists).
  get optionalFields() {
    return countryFields(this.countryField).map((field) => `Opportunity.${field}`);
  }

  @wire(getRecord, { recordId: '$recordId', fields: FIELDS, optionalFields: '$optionalFields' })
  wiredOpportunity({ data, error }) {
    if (data) {
      this.record = data;
      this.loadError = undefined;
    } else if (error) {
      this.record = undefined;
      this.loadError = reduceErrors(error).join(' ');
    }
  }

  connectedCallback() {
    this.liveUpdates = subscribeToRecordUpdates({
      recordId: this.recordId,
      // The bridge announces its write-back: have LDS re-read so every wire re-emits.
      onUpdate: () => this.reload(),
      onFailure: () => {
        this.liveUpdatesUnavailable = true;
      },
    });
    // The page's standard refresh (lightning/refresh) reloads the panel too.
    this.refreshHandlerId = registerRefreshHandler(this, this.refreshHandler);
  }

  disconnectedCallback() {
    if (this.liveUpdates) this.liveUpdates.stop();
    unregisterRefreshHandler(this.refreshHandlerId);
  }

  reload() {
    return notifyRecordUpdateAvailable([{ recordId: this.recordId }]);
  }

  /** lightning/refresh handler: resolves true once the record was asked for again. */
  refreshHandler() {
    return Promise.resolve(this.reload()).then(() => true);
  }

  fieldValue(field) {
    return this.record ? getFieldValue(this.record, field) : undefined;
  }

  get loading() {
    return !this.record && !this.loadError;
  }

  get syncOn() {
    return this.fieldValue(SYNC_FIELD) === true;
  }

  get readiness() {
    return computeReadiness(
      {
        solutionCount: this.fieldValue(SOLUTION_COUNT_FIELD),
        accountId: this.fieldValue(ACCOUNT_ID_FIELD),
        accountCountry: pickCountry(
          countryFields(this.countryField).map((field) => this.fieldValue(`Opportunity.${field}`)),
        ),
        helpNeeded: this.fieldValue(HELP_NEEDED_FIELD),
        customerContactId: this.fieldValue(CUSTOMER_CONTACT_FIELD),
        amount: this.fieldValue(AMOUNT_FIELD),
        closeDate: this.fieldValue(CLOSE_DATE_FIELD),
      },
      { countryField: this.countryField },
    );
  }

  get checklist() {
    return this.readiness.items.map((item) => ({
      ...item,
      iconName: item.met ? 'utility:success' : 'utility:warning',
      iconVariant: item.met ? 'success' : 'warning',
      iconText: item.met ? LABELS.ITEM_DONE : LABELS.ITEM_TO_DO,
      className: item.met
        ? 'checklist-item checklist-item_met'
        : 'checklist-item checklist-item_unmet',
    }));
  }

  get ready() {
    return this.readiness.ready;
  }

  // Turning sync on waits for a complete checklist; turning it off is always allowed.
  get toggleDisabled() {
    return this.saving || (!this.syncOn && !this.ready);
  }

  get showNotReadyHint() {
    return !this.syncOn && !this.ready;
  }

  get syncStatus() {
    return this.fieldValue(SYNC_STATUS_FIELD) || 'Not Synced';
  }

  // The picklist value's label in the seller's language (UI API displayValue).
  get syncStatusLabel() {
    const stored = this.record?.fields?.[SYNC_STATUS_FIELD.fieldApiName];
    return stored?.displayValue || stored?.value || LABELS.NOT_SYNCED;
  }

  get statusClass() {
    return `status-badge ${STATUS_THEMES[this.syncStatus] || ''}`.trim();
  }

  get syncMessage() {
    return this.fieldValue(SYNC_MESSAGE_FIELD);
  }

  get lastSynced() {
    return this.fieldValue(LAST_SYNCED_FIELD);
  }

  get referralLink() {
    return this.fieldValue(REFERRAL_LINK_FIELD);
  }

  get referralId() {
    return this.fieldValue(REFERRAL_ID_FIELD);
  }

  get partnerCenterStatus() {
    const status = this.fieldValue(PC_STATUS_FIELD);
    const substatus = this.fieldValue(PC_SUBSTATUS_FIELD);
    if (!status) return undefined;
    return substatus ? `${status} / ${substatus}` : status;
  }

  // Microsoft shared the referral; the partner has yet to accept or decline it.
  get awaitingDecision() {
    return this.fieldValue(PC_STATUS_FIELD) === AWAITING_DECISION_STATUS;
  }

  // What the decision child needs: it answers the referral on the owner's behalf (issue 19).
  get recordTypeId() {
    return this.record?.recordTypeId;
  }

  get ownerId() {
    return this.fieldValue(OWNER_ID_FIELD);
  }

  get decision() {
    return this.fieldValue(DECISION_FIELD);
  }

  get expiration() {
    return this.fieldValue(EXPIRATION_FIELD);
  }

  get expiresSoon() {
    return this.fieldValue(EXPIRES_SOON_FIELD) === true;
  }

  // An error message is urgent (assertive); other messages are informational.
  get messageRole() {
    return this.syncStatus === 'Error' ? 'alert' : 'status';
  }

  async handleToggle(event) {
    // Keep the element: event.target is no longer available once the handler awaits.
    const toggle = event.target;
    const turnOn = toggle.checked;
    if (turnOn && !this.ready) {
      // Defensive: the toggle is disabled then, but never send a record the rules will reject.
      toggle.checked = false;
      return;
    }
    this.saving = true;
    try {
      await updateRecord({ fields: { Id: this.recordId, [SYNC_FIELD.fieldApiName]: turnOn } });
      this.toast(
        'success',
        turnOn ? LABELS.SYNC_ON_TITLE : LABELS.SYNC_OFF_TITLE,
        turnOn ? LABELS.SYNC_ON_MESSAGE : LABELS.SYNC_OFF_MESSAGE,
      );
    } catch (error) {
      toggle.checked = !turnOn;
      this.toast('error', LABELS.TOGGLE_ERROR_TITLE, reduceErrors(error).join(' '));
    } finally {
      this.saving = false;
    }
  }

  toast(variant, title, message) {
    this.dispatchEvent(new ShowToastEvent({ variant, title, message }));
  }
}
