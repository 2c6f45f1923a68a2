import { LightningElement, api, wire } from 'lwc';
import { getRecord, getFieldValue, notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import { getPicklistValuesByRecordType } from 'lightning/uiObjectInfoApi';
import { executeMutation, gql, graphql } from 'lightning/graphql';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { registerRefreshHandler, unregisterRefreshHandler } from 'lightning/refresh';
import USER_CURRENCY from '@salesforce/i18n/currency';
import OPPORTUNITY_OBJECT from '@salesforce/schema/Opportunity';
import REFERRAL_CURRENCY_FIELD from '@salesforce/schema/Opportunity.Referral_Currency__c';
import HELP_NEEDED_FIELD from '@salesforce/schema/Opportunity.Co_Sell_Help_Needed__c';
import VISIBILITY_FIELD from '@salesforce/schema/Opportunity.Partner_Center_Visibility__c';
import CUSTOMER_CONTACT_FIELD from '@salesforce/schema/Opportunity.Co_Sell_Customer_Contact__c';
import ACCOUNT_ID_FIELD from '@salesforce/schema/Opportunity.AccountId';
import CO_SELL_SOLUTION_OBJECT from '@salesforce/schema/Co_Sell_Solution__c';
import CS_OPPORTUNITY_FIELD from '@salesforce/schema/Co_Sell_Solution__c.Opportunity__c';
import CS_SOLUTION_FIELD from '@salesforce/schema/Co_Sell_Solution__c.Microsoft_Solution__c';
import { buildSaveMutation, suggestReferralCurrency, diffSolutions } from 'c/coSellDetailsModel';
import { READINESS_REQUIREMENTS } from 'c/coSellReadiness';
import { reduceErrors } from 'c/coSellErrors';
import { formatLabel } from 'c/coSellText';
import LABELS from './labels';

const FIELDS = [
  REFERRAL_CURRENCY_FIELD,
  HELP_NEEDED_FIELD,
  VISIBILITY_FIELD,
  CUSTOMER_CONTACT_FIELD,
  ACCOUNT_ID_FIELD,
];
// CurrencyIsoCode exists only in multi-currency orgs (R3), so it is optional and named as text.
const OPPORTUNITY_CURRENCY = 'Opportunity.CurrencyIsoCode';
const SHARED_VISIBILITY = 'Shared with Microsoft sellers';
const CONTACT_FIX = READINESS_REQUIREMENTS.find((r) => r.id === 'contact').fix({});

const SOLUTIONS_QUERY = gql`
  query coSellSolutions($opportunityId: ID) {
    uiapi {
      query {
        Microsoft_Solution__c(
          where: { Is_Active__c: { eq: true } }
          orderBy: { Name: { order: ASC } }
          first: 200
        ) {
          edges {
            node {
              Id
              Name {
                value
              }
              Solution_Id__c {
                value
              }
            }
          }
        }
        Co_Sell_Solution__c(where: { Opportunity__c: { eq: $opportunityId } }, first: 200) {
          edges {
            node {
              Id
              Microsoft_Solution__c {
                value
              }
            }
          }
        }
      }
    }
  }
`;

const SUGGESTION_TEXT = {
  opportunity: LABELS.CURRENCY_FROM_OPPORTUNITY,
  user: LABELS.CURRENCY_FROM_USER,
};

const MUTATION_NAMES = {
  opportunity: OPPORTUNITY_OBJECT.objectApiName,
  junction: CO_SELL_SOLUTION_OBJECT.objectApiName,
  junctionOpportunity: CS_OPPORTUNITY_FIELD.fieldApiName,
  junctionSolution: CS_SOLUTION_FIELD.fieldApiName,
};

export default class CoSellDetailsEditor extends LightningElement {
  @api recordId;

  labels = LABELS;
  record;
  picklists;
  activeSolutions = [];
  solutionRows = [];
  solutionsLoaded = false;
  solutionsResult;
  loadError;
  solutionsError;
  formError;
  saving = false;
  // Set once the seller changes anything, so a re-emitting wire does not overwrite their edits.
  edited = false;

  draft = {
    currency: '',
    helpNeeded: '',
    visibility: '',
    contactId: null,
    solutionIds: [],
  };
  currencySource = 'none';
  refreshHandlerId;

  connectedCallback() {
    // The page's standard refresh (lightning/refresh) reloads the editor too.
    this.refreshHandlerId = registerRefreshHandler(this, this.refreshHandler);
  }

  disconnectedCallback() {
    unregisterRefreshHandler(this.refreshHandlerId);
  }

  /** lightning/refresh handler: re-reads the record and the solutions; edits in progress stay. */
  refreshHandler() {
    return this.refreshAll().then(() => true);
  }

  @wire(getRecord, {
    recordId: '$recordId',
    fields: FIELDS,
    optionalFields: [OPPORTUNITY_CURRENCY],
  })
  wiredOpportunity({ data, error }) {
    if (data) {
      this.record = data;
      this.loadError = undefined;
      this.resetDraftIfUntouched();
    } else if (error) {
      this.loadError = reduceErrors(error).join(' ');
    }
  }

  get recordTypeId() {
    return this.record ? this.record.recordTypeId : undefined;
  }

  @wire(getPicklistValuesByRecordType, {
    objectApiName: OPPORTUNITY_OBJECT,
    recordTypeId: '$recordTypeId',
  })
  wiredPicklists({ data, error }) {
    if (data) {
      this.picklists = data.picklistFieldValues;
      this.resetDraftIfUntouched();
    } else if (error) {
      this.loadError = reduceErrors(error).join(' ');
    }
  }

  get solutionVariables() {
    return { opportunityId: this.recordId };
  }

  @wire(graphql, { query: SOLUTIONS_QUERY, variables: '$solutionVariables' })
  wiredSolutions(result) {
    this.solutionsResult = result;
    const { data, errors } = result;
    if (data) {
      const query = data.uiapi.query;
      this.activeSolutions = query.Microsoft_Solution__c.edges.map(({ node }) => ({
        id: node.Id,
        name: node.Name.value,
        solutionId: node.Solution_Id__c.value,
      }));
      this.solutionRows = query.Co_Sell_Solution__c.edges.map(({ node }) => ({
        id: node.Id,
        solutionId: node.Microsoft_Solution__c.value,
      }));
      this.solutionsLoaded = true;
      this.solutionsError = undefined;
      this.resetDraftIfUntouched();
    } else if (errors) {
      this.solutionsError = reduceErrors(errors).join(' ');
    }
  }

  stored(field) {
    return this.record ? getFieldValue(this.record, field) : undefined;
  }

  picklistOptions(field) {
    const values = this.picklists?.[field.fieldApiName]?.values || [];
    return values.map(({ label, value }) => ({ label, value }));
  }

  resetDraftIfUntouched() {
    if (this.edited || !this.record) return;
    const suggestion = suggestReferralCurrency({
      stored: this.stored(REFERRAL_CURRENCY_FIELD),
      opportunityCurrency: this.stored(OPPORTUNITY_CURRENCY),
      userCurrency: USER_CURRENCY,
      allowed: this.picklistOptions(REFERRAL_CURRENCY_FIELD).map((o) => o.value),
    });
    this.currencySource = suggestion.source;
    this.draft = {
      currency: suggestion.value || '',
      helpNeeded: this.stored(HELP_NEEDED_FIELD) || '',
      visibility: this.stored(VISIBILITY_FIELD) || 'Private',
      contactId: this.stored(CUSTOMER_CONTACT_FIELD) || null,
      solutionIds: this.solutionRows.map((row) => row.solutionId),
    };
    this.formError = undefined;
  }

  get loading() {
    return !this.record && !this.loadError;
  }

  get currencyOptions() {
    return [
      { label: LABELS.CURRENCY_DEFAULT, value: '' },
      ...this.picklistOptions(REFERRAL_CURRENCY_FIELD),
    ];
  }

  get helpOptions() {
    return [{ label: LABELS.NO_HELP, value: '' }, ...this.picklistOptions(HELP_NEEDED_FIELD)];
  }

  get visibilityOptions() {
    return this.picklistOptions(VISIBILITY_FIELD);
  }

  // Single-currency org (no CurrencyIsoCode): the referral currency names the currency the
  // Amount is in. Multi-currency: the bridge converts the Amount from the opportunity currency.
  get currencyHelp() {
    const opportunityCurrency = this.stored(OPPORTUNITY_CURRENCY);
    return opportunityCurrency
      ? formatLabel(LABELS.CURRENCY_HELP_MULTI, opportunityCurrency)
      : LABELS.CURRENCY_HELP_SINGLE;
  }

  get currencyHint() {
    return SUGGESTION_TEXT[this.currencySource];
  }

  // Locked while the form saves (so what is saved is what the seller sees), and for good once
  // shared: Partner Center cannot take a referral back from Microsoft sellers, nor can we.
  get visibilityDisabled() {
    return this.saving || this.stored(VISIBILITY_FIELD) === SHARED_VISIBILITY;
  }

  get contactRequired() {
    return this.draft.helpNeeded !== '';
  }

  get contactFilter() {
    const accountId = this.stored(ACCOUNT_ID_FIELD);
    return accountId
      ? { criteria: [{ fieldPath: 'AccountId', operator: 'eq', value: accountId }] }
      : undefined;
  }

  get solutionOptions() {
    // Keep solutions already on the opportunity visible even if they were deactivated since.
    const options = this.activeSolutions.map((s) => ({
      label: formatLabel(LABELS.SOLUTION_OPTION, s.name, s.solutionId),
      value: s.id,
    }));
    const known = new Set(options.map((o) => o.value));
    this.solutionRows
      .filter((row) => !known.has(row.solutionId))
      .forEach((row) => {
        known.add(row.solutionId);
        options.push({
          label: formatLabel(LABELS.INACTIVE_SOLUTION, row.solutionId),
          value: row.solutionId,
        });
      });
    return options;
  }

  get noSolutionsAvailable() {
    return this.solutionsLoaded && this.solutionOptions.length === 0;
  }

  get solutionChanges() {
    return diffSolutions(this.solutionRows, this.draft.solutionIds);
  }

  get fieldChanges() {
    const changes = {};
    const compare = (field, draftValue) => {
      const storedValue = this.stored(field) || (field === VISIBILITY_FIELD ? 'Private' : '');
      const normalisedDraft = draftValue || '';
      if (normalisedDraft !== (storedValue || '')) {
        changes[field.fieldApiName] = draftValue || null;
      }
    };
    compare(REFERRAL_CURRENCY_FIELD, this.draft.currency);
    compare(HELP_NEEDED_FIELD, this.draft.helpNeeded);
    compare(VISIBILITY_FIELD, this.draft.visibility);
    compare(CUSTOMER_CONTACT_FIELD, this.draft.contactId);
    return changes;
  }

  get hasChanges() {
    const { toCreate, toDelete } = this.solutionChanges;
    return Object.keys(this.fieldChanges).length > 0 || toCreate.length > 0 || toDelete.length > 0;
  }

  get saveDisabled() {
    return this.saving || !this.hasChanges;
  }

  get cancelDisabled() {
    return this.saving || !this.edited;
  }

  edit(patch) {
    this.draft = { ...this.draft, ...patch };
    this.edited = true;
    this.formError = undefined;
  }

  handleCurrencyChange(event) {
    this.currencySource = event.detail.value ? 'stored' : 'none';
    this.edit({ currency: event.detail.value });
  }

  handleHelpChange(event) {
    this.edit({ helpNeeded: event.detail.value });
  }

  handleVisibilityChange(event) {
    this.edit({ visibility: event.detail.value });
  }

  handleContactChange(event) {
    this.edit({ contactId: event.detail.recordId || null });
  }

  handleSolutionsChange(event) {
    this.edit({ solutionIds: [...event.detail.value] });
  }

  handleCancel() {
    this.edited = false;
    this.resetDraftIfUntouched();
  }

  async handleSave() {
    if (this.contactRequired && !this.draft.contactId) {
      this.formError = CONTACT_FIX;
      return;
    }
    // One all-or-none mutation for the whole form: one transaction, so the bridge sees one
    // change (not one per solution link) and a refusal leaves nothing half saved.
    const mutation = buildSaveMutation({
      recordId: this.recordId,
      fieldChanges: this.fieldChanges,
      ...this.solutionChanges,
      names: MUTATION_NAMES,
    });
    if (!mutation || this.saving) return;
    this.saving = true;
    try {
      const result = await executeMutation({
        query: gql`
          ${mutation}
        `,
        operationName: 'coSellSaveDetails',
      });
      if (result?.errors?.length) throw result.errors;
      this.edited = false;
      this.toast('success', LABELS.SAVED_TITLE, LABELS.SAVED_MESSAGE);
    } catch (error) {
      this.toast('error', LABELS.SAVE_ERROR_TITLE, reduceErrors(error).join(' '));
    } finally {
      this.saving = false;
      // Re-read after a failure too, so the form shows what is stored.
      await this.refreshAll();
    }
  }

  async refreshAll() {
    const refreshes = [notifyRecordUpdateAvailable([{ recordId: this.recordId }])];
    if (this.solutionsResult && typeof this.solutionsResult.refresh === 'function') {
      refreshes.push(this.solutionsResult.refresh());
    }
    try {
      await Promise.all(refreshes);
    } catch (error) {
      this.solutionsError = reduceErrors(error).join(' ');
    }
  }

  toast(variant, title, message) {
    this.dispatchEvent(new ShowToastEvent({ variant, title, message }));
  }
}
