// Tests drive the wire adapters' test doubles directly (emit/error), as lwc-recipes does.
/* eslint-disable @lwc/lwc/no-unexpected-wire-adapter-usages */
import { createElement } from 'lwc';
import CoSellDetailsEditor from 'c/coSellDetailsEditor';
import {
  getRecord,
  updateRecord,
  createRecord,
  deleteRecord,
  notifyRecordUpdateAvailable,
} from 'lightning/uiRecordApi';
import { getPicklistValuesByRecordType } from 'lightning/uiObjectInfoApi';
import { executeMutation, graphql } from 'lightning/graphql';
import { registerRefreshHandler } from 'lightning/refresh';
import {
  $,
  flushPromises,
  mount,
  resetDom,
  SOLUTION_RULE_MESSAGE,
  captureToasts,
  withFieldValues,
} from '../../../../../test/lwc-test-utils';

const OPPORTUNITY = require('./data/opportunity.json');
const PICKLISTS = require('./data/picklists.json');
const SOLUTIONS = require('./data/solutions.json');
const RECORD_ID = OPPORTUNITY.id;
const NO_SOLUTIONS = {
  uiapi: { query: { Microsoft_Solution__c: { edges: [] }, Co_Sell_Solution__c: { edges: [] } } },
};

function opportunityWith(overrides, extraFields = {}) {
  return withFieldValues(OPPORTUNITY, { ...overrides, ...extraFields });
}

async function render({ record = OPPORTUNITY, solutions = SOLUTIONS, refresh } = {}) {
  const element = mount(createElement, 'c-co-sell-details-editor', CoSellDetailsEditor, {
    recordId: RECORD_ID,
  });
  getRecord.emit(record);
  await flushPromises();
  getPicklistValuesByRecordType.emit(PICKLISTS);
  graphql.emit(solutions, undefined, refresh);
  await flushPromises();
  return element;
}

async function change(element, selector, detail) {
  $(element, selector).dispatchEvent(new CustomEvent('change', { detail }));
  await flushPromises();
}

/** The mutation text executeMutation was given (gql is the stub's jest.fn: read its template). */
function savedMutation(call = 0) {
  expect(executeMutation).toHaveBeenCalled();
  const { query, operationName } = executeMutation.mock.calls[call][0];
  expect(operationName).toBe('coSellSaveDetails');
  // The component passes gql`${mutation}`; the stub's gql returns undefined, so read its input.
  expect(query).toBeUndefined();
  const gqlCalls = require('lightning/graphql').gql.mock.calls;
  return gqlCalls[gqlCalls.length - 1][1];
}

