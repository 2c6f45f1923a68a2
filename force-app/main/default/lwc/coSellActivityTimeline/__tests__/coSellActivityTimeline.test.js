import { createElement } from 'lwc';
import CoSellActivityTimeline from 'c/coSellActivityTimeline';
import { graphql } from 'lightning/graphql';
import { subscribe, unsubscribe } from 'lightning/empApi';
import { registerRefreshHandler, unregisterRefreshHandler } from 'lightning/refresh';
import {
  $,
  $$,
  deliverSyncUpdate,
  flushPromises,
  mount,
  resetDom,
} from '../../../../../test/lwc-test-utils';

const SYNC_EVENTS = require('./data/syncEvents.json');
const RECORD_ID = '006000000000001AAA';
const NO_EVENTS = { uiapi: { query: { Co_Sell_Sync_Event__c: { edges: [] } } } };

async function render() {
  const element = mount(createElement, 'c-co-sell-activity-timeline', CoSellActivityTimeline, {
    recordId: RECORD_ID,
  });
  await flushPromises();
  return element;
}

describe('c-co-sell-activity-timeline', () => {
  afterEach(() => {
    resetDom();
    jest.clearAllMocks();
  });

  describe('@wire data', () => {
    it('R10: queries this opportunity’s sync events', async () => {
      await render();
      expect(graphql.getLastConfig().variables).toEqual({ recordId: RECORD_ID });
    });

    it('R10: lists every attempt in the order received (newest first) with direction, outcome, message and time', async () => {
      const element = await render();
      graphql.emit(SYNC_EVENTS);
      await flushPromises();

      const entries = $$(element, 'li.timeline-entry');
      expect(entries.map((li) => li.dataset.id)).toEqual([
        'a0C000000000003AAA',
        'a0C000000000002AAA',
        'a0C000000000001AAA',
      ]);
      const [inbound, outbound, failed] = entries;
      expect(inbound.querySelector('.direction').textContent).toBe('Partner Center to Salesforce');
      expect(outbound.querySelector('.direction').textContent).toBe('Salesforce to Partner Center');
      expect(inbound.querySelector('lightning-badge').label).toBe('Success');
      expect(inbound.querySelector('lightning-formatted-date-time').value).toBe(
        '2026-11-30T08:20:00.000Z',
      );
      expect(outbound.querySelector('.api-calls').textContent).toBe('2 Partner Center API calls');
      expect(inbound.querySelector('.api-calls').textContent).toBe('1 Partner Center API call');
      expect(inbound.querySelector('.referral-id').textContent).toContain('7f7e1c1e');

      expect(failed.querySelector('lightning-badge').label).toBe('Error');
      expect(failed.querySelector('lightning-badge').classList).toContain('slds-theme_error');
      expect(failed.querySelector('.message').textContent).toContain('two-letter ISO code');
      expect(failed.querySelector('.referral-id')).toBeNull();
    });

    it('shows the outcome in the seller’s language (the picklist’s display value)', async () => {
      const element = await render();
      const translated = JSON.parse(JSON.stringify(SYNC_EVENTS));
      translated.uiapi.query.Co_Sell_Sync_Event__c.edges[2].node.Outcome__c.displayValue = 'Fehler';
      graphql.emit(translated);
      await flushPromises();
      const badge = $$(element, 'li.timeline-entry')[2].querySelector('lightning-badge');
      expect(badge.label).toBe('Fehler');
      expect(badge.classList).toContain('slds-theme_error');
    });

    it('R10: shows a clear empty state when nothing was synced yet', async () => {
      const element = await render();
      graphql.emit(NO_EVENTS);
      await flushPromises();

      expect($(element, '.empty-state').textContent).toContain('No sync activity yet');
      expect($$(element, 'li.timeline-entry')).toHaveLength(0);
    });

    it('shows a spinner until the query answers', async () => {
      const element = await render();
      expect($(element, 'lightning-spinner')).not.toBeNull();
    });
  });

  describe('@wire error', () => {
    it('shows the GraphQL error', async () => {
      const element = await render();
      graphql.emitErrors([
        { message: 'No such column Occurred_At__c on entity Co_Sell_Sync_Event__c' },
      ]);
      await flushPromises();

      expect($(element, '.load-error').textContent).toContain('No such column Occurred_At__c');
      expect($(element, '.empty-state')).toBeNull();
    });
  });

  describe('refreshing', () => {
    it('R10: re-runs the query when the bridge announces a write-back to this opportunity only', async () => {
      const refresh = jest.fn().mockResolvedValue(undefined);
      await render();
      graphql.emit(SYNC_EVENTS, undefined, refresh);
      await flushPromises();
      expect(subscribe).toHaveBeenCalledWith(
        '/event/Co_Sell_Sync_Update__e',
        -1,
        expect.any(Function),
      );

      deliverSyncUpdate('006000000000002AAA', 'Error');
      expect(refresh).not.toHaveBeenCalled();
      deliverSyncUpdate(RECORD_ID, 'Synced');
      expect(refresh).toHaveBeenCalledTimes(1);
    });

    it('says so when live updates are unavailable, and keeps the refresh button', async () => {
      subscribe.mockRejectedValueOnce(new Error('403::Forbidden'));
      const element = await render();
      graphql.emit(SYNC_EVENTS);
      await flushPromises();
      expect($(element, '.live-updates-unavailable').textContent).toContain(
        'Live updates are unavailable',
      );
      expect($(element, 'lightning-button-icon.refresh')).not.toBeNull();
    });

    it('re-runs the query on the page’s standard refresh (lightning/refresh)', async () => {
      const refresh = jest.fn().mockResolvedValue(undefined);
      const element = await render();
      graphql.emit(SYNC_EVENTS, undefined, refresh);
      await flushPromises();
      const [[component, handler]] = registerRefreshHandler.mock.calls;

      await expect(handler.call(component)).resolves.toBe(true);
      expect(refresh).toHaveBeenCalledTimes(1);
      document.body.removeChild(element);
      expect(unregisterRefreshHandler).toHaveBeenCalledWith(
        registerRefreshHandler.mock.results[0].value,
      );
    });

    it('re-runs the query from the refresh button', async () => {
      const refresh = jest.fn().mockResolvedValue(undefined);
      const element = await render();
      graphql.emit(NO_EVENTS, undefined, refresh);
      await flushPromises();

      $(element, 'lightning-button-icon.refresh').click();
      expect(refresh).toHaveBeenCalledTimes(1);
    });

    it('shows a newly arrived attempt after refresh', async () => {
      const element = await render();
      graphql.emit(NO_EVENTS);
      await flushPromises();
      graphql.emit(SYNC_EVENTS);
      await flushPromises();
      expect($$(element, 'li.timeline-entry')).toHaveLength(3);
    });

    it('stops listening when removed from the page', async () => {
      const subscription = { channel: '/event/Co_Sell_Sync_Update__e', id: 'sub-t' };
      subscribe.mockResolvedValueOnce(subscription);
      const element = await render();
      document.body.removeChild(element);
      expect(unsubscribe).toHaveBeenCalledWith(subscription, expect.any(Function));
    });
  });

  describe('accessibility', () => {
    it('is accessible with entries', async () => {
      const element = await render();
      graphql.emit(SYNC_EVENTS);
      await flushPromises();
      await expect(element).toBeAccessible();
    });

    it('is accessible when empty', async () => {
      const element = await render();
      graphql.emit(NO_EVENTS);
      await flushPromises();
      await expect(element).toBeAccessible();
    });

    it('is accessible with an error', async () => {
      const element = await render();
      graphql.emitErrors([{ message: 'Query failed' }]);
      await flushPromises();
      await expect(element).toBeAccessible();
    });
  });
});
