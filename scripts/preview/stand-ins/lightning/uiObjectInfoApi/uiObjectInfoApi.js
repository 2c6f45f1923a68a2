// Stand-in for lightning/uiObjectInfoApi: the scenario's picklist values (a jest fixture).
import { scenarioData } from 'preview/data';

export class getPicklistValuesByRecordType {
  constructor(dataCallback) {
    this.dataCallback = dataCallback;
  }

  connect() {}

  disconnect() {}

  update(config) {
    const { picklists } = scenarioData();
    if (picklists && config.recordTypeId) this.dataCallback({ data: picklists, error: undefined });
  }
}
