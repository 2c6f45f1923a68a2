/**
 * The benchmark's pure parts: the arithmetic behind every reported figure and the flow model's
 * requests. A wrong delta or percentile would make every number in docs/BENCHMARKS.md wrong.
 */
import { createBody, pollSoql, updateOperations } from '../../bench/baseline/flow-model';
import { latencyRules } from '../../bench/latency-injection';
import { median, percentile } from '../../bench/percentiles';
import { parsePrometheusText, sumSamples } from '../../bench/prometheus-text';
import { parseServiceTime } from '../../bench/scenarios/latency';
import {
  isOpportunityWriteRoute,
  isReferralsApiRoute,
  isSalesforceRestRoute,
  requestDelta,
  sumRoutes,
} from '../../bench/stats';
import { combineRounds, type TimedRound } from '../../bench/rounds';
import { ratiosOf } from '../../bench/suite';
import { BENCH_BRIDGE_ENV, parseEnv } from '../../bench/profiles';
import { CONFIG_VARIABLES } from '../../bridge/src/config/variables';
import { bridgeEnvironment } from '../support';

describe('request deltas', () => {
  it('counts only what changed between two snapshots, new routes included', () => {
    const delta = requestDelta(
      {
        requests: { 'GET /v1.0/engagements/referrals/{id}': 2, 'POST /cometd/vXX.X': 5 },
        total: 7,
      },
      {
        requests: {
          'GET /v1.0/engagements/referrals/{id}': 3,
          'PATCH /v1.0/engagements/referrals/{id}': 4,
          'POST /cometd/vXX.X': 5,
        },
        total: 12,
      },
    );
    expect(delta).toEqual({
      'GET /v1.0/engagements/referrals/{id}': 1,
      'PATCH /v1.0/engagements/referrals/{id}': 4,
    });
    expect(sumRoutes(delta, isReferralsApiRoute)).toBe(5);
  });

  it('classifies routes: token requests are not Referrals API calls, CometD is not REST', () => {
    expect(isReferralsApiRoute('POST /{tenant}/oauth2/token')).toBe(false);
    expect(isSalesforceRestRoute('POST /cometd/vXX.X')).toBe(false);
    expect(isSalesforceRestRoute('GET /services/data/vXX.X/query')).toBe(true);
    expect(isOpportunityWriteRoute('POST /services/data/vXX.X/composite')).toBe(true);
    expect(isOpportunityWriteRoute('PATCH /services/data/vXX.X/composite/sobjects')).toBe(true);
    expect(isOpportunityWriteRoute('POST /services/data/vXX.X/composite/sobjects')).toBe(false);
  });
});

