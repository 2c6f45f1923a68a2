import { register as globalRegistry } from 'prom-client';
import { createMetrics, outcomeOfStatus } from '../../src/metrics';
import { openStore } from '../../src/store';

/** Finds one sample line in Prometheus text, e.g. `cosell_api_calls_total{...} 2`. */
function sample(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (wanted.every((pair) => line.includes(pair))) return Number(line.split(' ').pop());
  }
  return undefined;
}

describe('createMetrics', () => {
  it('uses a private registry, so two instances do not collide', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.eventsReceived.inc({ source: 'cdc', type: 'UPDATE' });
    expect(sample(await a.text(), 'cosell_events_received_total', { source: 'cdc' })).toBe(1);
    expect(
      sample(await b.text(), 'cosell_events_received_total', { source: 'cdc' }),
    ).toBeUndefined();
    expect(await globalRegistry.metrics()).not.toContain('cosell_');
  });

  it('R1: counts API calls by api, operation and outcome, and times them', async () => {
    const metrics = createMetrics();
    metrics.recordApiCall('partner-center', 'referrals.create', 201, 120);
    metrics.recordApiCall('partner-center', 'referrals.create', 429, 30);
    metrics.recordApiCall('salesforce', 'composite', 200, 5);
    const text = await metrics.text();
    const create = { api: 'partner-center', operation: 'referrals.create' };
    expect(sample(text, 'cosell_api_calls_total', { ...create, outcome: 'success' })).toBe(1);
    expect(sample(text, 'cosell_api_calls_total', { ...create, outcome: 'transient' })).toBe(1);
    expect(sample(text, 'cosell_api_call_duration_seconds_count', create)).toBe(2);
    expect(sample(text, 'cosell_api_call_duration_seconds_sum', create)).toBeCloseTo(0.15);
    expect(sample(text, 'cosell_api_calls_total', { api: 'salesforce' })).toBe(1);
  });

  it('reads queue depths from the store on every scrape', async () => {
    const metrics = createMetrics();
    const store = openStore('sqlite::memory:');
    metrics.trackQueueDepths(() => store.queueDepths());
    expect(sample(await metrics.text(), 'cosell_queue_depth', { queue: 'outbound' })).toBe(0);
    await store.enqueueOutbound([
      { opportunityId: '006000000000001AAA', reason: 'resync' },
      {
        opportunityId: '006000000000002AAA',
        reason: 'resync',
        notBefore: new Date(Date.now() + 60_000),
      },
    ]);
    const text = await metrics.text();
    expect(sample(text, 'cosell_queue_depth', { queue: 'outbound' })).toBe(2);
    expect(sample(text, 'cosell_queue_depth', { queue: 'outbound_due' })).toBe(1);
    expect(sample(text, 'cosell_queue_depth', { queue: 'failed' })).toBe(0);
    await store.close();
  });

  it('R1: reports the Partner Center budget, sync outcomes and replay lag', async () => {
    const metrics = createMetrics();
    metrics.partnerCenterBudgetLimit.set(10_000);
    metrics.partnerCenterBudgetRemaining.set(9_987);
    metrics.syncOutcomes.inc({ direction: 'inbound', outcome: 'ignored' });
    metrics.replayLag.set({ channel: '/data/OpportunityChangeEvent' }, 1.5);
    const text = await metrics.text();
    expect(sample(text, 'cosell_partner_center_budget_remaining')).toBe(9_987);
    expect(sample(text, 'cosell_partner_center_budget_limit')).toBe(10_000);
    expect(sample(text, 'cosell_sync_outcomes_total', { outcome: 'ignored' })).toBe(1);
    expect(
      sample(text, 'cosell_replay_lag_seconds', { channel: '/data/OpportunityChangeEvent' }),
    ).toBe(1.5);
    expect(metrics.contentType).toContain('text/plain');
  });

  it('adds process metrics only when asked', async () => {
    expect(await createMetrics().text()).not.toContain('cosell_process_cpu');
    expect(await createMetrics({ defaultMetrics: true }).text()).toContain('cosell_process_cpu');
  });

  it('classifies an HTTP answer like the error taxonomy does (0 = no answer)', () => {
    expect(
      [200, 204, 304, 401, 403, 412, 400, 404, 408, 429, 500, 503, 0].map(outcomeOfStatus),
    ).toEqual([
      'success',
      'success',
      'success',
      'authentication',
      'access_denied',
      'precondition_failed',
      'permanent',
      'permanent',
      'transient',
      'transient',
      'transient',
      'transient',
      'error',
    ]);
  });
});
