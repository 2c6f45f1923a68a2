// Shared helpers for the LWC jest tests (never deployed: force-app/test is in .forceignore).
/* global document */
import { subscribe } from 'lightning/empApi';

/** Resolves after pending promise callbacks (wire emits, imperative calls) have run. */
export function flushPromises() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * A Co_Sell_Sync_Update__e platform event as lightning/empApi delivers it to a subscriber (the
 * contract with the bridge: Opportunity_Id__c and Sync_Status__c).
 */
export function syncUpdateEvent(opportunityId, syncStatus = 'Synced', replayId = 42) {
  return {
    channel: '/event/Co_Sell_Sync_Update__e',
    data: {
      schema: 'schema-id',
      payload: {
        Opportunity_Id__c: opportunityId,
        Sync_Status__c: syncStatus,
        CreatedDate: '2026-12-04T10:00:00.000Z',
        CreatedById: '005000000000001AAA',
      },
      event: { replayId },
    },
  };
}

/** Appends a component to the document, sets its properties, and returns it. */
export function mount(createElement, tagName, ComponentClass, props = {}) {
  const element = createElement(tagName, { is: ComponentClass });
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

/** Empties the document between tests. */
export function resetDom() {
  while (document.body.firstChild) {
    document.body.removeChild(document.body.firstChild);
  }
}

/** The first element in the component's shadow tree matching `selector`, or null. */
export const $ = (element, selector) => element.shadowRoot.querySelector(selector);

/** Every element in the component's shadow tree matching `selector`, as an array. */
export const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];

/** A copy of a UI API record (as getRecord emits it) with the given field values set. */
export function withFieldValues(record, values) {
  const copy = JSON.parse(JSON.stringify(record));
  Object.entries(values).forEach(([name, value]) => {
    copy.fields[name] = { value, displayValue: null };
  });
  return copy;
}

/** The error message of the Co_Sell_Requires_Solution validation rule on Opportunity. */
export const SOLUTION_RULE_MESSAGE =
  'Add at least one Microsoft co-sell solution (Co-Sell Details, Solutions) before turning on Sync with Partner Center.';

/** Collects the details of the toasts (lightning/platformShowToastEvent) `element` shows. */
export function captureToasts(element) {
  const toasts = [];
  element.addEventListener('lightning__showtoast', (event) => toasts.push(event.detail));
  return toasts;
}

/** A save refused by a validation rule, shaped as lightning/uiRecordApi rejects it. */
export function validationRuleRejection(message) {
  return {
    body: {
      output: {
        errors: [{ errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message }],
        fieldErrors: {},
      },
    },
  };
}

/**
 * Hands a sync update event to the listener the page gave lightning/empApi's subscribe (the
 * latest subscription), as the Streaming API would deliver it.
 */
export function deliverSyncUpdate(opportunityId, syncStatus) {
  const calls = subscribe.mock.calls;
  const listener = calls[calls.length - 1][2];
  listener(syncUpdateEvent(opportunityId, syncStatus));
}
