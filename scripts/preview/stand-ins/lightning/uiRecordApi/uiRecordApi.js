// Stand-in for lightning/uiRecordApi: getRecord answers the scenario's record (a jest fixture);
// writes resolve without doing anything, as the preview only shows states.
import { scenarioData } from 'preview/data';

function pathOf(field) {
  const name = typeof field === 'string' ? field : field.fieldApiName;
  // "Opportunity.Account.BillingCountry" (by name) or "Account.BillingCountry" (schema import).
  const parts = name.split('.');
  return typeof field === 'string' ? parts.slice(1) : parts;
}

export function getFieldValue(record, field) {
  let node = { value: record };
  for (const part of pathOf(field)) {
    node = node?.value?.fields?.[part];
  }
  return node ? node.value : undefined;
}

export function getFieldDisplayValue(record, field) {
  let node = { value: record };
  for (const part of pathOf(field)) {
    node = node?.value?.fields?.[part];
  }
  return node ? node.displayValue : undefined;
}

export class getRecord {
  constructor(dataCallback) {
    this.dataCallback = dataCallback;
  }

  connect() {}

  disconnect() {}

  update() {
    const { record } = scenarioData();
    if (record) this.dataCallback({ data: record, error: undefined });
  }
}

export const notifyRecordUpdateAvailable = () => Promise.resolve();
export const updateRecord = (input) => Promise.resolve(input);
export const createRecord = (input) => Promise.resolve(input);
export const deleteRecord = () => Promise.resolve();