describe('percentiles', () => {
  it('uses the nearest rank, so p99 of 10 samples is the largest', () => {
    const values = [5, 1, 9, 3, 7, 2, 8, 4, 6, 10];
    expect(median(values)).toBe(5);
    expect(percentile(values, 99)).toBe(10);
    expect(percentile(values, 10)).toBe(1);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('ratios', () => {
  it('divides ours by the baseline and leaves n/a where either side has no figure or a zero', () => {
    expect(ratiosOf({ a: 1, b: 3, c: null, d: 2 }, { a: 2, b: 0, c: 4 })).toEqual({
      a: 0.5,
      b: null,
      c: null,
      d: null,
    });
  });
});

describe('timed rounds', () => {
  it('reports the median of each timed figure, the median paired ratio and the worst peak RSS', () => {
    const rounds: TimedRound[] = [
      {
        ours: { bulkOpportunitiesPerSecond: 100, catchUpSeconds: 4, peakRssMb: 150, burstCalls: 2 },
        baseline: { bulkOpportunitiesPerSecond: 200, catchUpSeconds: 2, burstCalls: 2 },
      },
      {
        ours: { bulkOpportunitiesPerSecond: 300, catchUpSeconds: 3, peakRssMb: 190 },
        baseline: { bulkOpportunitiesPerSecond: 100, catchUpSeconds: 6 },
      },
      {
        ours: { bulkOpportunitiesPerSecond: 250, catchUpSeconds: 5, peakRssMb: 170 },
        baseline: { bulkOpportunitiesPerSecond: 125, catchUpSeconds: 2.5 },
      },
    ];
    const combined = combineRounds(rounds, { burstCalls: 1, bulkOpportunitiesPerSecond: 0.5 });
    expect(combined.ours).toEqual({
      bulkOpportunitiesPerSecond: 250,
      catchUpSeconds: 4,
      peakRssMb: 190,
      burstCalls: 2,
    });
    expect(combined.baseline).toMatchObject({
      bulkOpportunitiesPerSecond: 125,
      catchUpSeconds: 2.5,
    });
    // Paired: bulk 0.5, 3, 2 → 2 (not 250 ÷ 125 by chance: the pairs decide); catch-up 2, 0.5, 2 → 2.
    expect(combined.ratios).toEqual({
      burstCalls: 1,
      bulkOpportunitiesPerSecond: 2,
      catchUpSeconds: 2,
    });
  });

  it('leaves a single round as it is', () => {
    const one = [{ ours: { catchUpSeconds: 4 }, baseline: { catchUpSeconds: 2 } }];
    expect(combineRounds(one, { catchUpSeconds: 2 })).toEqual({
      ours: { catchUpSeconds: 4 },
      baseline: { catchUpSeconds: 2 },
      ratios: { catchUpSeconds: 2 },
    });
  });
});

describe('Prometheus text', () => {
  it('reads labelled samples and sums a filtered counter', () => {
    const samples = parsePrometheusText(
      [
        '# HELP cosell_api_calls_total Calls',
        'cosell_api_calls_total{api="partner-center",operation="referrals.update",outcome="success"} 20',
        'cosell_api_calls_total{api="partner-center",operation="referrals.get",outcome="success"} 6',
        'cosell_api_calls_total{api="salesforce",operation="query",outcome="success"} 9',
        'cosell_queue_depth{queue="outbound"} 0',
      ].join('\n'),
    );
    expect(sumSamples(samples, 'cosell_api_calls_total', (l) => l.api === 'partner-center')).toBe(
      26,
    );
    expect(sumSamples(samples, 'cosell_queue_depth')).toBe(0);
  });
});

describe('latency injection', () => {
  it('queues one-shot delays inside the range, then one unlimited rule at the mean', () => {
    let seed = 0;
    const random = () => (seed = (seed * 9301 + 49297) % 233280) / 233280;
    const rules = latencyRules({ minMs: 100, maxMs: 300, randomRules: 50 }, random);
    expect(rules).toHaveLength(51);
    for (const rule of rules.slice(0, 50)) {
      expect(rule.times).toBe(1);
      expect(rule.latencyMs).toBeGreaterThanOrEqual(100);
      expect(rule.latencyMs).toBeLessThanOrEqual(300);
    }
    expect(new Set(rules.map((r) => r.latencyMs)).size).toBeGreaterThan(10);
    expect(rules[50]).toEqual({ latencyMs: 200 });
  });

  it("reads both services' timestamps (7 fractional digits, +0000) to the millisecond", () => {
    expect(parseServiceTime('2026-11-30T09:00:00.1234567Z')).toBe(
      Date.parse('2026-11-30T09:00:00.123Z'),
    );
    expect(parseServiceTime('2026-11-30T09:00:00.456+0000')).toBe(
      Date.parse('2026-11-30T09:00:00.456Z'),
    );
    expect(() => parseServiceTime('yesterday')).toThrow('not a timestamp');
  });
});

describe('flow model requests', () => {
  const row = {
    Id: '0065g000000000BAAQ',
    Name: 'Fabrikam migration',
    Amount: 120_000,
    CloseDate: '2027-01-31',
    Description: null,
    Referral_Currency__c: 'EUR',
    LastModifiedDate: '2026-11-30T09:00:00.000+0000',
    Account: { Name: 'Fabrikam', BillingCountry: 'SE' },
    Co_Sell_Customer_Contact__r: {
      FirstName: 'Alex',
      LastName: 'Buyer',
      Email: 'alex@fabrikam.example',
    },
    Co_Sell_Solutions__r: { records: [{ Microsoft_Solution__r: { Solution_Id__c: 'SOL-1' } }] },
  };

  it('polls for sync-enabled records modified since the watermark, skipping its own writes', () => {
    const soql = pollSoql('2026-11-30T09:00:00Z', '005000000000001AAA');
    expect(soql).toContain(
      'WHERE Sync_with_Partner_Center__c = true AND LastModifiedDate >= 2026-11-30T09:00:00Z',
    );
    expect(soql).toContain("AND LastModifiedById != '005000000000001AAA'");
  });

  it('sends the mapped fields as they are (no diff) and creates with the opportunity id as external id', () => {
    expect(updateOperations(row).map((op) => op.path)).toEqual([
      '/name',
      '/details/dealValue',
      '/details/currency',
      '/details/closingDateTime',
    ]);
    expect(createBody(row)).toMatchObject({
      externalReferenceId: row.Id,
      customerProfile: { address: { country: 'SE' }, team: [{ email: 'alex@fabrikam.example' }] },
      details: {
        dealValue: 120_000,
        currency: 'EUR',
        requirements: { solutions: [{ id: 'SOL-1' }] },
      },
    });
  });
});

describe('the benchmarked bridge runs its shipped defaults', () => {
  it('R1: no tuning variable (one with a shipped default) is set beyond where things are', () => {
    const env = bridgeEnvironment({
      salesforceUrl: 'http://127.0.0.1:1',
      partnerCenterUrl: 'http://127.0.0.1:2',
      port: 3,
      databaseFile: '/tmp/bench.sqlite',
      overrides: BENCH_BRIDGE_ENV,
    });
    // Where things are (URLs, port, store, the emulator host allow-list) is not tuning.
    const location = new Set([
      'PARTNER_CENTER_API_URL',
      'PARTNER_CENTER_WEBHOOK_API_URL',
      'PARTNER_CENTER_TOKEN_URL',
      'BRIDGE_PORT',
      'BRIDGE_DATABASE_URL',
    ]);
    const tuned = Object.keys(env).filter(
      (name) =>
        !location.has(name) &&
        (CONFIG_VARIABLES as Record<string, { default?: string }>)[name]?.default !== undefined,
    );
    expect(tuned).toEqual([]);
  });

  it('experiments set variables with --env KEY=VALUE (KEY= unsets), and refuse anything else', () => {
    expect(
      parseEnv([
        'BRIDGE_OUTBOUND_CONCURRENCY=16',
        'NODE_OPTIONS=--cpu-prof --cpu-prof-dir=/tmp/p',
        'BRIDGE_LOG_LEVEL=',
      ]),
    ).toEqual({
      BRIDGE_OUTBOUND_CONCURRENCY: '16',
      NODE_OPTIONS: '--cpu-prof --cpu-prof-dir=/tmp/p',
      BRIDGE_LOG_LEVEL: undefined,
    });
    expect(() => parseEnv(['BRIDGE_OUTBOUND_CONCURRENCY'])).toThrow(/KEY=VALUE/);
    expect(() => parseEnv(['1X=2'])).toThrow(/KEY=VALUE/);
  });
});
