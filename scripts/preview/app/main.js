// The preview page: renders one component in one scenario (from location.hash) with the real
// Lightning base components and SLDS, and flags the page when it has settled.
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import CoSellSyncPanel from 'c/coSellSyncPanel';
import CoSellDetailsEditor from 'c/coSellDetailsEditor';
import CoSellActivityTimeline from 'c/coSellActivityTimeline';
import CoSellBulkShare from 'c/coSellBulkShare';
import { setScenarioData } from 'preview/data';
import { SCENARIOS } from './scenarios';

const COMPONENTS = {
  coSellSyncPanel: ['c-co-sell-sync-panel', CoSellSyncPanel],
  coSellDetailsEditor: ['c-co-sell-details-editor', CoSellDetailsEditor],
  coSellActivityTimeline: ['c-co-sell-activity-timeline', CoSellActivityTimeline],
  coSellBulkShare: ['c-co-sell-bulk-share', CoSellBulkShare],
};

function show(id) {
  const scenario = SCENARIOS.find((s) => s.id === id);
  if (!scenario) throw new Error(`No preview scenario ${id}`);
  setScenarioData(scenario.data);
  const [tag, ctor] = COMPONENTS[scenario.component];
  const element = createElement(tag, { is: ctor });
  // The bulk share screen takes the list view's selection; the record page cards a record id.
  if (scenario.data.recordIds) element.recordIds = scenario.data.recordIds;
  else element.recordId = scenario.data.record.id;
  // This page is the host of the component, not a component: it may query its own document.
  // eslint-disable-next-line @lwc/lwc/no-document-query
  const stage = document.getElementById('stage');
  stage.textContent = '';
  stage.appendChild(element);
  document.documentElement.dataset.scenario = id;
}

window.coSellPreview = { scenarios: SCENARIOS.map(({ id }) => id), show };
if (window.location.hash.length > 1) show(decodeURIComponent(window.location.hash.slice(1)));
