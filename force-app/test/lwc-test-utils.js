// Shared helpers for the LWC jest tests (never deployed: force-app/test is in .forceignore).
/* global document */

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
