// Tests drive the wire adapters' test doubles directly (emit), as lwc-recipes does.
/* eslint-disable @lwc/lwc/no-unexpected-wire-adapter-usages */
import { createElement } from 'lwc';
import CoSellDecision from 'c/coSellDecision';
import { updateRecord } from 'lightning/uiRecordApi';
import { getPicklistValuesByRecordType } from 'lightning/uiObjectInfoApi';
import {
  $,
  flushPromises,
  mount,
  resetDom,
  captureToasts,
  validationRuleRejection,
} from '../../../../../test/lwc-test-utils';

const PICKLISTS = require('../../coSellDetailsEditor/__tests__/data/picklists.json');
// sfdx-lwc-jest answers @salesforce/user/Id with this id.
const CURRENT_USER = '005000000000000000';
const RECORD_ID = '006000000000001AAA';
const DECLINE_RULE =
  'Choose a Co-Sell Decline Reason: Partner Center records why a referral was declined.';

async function render(props = {}) {
  const element = mount(createElement, 'c-co-sell-decision', CoSellDecision, {
    recordId: RECORD_ID,
    recordTypeId: '012000000000000AAA',
    ownerId: CURRENT_USER,
    ...props,
  });
  getPicklistValuesByRecordType.emit(PICKLISTS);
  await flushPromises();
  return element;
}

function click(element, selector) {
  $(element, selector).click();
  return flushPromises();
}

describe('c-co-sell-decision', () => {
  afterEach(() => {
    resetDom();
    jest.clearAllMocks();
  });

  it('shows Accept and Decline to the owner, in a labelled group', async () => {
    const element = await render();
    const group = $(element, '.decision-buttons');
    expect(group.getAttribute('role')).toBe('group');
    expect(group.getAttribute('aria-label')).toBe("Answer Microsoft's referral");
    expect($(element, 'lightning-button.accept').label).toBe('Accept');
    expect($(element, 'lightning-button.decline').label).toBe('Decline');
    expect($(element, '.not-owner')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('Accept saves Co_Sell_Decision__c = Accept and says the bridge sends it', async () => {
    updateRecord.mockResolvedValue({});
    const element = await render();
    const toasts = captureToasts(element);
    await click(element, 'lightning-button.accept');
    expect(updateRecord).toHaveBeenCalledWith({
      fields: { Id: RECORD_ID, Co_Sell_Decision__c: 'Accept' },
    });
    expect(toasts).toEqual([
      expect.objectContaining({ variant: 'success', title: 'Answer saved' }),
    ]);
  });

  it('Decline asks for a reason (the picklist values) and saves both', async () => {
    updateRecord.mockResolvedValue({});
    const element = await render();
    await click(element, 'lightning-button.decline');
    const reason = $(element, 'lightning-combobox.decline-reason');
    expect(reason.required).toBe(true);
    expect(reason.options.map((o) => o.value)).toContain('Outside our region');
    expect($(element, 'lightning-button.confirm-decline').disabled).toBe(true);
    await expect(element).toBeAccessible();
    reason.dispatchEvent(new CustomEvent('change', { detail: { value: 'Outside our region' } }));
    await flushPromises();
    expect($(element, 'lightning-button.confirm-decline').disabled).toBe(false);
    await click(element, 'lightning-button.confirm-decline');
    expect(updateRecord).toHaveBeenCalledWith({
      fields: {
        Id: RECORD_ID,
        Co_Sell_Decision__c: 'Decline',
        Co_Sell_Decline_Reason__c: 'Outside our region',
      },
    });
  });

  it('Cancel goes back to the two buttons without saving', async () => {
    const element = await render();
    await click(element, 'lightning-button.decline');
    await click(element, 'lightning-button.cancel-decline');
    expect($(element, '.decision-buttons')).not.toBeNull();
    expect(updateRecord).not.toHaveBeenCalled();
  });

  it('a refused save shows Salesforce’s message as an error toast', async () => {
    updateRecord.mockRejectedValue(validationRuleRejection(DECLINE_RULE));
    const element = await render();
    const toasts = captureToasts(element);
    await click(element, 'lightning-button.accept');
    expect(toasts).toEqual([
      expect.objectContaining({ variant: 'error', message: expect.stringContaining(DECLINE_RULE) }),
    ]);
  });

  it('someone else than the owner sees why there are no buttons', async () => {
    const element = await render({ ownerId: '005000000000001AAA' });
    expect($(element, '.decision-buttons')).toBeNull();
    expect($(element, '.not-owner').textContent).toBe(
      'Only the opportunity owner can accept or decline this referral.',
    );
  });

  it('a saved decision waiting for the bridge replaces the buttons', async () => {
    const element = await render({ decision: 'Decline' });
    expect($(element, '.decision-buttons')).toBeNull();
    const pending = $(element, '.decision-pending');
    expect(pending.getAttribute('role')).toBe('status');
    expect(pending.textContent).toBe('Your answer (Decline) is on its way to Partner Center.');
  });

  it('warns when the referral expires soon, with the date', async () => {
    const element = await render({ expiresSoon: true, expiration: '2026-12-06T10:00:00.000Z' });
    const warning = $(element, '.expires-soon');
    expect(warning.getAttribute('role')).toBe('status');
    expect(warning.textContent).toContain('expires on 2026-12-06');
    await expect(element).toBeAccessible();
  });
});
