import { LightningElement, api, wire } from 'lwc';
import { updateRecord } from 'lightning/uiRecordApi';
import { getPicklistValuesByRecordType } from 'lightning/uiObjectInfoApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import USER_ID from '@salesforce/user/Id';
import OPPORTUNITY_OBJECT from '@salesforce/schema/Opportunity';
import DECISION_FIELD from '@salesforce/schema/Opportunity.Co_Sell_Decision__c';
import REASON_FIELD from '@salesforce/schema/Opportunity.Co_Sell_Decline_Reason__c';
import { reduceErrors } from 'c/coSellErrors';
import { formatLabel } from 'c/coSellText';
import LABELS from './labels';

/**
 * Accept or decline a referral Microsoft sent, for the opportunity's owner (issue 19). It saves
 * only Co_Sell_Decision__c (and the reason): the sync bridge applies the answer in Partner Center
 * (Active/Accepted or Closed/Declined with the reason) and clears the decision. The package's
 * rules refuse a decline without a reason and a decision on a referral that no longer waits.
 */
export default class CoSellDecision extends LightningElement {
  @api recordId;
  @api recordTypeId;
  @api ownerId;
  /** Co_Sell_Decision__c as saved: set while the bridge has not applied it yet. */
  @api decision;
  @api expiresSoon = false;
  /** Partner_Center_Expiration__c (ISO date-time). */
  @api expiration;

  labels = LABELS;
  declining = false;
  saving = false;
  reason;
  reasonOptions = [];

  @wire(getPicklistValuesByRecordType, {
    objectApiName: OPPORTUNITY_OBJECT,
    recordTypeId: '$recordTypeId',
  })
  wiredPicklists({ data }) {
    const values = data?.picklistFieldValues?.[REASON_FIELD.fieldApiName]?.values ?? [];
    this.reasonOptions = values.map(({ label, value }) => ({ label, value }));
  }

  get isOwner() {
    return Boolean(this.ownerId) && this.ownerId === USER_ID;
  }

  get pending() {
    return Boolean(this.decision);
  }

  get pendingText() {
    return formatLabel(LABELS.PENDING, this.decision);
  }

  get showButtons() {
    return this.isOwner && !this.pending && !this.declining;
  }

  get showDecline() {
    return this.isOwner && !this.pending && this.declining;
  }

  get showNotOwner() {
    return !this.isOwner && !this.pending;
  }

  get expiresSoonText() {
    const day = this.expiration ? String(this.expiration).slice(0, 10) : '';
    return formatLabel(LABELS.EXPIRES_SOON, day);
  }

  get confirmDisabled() {
    return this.saving || !this.reason;
  }

  handleAccept() {
    return this.save({ [DECISION_FIELD.fieldApiName]: 'Accept' });
  }

  handleStartDecline() {
    this.declining = true;
  }

  handleCancel() {
    this.declining = false;
    this.reason = undefined;
  }

  handleReason(event) {
    this.reason = event.detail.value;
  }

  handleConfirmDecline() {
    if (!this.reason) return undefined;
    return this.save({
      [DECISION_FIELD.fieldApiName]: 'Decline',
      [REASON_FIELD.fieldApiName]: this.reason,
    });
  }

  async save(fields) {
    this.saving = true;
    try {
      await updateRecord({ fields: { Id: this.recordId, ...fields } });
      this.declining = false;
      this.toast('success', LABELS.SAVED_TITLE, LABELS.SAVED_MESSAGE);
    } catch (error) {
      this.toast('error', LABELS.ERROR_TITLE, reduceErrors(error).join(' '));
    } finally {
      this.saving = false;
    }
  }

  toast(variant, title, message) {
    this.dispatchEvent(new ShowToastEvent({ variant, title, message }));
  }
}
