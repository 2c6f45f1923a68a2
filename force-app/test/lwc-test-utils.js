// Shared helpers for the LWC jest tests (never deployed: force-app/test is in .forceignore).
/* global document */
import { subscribe } from 'lightning/empApi';

/** Resolves after pending promise callbacks (wire emits, imperative calls) have run. */
export function flushPromises() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** A Change Data Capture message as lightning/empApi delivers it to a subscriber. */
export function changeEvent(recordIds, changedFields = [], changeType = 'UPDATE') {
  return {
    channel: '/data/OpportunityChangeEvent',
    data: {
      schema: 'schema-id',
      payload: {
        ChangeEventHeader: {
          entityName: 'Opportunity',
          recordIds,
          changeType,
          changedFields,
          changeOrigin: 'com/salesforce/api/rest/64.0;client=cosell-bridge',
        },
      },
      event: { replayId: 42 },
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
 * Hands a change event to the listener the component gave lightning/empApi's subscribe (the
 * first subscription of the test), as the Streaming API would deliver it.
 */
export function deliverChangeEvent(recordIds, changedFields) {
  const listener = subscribe.mock.calls[0][2];
  listener(changeEvent(recordIds, changedFields));
}
