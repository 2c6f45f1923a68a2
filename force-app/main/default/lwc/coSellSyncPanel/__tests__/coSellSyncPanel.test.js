// Tests drive the wire adapters' test doubles directly (emit/error), as lwc-recipes does.
/* eslint-disable @lwc/lwc/no-unexpected-wire-adapter-usages */
import { createElement } from 'lwc';
import CoSellSyncPanel from 'c/coSellSyncPanel';
import { getRecord, updateRecord, notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import { subscribe, unsubscribe } from 'lightning/empApi';
import { registerRefreshHandler, unregisterRefreshHandler } from 'lightning/refresh';
import CoSellActivityTimeline from 'c/coSellActivityTimeline';
import {
  $,
  $$,
  deliverSyncUpdate,
  flushPromises,
  mount,
  resetDom,
  validationRuleRejection,
  SOLUTION_RULE_MESSAGE,
  captureToasts,
  withFieldValues,
} from '../../../../../test/lwc-test-utils';

const READY = require('./data/readyOpportunity.json');
const SYNCED = require('./data/syncedOpportunity.json');
const RECORD_ID = READY.id;

function withCountry(record, country) {
  const copy = JSON.parse(JSON.stringify(record));
  copy.fields.Account.value.fields.BillingCountry = { value: country, displayValue: country };
  return copy;
}

async function render(record, props = {}) {
  const element = mount(createElement, 'c-co-sell-sync-panel', CoSellSyncPanel, {
    recordId: RECORD_ID,
    ...props,
  });
  if (record) getRecord.emit(record);
  await flushPromises();
  return element;
}

async function flipToggle(element, checked) {
  const toggle = $(element, 'lightning-input.sync-toggle');
  toggle.checked = checked;
  toggle.dispatchEvent(new CustomEvent('change'));
  await flushPromises();
  return toggle;
}

describe('c-co-sell-sync-panel', () => {
  afterEach(() => {
    resetDom();
    jest.clearAllMocks();
  });

  describe('@wire data', () => {
    it('R10: shows sync status, Partner Center status, last synced time and the referral link', async () => {
      const element = await render(SYNCED);

      expect($(element, 'lightning-input.sync-toggle').checked).toBe(true);
      const badge = $(element, 'lightning-badge');
      expect(badge.label).toBe('Synced');
      expect(badge.classList).toContain('slds-theme_success');
      expect($(element, '.pc-status').textContent).toBe('Active / Accepted');
      expect($(element, 'lightning-formatted-date-time').value).toBe('2026-11-30T08:15:00.000Z');
      const link = $(element, 'lightning-formatted-url.referral-link');
      expect(link.value).toBe(SYNCED.fields.Partner_Center_Referral_Link__c.value);
      expect(link.label).toBe(SYNCED.fields.Partner_Center_Referral_Id__c.value);
    });

    it('R10: shows an unsynced record as Not Synced, never synced, without a link', async () => {
      const element = await render(READY);

      expect($(element, 'lightning-badge').label).toBe('Not Synced');
      expect($(element, '.last-synced').textContent).toContain('Never');
      expect($(element, 'lightning-formatted-url')).toBeNull();
    });

    it('R10: shows the bridge error message as an alert', async () => {
      const element = await render(
        withFieldValues(SYNCED, {
          Partner_Center_Sync_Status__c: 'Error',
          Partner_Center_Sync_Message__c:
            'Partner Center rejected the referral: currency XYZ is not valid.',
        }),
      );

      expect($(element, 'lightning-badge').classList).toContain('slds-theme_error');
      const message = $(element, '.sync-message');
      expect(message.getAttribute('role')).toBe('alert');
      expect(message.textContent).toContain('currency XYZ is not valid');
    });

    it('asks for the configured country field by name', async () => {
      await render(READY, { countryField: 'Account.ShippingCountry' });
      expect(getRecord.getLastConfig().optionalFields).toEqual([
        'Opportunity.Account.ShippingCountryCode',
        'Opportunity.Account.ShippingCountry',
      ]);
    });

    it('R10: shows the status in the seller’s language (the picklist’s display value)', async () => {
      const record = withFieldValues(SYNCED, {});
      record.fields.Partner_Center_Sync_Status__c = {
        value: 'Synced',
        displayValue: 'Synchronisiert',
      };
      const element = await render(record);
      expect($(element, 'lightning-badge').label).toBe('Synchronisiert');
      expect($(element, 'lightning-badge').classList).toContain('slds-theme_success');
    });

    it('R18: tells the seller to accept or decline a referral Microsoft shared', async () => {
      const element = await render(
        withFieldValues(SYNCED, {
          Partner_Center_Status__c: 'New',
          Partner_Center_Substatus__c: 'Pending',
        }),
      );
      const hint = $(element, '.awaiting-decision');
      expect(hint.getAttribute('role')).toBe('status');
      expect(hint.textContent).toContain('waits for your answer');
      expect($(element, 'lightning-formatted-url.referral-link')).not.toBeNull();
      // Issue 19: the owner answers it here; the fixture's owner is the current user.
      const decision = $(element, 'c-co-sell-decision');
      expect(decision.ownerId).toBe('005000000000000000');
      expect(decision.recordId).toBe(RECORD_ID);
      expect(decision.expiresSoon).toBe(false);
    });

    it('has no decision hint once the referral is accepted', async () => {
      const element = await render(SYNCED);
      expect($(element, '.awaiting-decision')).toBeNull();
      expect($(element, 'c-co-sell-decision')).toBeNull();
    });
  });

  describe('readiness checklist', () => {
    it('R11: a complete opportunity has every item met and the toggle enabled', async () => {
      const element = await render(READY);

      expect($$(element, 'li.checklist-item_unmet')).toHaveLength(0);
      expect($$(element, 'li.checklist-item_met').length).toBeGreaterThanOrEqual(5);
      expect($(element, 'lightning-input.sync-toggle').disabled).toBe(false);
    });

    it('R16/R17: lists each unmet item with its fix and keeps sync from being turned on', async () => {
      const record = withCountry(
        withFieldValues(READY, { Co_Sell_Solution_Count__c: 0 }),
        'Sweden',
      );
      const element = await render(record);

      const unmet = $$(element, 'li.checklist-item_unmet');
      expect(unmet.map((li) => li.dataset.id)).toEqual(['solution', 'country']);
      expect($(element, 'li[data-id="country"] .fix').textContent).toContain(
        "Set the account's Billing Country to its two-letter ISO code",
      );
      expect($(element, 'li[data-id="solution"] .fix').textContent).toContain(
        'Add at least one Microsoft co-sell solution',
      );
      expect($(element, 'lightning-input.sync-toggle').disabled).toBe(true);
      expect($(element, '.not-ready-hint')).not.toBeNull();
    });

    it('R16: with State and Country picklists, reads the ISO code and accepts a full country name', async () => {
      const record = withCountry(READY, 'Sweden');
      record.fields.Account.value.fields.BillingCountryCode = { value: 'SE', displayValue: 'SE' };
      const element = await render(record);
      expect($(element, 'li[data-id="country"]').classList).toContain('checklist-item_met');
    });

    it('R11: asks for a customer contact once Microsoft help is requested', async () => {
      const element = await render(
        withFieldValues(READY, { Co_Sell_Help_Needed__c: 'QuotesOrLicensing' }),
      );

      expect($(element, 'li[data-id="contact"]').classList).toContain('checklist-item_unmet');
      expect($(element, 'li[data-id="contact"] .fix').textContent).toContain(
        'Co-Sell Customer Contact',
      );
    });

    it('lets the seller turn sync off even when the record is no longer ready', async () => {
      const element = await render(withFieldValues(SYNCED, { Amount: 0 }));
      expect($(element, 'lightning-input.sync-toggle').disabled).toBe(false);
    });
  });

  describe('user actions', () => {
    it('R12: turning sync on writes the toggle and confirms with a toast', async () => {
      const element = await render(READY);
      const toasts = captureToasts(element);

      await flipToggle(element, true);

      expect(updateRecord).toHaveBeenCalledWith({
        fields: { Id: RECORD_ID, Sync_with_Partner_Center__c: true },
      });
      expect(toasts).toHaveLength(1);
      expect(toasts[0].variant).toBe('success');
    });

    it('R12: turning sync off writes false', async () => {
      const element = await render(SYNCED);
      await flipToggle(element, false);
      expect(updateRecord).toHaveBeenCalledWith({
        fields: { Id: RECORD_ID, Sync_with_Partner_Center__c: false },
      });
    });

    it('R11: shows the validation rule message and restores the toggle when the save is rejected', async () => {
      updateRecord.mockRejectedValueOnce(validationRuleRejection(SOLUTION_RULE_MESSAGE));
      const element = await render(READY);
      const toasts = captureToasts(element);

      const toggle = await flipToggle(element, true);

      const toast = toasts[0];
      expect(toast.variant).toBe('error');
      expect(toast.message).toContain('Add at least one Microsoft co-sell solution');
      expect(toggle.checked).toBe(false);
    });

    it('does not write when an unready record is switched on anyway', async () => {
      const element = await render(withFieldValues(READY, { Amount: null }));
      const toggle = await flipToggle(element, true);
      expect(updateRecord).not.toHaveBeenCalled();
      expect(toggle.checked).toBe(false);
    });
  });

  describe('live updates (lightning/empApi)', () => {
    it('R10: refreshes the record when the bridge announces a write-back to it, not to another', async () => {
      await render(READY);
      expect(subscribe).toHaveBeenCalledWith(
        '/event/Co_Sell_Sync_Update__e',
        -1,
        expect.any(Function),
      );

      deliverSyncUpdate('006000000000009AAA', 'Error');
      expect(notifyRecordUpdateAvailable).not.toHaveBeenCalled();

      deliverSyncUpdate(RECORD_ID, 'Pending');
      expect(notifyRecordUpdateAvailable).toHaveBeenCalledWith([{ recordId: RECORD_ID }]);
    });

    it('shares one subscription with the activity timeline on the same page', async () => {
      const subscription = { channel: '/event/Co_Sell_Sync_Update__e', id: 'sub-shared' };
      subscribe.mockResolvedValueOnce(subscription);
      const panel = await render(READY);
      const timeline = mount(createElement, 'c-co-sell-activity-timeline', CoSellActivityTimeline, {
        recordId: RECORD_ID,
      });
      await flushPromises();
      expect(subscribe).toHaveBeenCalledTimes(1);

      deliverSyncUpdate(RECORD_ID, 'Synced');
      expect(notifyRecordUpdateAvailable).toHaveBeenCalledTimes(1);

      document.body.removeChild(panel);
      expect(unsubscribe).not.toHaveBeenCalled();
      document.body.removeChild(timeline);
      expect(unsubscribe).toHaveBeenCalledTimes(1);
      expect(unsubscribe).toHaveBeenCalledWith(subscription, expect.any(Function));
    });

    it('R10: shows the new status when the refreshed record arrives', async () => {
      const element = await render(READY);
      deliverSyncUpdate(RECORD_ID, 'Pending');
      getRecord.emit(withFieldValues(READY, { Partner_Center_Sync_Status__c: 'Pending' }));
      await flushPromises();
      expect($(element, 'lightning-badge').label).toBe('Pending');
    });

    it('unsubscribes when removed from the page', async () => {
      const subscription = { channel: '/event/Co_Sell_Sync_Update__e', id: 'sub-9' };
      subscribe.mockResolvedValueOnce(subscription);
      const element = await render(READY);
      document.body.removeChild(element);
      expect(unsubscribe).toHaveBeenCalledWith(subscription, expect.any(Function));
    });

    it('says so when live updates cannot start', async () => {
      subscribe.mockRejectedValueOnce(new Error('Streaming API is disabled'));
      const element = await render(READY);
      const notice = $(element, '.live-updates-unavailable');
      expect(notice.textContent).toContain('Live updates are unavailable; reload the page');
      expect(notice.getAttribute('role')).toBe('status');
    });
  });

  describe('standard refresh (lightning/refresh)', () => {
    it('registers a refresh handler that re-reads the record, and unregisters it on removal', async () => {
      const element = await render(READY);
      expect(registerRefreshHandler).toHaveBeenCalledTimes(1);
      const [[component, handler]] = registerRefreshHandler.mock.calls;

      await expect(handler.call(component)).resolves.toBe(true);
      expect(notifyRecordUpdateAvailable).toHaveBeenCalledWith([{ recordId: RECORD_ID }]);

      const id = registerRefreshHandler.mock.results[0].value;
      document.body.removeChild(element);
      expect(unregisterRefreshHandler).toHaveBeenCalledWith(id);
    });
  });

  describe('@wire error', () => {
    it('shows the error instead of the panel', async () => {
      const element = await render(null);
      getRecord.error({ message: 'You do not have access to this record.' }, 403, 'Forbidden');
      await flushPromises();

      expect($(element, '.load-error').textContent).toContain(
        'You do not have access to this record.',
      );
      expect($(element, 'lightning-input.sync-toggle')).toBeNull();
    });
  });

  describe('accessibility', () => {
    it('is accessible when synced', async () => {
      const element = await render(SYNCED);
      await expect(element).toBeAccessible();
    });

    it('is accessible with an unmet checklist and an error message', async () => {
      const element = await render(
        withFieldValues(withCountry(READY, null), {
          Partner_Center_Sync_Status__c: 'Error',
          Partner_Center_Sync_Message__c: 'Set the country.',
        }),
      );
      await expect(element).toBeAccessible();
    });

    it('is accessible when the record cannot be loaded', async () => {
      const element = await render(null);
      getRecord.error();
      await flushPromises();
      await expect(element).toBeAccessible();
    });
  });
});
