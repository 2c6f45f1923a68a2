// Tests drive the graphql wire's test double directly (emit), as lwc-recipes does.
import { createElement } from 'lwc';
import CoSellBulkShare from 'c/coSellBulkShare';
import { graphql, refreshGraphQL } from 'lightning/graphql';
import { updateRecord } from 'lightning/uiRecordApi';
import {
  $,
  $$,
  flushPromises,
  mount,
  resetDom,
  validationRuleRejection,
} from '../../../../../test/lwc-test-utils';

const SELECTION = require('./data/selection.json');
const IDS = SELECTION.uiapi.query.Opportunity.edges.map((e) => e.node.Id);

async function render(recordIds = IDS) {
  const element = mount(createElement, 'c-co-sell-bulk-share', CoSellBulkShare, { recordIds });
  graphql.emit(SELECTION);
  await flushPromises();
  return element;
}

const stateOf = (element, id) => $(element, `tr[data-id="${id}"]`).dataset.state;
const detailOf = (element, id) =>
  $(element, `tr[data-id="${id}"]`).querySelectorAll('td')[1].textContent;

describe('c-co-sell-bulk-share', () => {
  afterEach(() => {
    resetDom();
    jest.clearAllMocks();
  });

  it('R1/R11: reports every selected opportunity: ready, not ready with the fix, shared, waiting for the budget, failed, sharing', async () => {
    const element = await render();
    expect($$(element, 'tbody tr')).toHaveLength(6);
    expect(IDS.map((id) => stateOf(element, id))).toEqual([
      'ready',
      'not-ready',
      'shared',
      'waiting',
      'failed',
      'sharing',
    ]);
    expect(detailOf(element, IDS[1])).toContain('Enter an Amount greater than 0');
    expect(detailOf(element, IDS[3])).toBe(
      'The daily Partner Center call budget is spent; the bridge shares it after the reset at 2026-12-06T00:00:00.000Z.',
    );
    expect(detailOf(element, IDS[4])).toBe(
      'Set Account Billing Country to DE (the ISO code for Germany).',
    );
    expect($(element, '.summary').textContent).toBe(
      '6 selected: 1 shared, 1 waiting for the daily budget, 1 sharing, 2 not shared yet, 1 failed.',
    );
    expect($(element, 'lightning-button.share').label).toBe('Share 1 ready opportunities');
    await expect(element).toBeAccessible();
  });

  it('shares the ready ones with progress, shows a refusal on its record and reads the results again', async () => {
    updateRecord.mockResolvedValue({});
    const element = await render();
    $(element, 'lightning-button.share').click();
    await flushPromises();
    expect(updateRecord).toHaveBeenCalledTimes(1);
    expect(updateRecord).toHaveBeenCalledWith({
      fields: { Id: IDS[0], Sync_with_Partner_Center__c: true },
    });
    expect(refreshGraphQL).toHaveBeenCalled();
    expect($(element, 'lightning-button.share').disabled).toBe(false);

    updateRecord.mockRejectedValue(
      validationRuleRejection('Add at least one Co-Sell Solution before syncing.'),
    );
    $(element, 'lightning-button.share').click();
    await flushPromises();
    expect(stateOf(element, IDS[0])).toBe('failed');
    expect(detailOf(element, IDS[0])).toContain('Add at least one Co-Sell Solution');
  });

  it('shows progress while records are switched on', async () => {
    let release;
    updateRecord.mockReturnValue(
      new Promise((resolve) => {
        release = resolve;
      }),
    );
    const element = await render();
    $(element, 'lightning-button.share').click();
    await flushPromises();
    expect($(element, '.progress p').textContent).toBe('Switched on 0 of 1');
    expect($(element, 'lightning-button.share').disabled).toBe(true);
    release({});
    await flushPromises();
    expect($(element, '.progress')).toBeNull();
  });

  it('says what to do when nothing is selected', async () => {
    const element = mount(createElement, 'c-co-sell-bulk-share', CoSellBulkShare, {
      recordIds: [],
    });
    await flushPromises();
    expect($(element, '.none-selected').textContent).toBe(
      'Select opportunities in the list view first, then choose Share with Partner Center.',
    );
    await expect(element).toBeAccessible();
  });
});