/** The operations of a saved mutation, in order, as "alias: Operation". */
function operations(mutation) {
  return [...mutation.matchAll(/^\s+(\w+): (\w+)\(/gm)].map((m) => `${m[1]}: ${m[2]}`);
}

async function save(element) {
  $(element, 'lightning-button.save').click();
  await flushPromises();
}

describe('c-co-sell-details-editor', () => {
  afterEach(() => {
    resetDom();
    jest.clearAllMocks();
  });

  describe('@wire data', () => {
    it('shows the stored values and the picklist choices of the record type', async () => {
      const element = await render();

      expect(getPicklistValuesByRecordType.getLastConfig().recordTypeId).toBe(
        OPPORTUNITY.recordTypeId,
      );
      const currency = $(element, 'lightning-combobox.currency');
      expect(currency.value).toBe('EUR');
      expect(currency.options.map((o) => o.value)).toEqual(['', 'USD', 'EUR', 'SEK']);
      const help = $(element, 'lightning-combobox.help-needed');
      expect(help.value).toBe('');
      expect(help.options[0]).toEqual({ label: 'No help needed', value: '' });
      expect($(element, 'lightning-combobox.visibility').value).toBe('Private');
      expect($(element, 'lightning-button.save').disabled).toBe(true);
    });

    it('R17: offers the active solutions and selects those already on the opportunity', async () => {
      const element = await render();

      expect(graphql.getLastConfig().variables).toEqual({ opportunityId: RECORD_ID });
      const picker = $(element, 'lightning-dual-listbox.solutions');
      expect(picker.options).toEqual([
        { label: 'Contoso Analytics (SOL-15974-MQF)', value: 'a0A000000000001AAA' },
        { label: 'Contoso Security (SOL-20001-ABC)', value: 'a0A000000000002AAA' },
      ]);
      expect(picker.value).toEqual(['a0A000000000001AAA']);
    });

    it('R17: tells the seller when no co-sell solution exists yet', async () => {
      const element = await render({ solutions: NO_SOLUTIONS });
      expect($(element, '.no-solutions').textContent).toContain('Ask your Salesforce admin');
      expect($(element, 'lightning-dual-listbox')).toBeNull();
    });

    it('limits the contact picker to contacts of the opportunity account', async () => {
      const element = await render();
      expect($(element, 'lightning-record-picker.contact').filter).toEqual({
        criteria: [{ fieldPath: 'AccountId', operator: 'eq', value: '001000000000001AAA' }],
      });
    });

    it('keeps a shared referral shared: visibility cannot be changed back', async () => {
      const element = await render({
        record: opportunityWith({ Partner_Center_Visibility__c: 'Shared with Microsoft sellers' }),
      });
      expect($(element, 'lightning-combobox.visibility').disabled).toBe(true);
    });
  });

  describe('referral currency default (R3)', () => {
    it('R3: preselects the opportunity currency in a multi-currency org', async () => {
      const element = await render({
        record: opportunityWith({ Referral_Currency__c: null }, { CurrencyIsoCode: 'SEK' }),
      });
      expect($(element, 'lightning-combobox.currency').value).toBe('SEK');
      expect($(element, '.currency-hint').textContent).toContain('opportunity currency');
      expect($(element, 'lightning-button.save').disabled).toBe(false);
    });

    it('R3: preselects the user currency in a single-currency org', async () => {
      const element = await render({ record: opportunityWith({ Referral_Currency__c: null }) });
      expect($(element, 'lightning-combobox.currency').value).toBe('USD');
      expect($(element, '.currency-hint').textContent).toContain('your currency');
    });

    it('R3: saves the preselected currency', async () => {
      const element = await render({ record: opportunityWith({ Referral_Currency__c: null }) });
      await save(element);
      const mutation = savedMutation();
      expect(operations(mutation)).toEqual(['opportunity: OpportunityUpdate']);
      expect(mutation).toContain(
        `OpportunityUpdate(input: { Id: "${RECORD_ID}", Opportunity: { Referral_Currency__c: "USD" } })`,
      );
    });

    it('R3: explains a single-currency org: the referral currency is the Amount’s currency', async () => {
      const element = await render();
      expect($(element, 'lightning-combobox.currency').fieldLevelHelp).toContain(
        'The currency the opportunity Amount is in',
      );
    });

    it('R3: explains a multi-currency org: the Amount is converted from the opportunity currency', async () => {
      const element = await render({ record: opportunityWith({}, { CurrencyIsoCode: 'SEK' }) });
      expect($(element, 'lightning-combobox.currency').fieldLevelHelp).toContain(
        'converted from the opportunity currency (SEK)',
      );
    });
  });

  describe('user actions', () => {
    it('R11/R17: saves the whole form once: links, fields, then unlinks, in one all-or-none mutation', async () => {
      const refresh = jest.fn().mockResolvedValue(undefined);
      const element = await render({ refresh });
      const toasts = captureToasts(element);

      await change(element, 'lightning-dual-listbox.solutions', {
        value: ['a0A000000000002AAA', 'a0A000000000003AAA'],
      });
      await change(element, 'lightning-combobox.help-needed', { value: 'ProofOfConceptOrDemo' });
      await change(element, 'lightning-record-picker.contact', { recordId: '003000000000001AAA' });
      await save(element);

      expect(executeMutation).toHaveBeenCalledTimes(1);
      const mutation = savedMutation();
      expect(mutation).toContain('uiapi(input: { allOrNone: true })');
      expect(operations(mutation)).toEqual([
        'link0: Co_Sell_Solution__cCreate',
        'link1: Co_Sell_Solution__cCreate',
        'opportunity: OpportunityUpdate',
        'unlink0: Co_Sell_Solution__cDelete',
      ]);
      expect(mutation).toContain(
        `Co_Sell_Solution__c: { Opportunity__c: "${RECORD_ID}", Microsoft_Solution__c: "a0A000000000002AAA" }`,
      );
      expect(mutation).toContain(
        'Opportunity: { Co_Sell_Help_Needed__c: "ProofOfConceptOrDemo", Co_Sell_Customer_Contact__c: "003000000000001AAA" }',
      );
      expect(mutation).toContain('Co_Sell_Solution__cDelete(input: { Id: "a0B000000000001AAA" })');
      // Nothing is written one record at a time any more.
      expect(createRecord).not.toHaveBeenCalled();
      expect(updateRecord).not.toHaveBeenCalled();
      expect(deleteRecord).not.toHaveBeenCalled();
      expect(toasts.map((t) => t.variant)).toEqual(['success']);
      expect(refresh).toHaveBeenCalled();
      expect(notifyRecordUpdateAvailable).toHaveBeenCalledWith([{ recordId: RECORD_ID }]);
    });

    it('locks the whole form, visibility included, while it saves, and saves only once', async () => {
      let finish;
      executeMutation.mockImplementationOnce(
        () => new Promise((resolve) => (finish = () => resolve({ data: {}, errors: undefined }))),
      );
      const element = await render();
      await change(element, 'lightning-combobox.currency', { value: 'SEK' });
      await save(element);

      const controls = [
        'lightning-dual-listbox.solutions',
        'lightning-combobox.currency',
        'lightning-combobox.help-needed',
        'lightning-record-picker.contact',
        'lightning-combobox.visibility',
        'lightning-button.cancel',
        'lightning-button.save',
      ];
      expect(controls.filter((selector) => !$(element, selector).disabled)).toEqual([]);
      expect($(element, 'lightning-spinner')).not.toBeNull();
      await save(element);
      expect(executeMutation).toHaveBeenCalledTimes(1);

      finish();
      await flushPromises();
      expect($(element, 'lightning-combobox.visibility').disabled).toBe(false);
      expect($(element, 'lightning-combobox.currency').disabled).toBe(false);
      expect($(element, 'lightning-spinner')).toBeNull();
    });

    it('R11: asks for a customer contact before saving when Microsoft help is requested', async () => {
      const element = await render();

      await change(element, 'lightning-combobox.help-needed', { value: 'GeneralOrOther' });
      expect($(element, 'lightning-record-picker.contact').required).toBe(true);
      await save(element);

      expect($(element, '.form-error').textContent).toContain('Choose a Co-Sell Customer Contact');
      expect(executeMutation).not.toHaveBeenCalled();
    });

    it('clears a help request by writing null', async () => {
      const element = await render({
        record: opportunityWith({
          Co_Sell_Help_Needed__c: 'GeneralOrOther',
          Co_Sell_Customer_Contact__c: '003000000000001AAA',
        }),
      });
      await change(element, 'lightning-combobox.help-needed', { value: '' });
      await save(element);
      expect(savedMutation()).toContain('Opportunity: { Co_Sell_Help_Needed__c: null }');
    });

    it('R11: shows the validation rule message when Salesforce rejects the save', async () => {
      // A refused mutation answers with GraphQL errors (and, all or none, saves nothing).
      executeMutation.mockResolvedValueOnce({
        data: undefined,
        errors: [{ message: SOLUTION_RULE_MESSAGE, locations: [], paths: ['unlink0'] }],
      });
      const element = await render();
      const toasts = captureToasts(element);

      await change(element, 'lightning-dual-listbox.solutions', { value: [] });
      await save(element);

      const toast = toasts[0];
      expect(toast.variant).toBe('error');
      expect(toast.message).toContain('Add at least one Microsoft co-sell solution');
      expect(notifyRecordUpdateAvailable).toHaveBeenCalled();
    });

    it('keeps the seller’s edits when the record re-emits, and Cancel restores the stored values', async () => {
      const element = await render();
      await change(element, 'lightning-combobox.currency', { value: 'SEK' });
      getRecord.emit(opportunityWith({ Referral_Currency__c: 'EUR' }));
      await flushPromises();
      expect($(element, 'lightning-combobox.currency').value).toBe('SEK');

      $(element, 'lightning-button.cancel').click();
      await flushPromises();
      expect($(element, 'lightning-combobox.currency').value).toBe('EUR');
      expect($(element, 'lightning-button.save').disabled).toBe(true);
    });
  });

  describe('standard refresh (lightning/refresh)', () => {
    it('re-reads the record and the solutions, keeping edits in progress', async () => {
      const refresh = jest.fn().mockResolvedValue(undefined);
      const element = await render({ refresh });
      await change(element, 'lightning-combobox.currency', { value: 'SEK' });
      const [[component, handler]] = registerRefreshHandler.mock.calls;

      await expect(handler.call(component)).resolves.toBe(true);
      expect(refresh).toHaveBeenCalledTimes(1);
      expect(notifyRecordUpdateAvailable).toHaveBeenCalledWith([{ recordId: RECORD_ID }]);
      getRecord.emit(OPPORTUNITY);
      await flushPromises();
      expect($(element, 'lightning-combobox.currency').value).toBe('SEK');
    });
  });

  describe('@wire errors', () => {
    it('shows a record load error', async () => {
      const element = mount(createElement, 'c-co-sell-details-editor', CoSellDetailsEditor, {
        recordId: RECORD_ID,
      });
      getRecord.error({ message: 'Insufficient access' }, 403, 'Forbidden');
      await flushPromises();
      expect($(element, '.load-error').textContent).toContain('Insufficient access');
    });

    it('shows a solutions query error and keeps the other fields usable', async () => {
      const element = mount(createElement, 'c-co-sell-details-editor', CoSellDetailsEditor, {
        recordId: RECORD_ID,
      });
      getRecord.emit(OPPORTUNITY);
      await flushPromises();
      getPicklistValuesByRecordType.emit(PICKLISTS);
      graphql.emitErrors([{ message: 'Microsoft_Solution__c is not supported by UI API' }]);
      await flushPromises();

      expect($(element, '.solutions-error').textContent).toContain('not supported');
      expect($(element, 'lightning-combobox.currency')).not.toBeNull();
    });
  });

  describe('accessibility', () => {
    it('is accessible with data', async () => {
      const element = await render();
      await expect(element).toBeAccessible();
    });

    it('is accessible with a form error', async () => {
      const element = await render();
      await change(element, 'lightning-combobox.help-needed', { value: 'GeneralOrOther' });
      await save(element);
      await expect(element).toBeAccessible();
    });
  });
});
