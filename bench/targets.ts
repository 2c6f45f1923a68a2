/**
 * The targets, evaluated on a run's figures (pure). A target that could not be measured
 * (its scenario failed or was not run) is `met: null`, never counted as passed.
 */
import type { SuiteResults } from './suite';

export interface TargetResult {
  id: string;
  target: string;
  measured: number | null;
  limit: string;
  met: boolean | null;
}

/** Peak RSS ceiling for the 2,000-opportunity bulk run (issue 17; was 512). */
export const BULK_RSS_CEILING_MB = 200;

/** The bridge's bulk throughput against the flow model's, measured in the same run (issue 17). */
export const BULK_RATIO_FLOOR = 1.5;

/** The bridge's catch-up time against the flow model's, measured in the same run (issue 17). */
export const CATCH_UP_RATIO_CEILING = 1;

export function evaluateTargets(results: SuiteResults): TargetResult[] {
  const ours = results.ours;
  const base = results.baseline;
  const latencyDetails = results.details.ours.details.latency;
  const injectedOnPath =
    typeof latencyDetails?.injectedOnPathMaxMs === 'number'
      ? latencyDetails.injectedOnPathMaxMs
      : null;
  const p99 = ours.outboundLatencyMsP99 ?? null;
  const burstRatio =
    ours.burstCalls !== undefined &&
    ours.burstCalls !== null &&
    base.burstCalls !== undefined &&
    base.burstCalls !== null &&
    ours.burstCalls > 0
      ? base.burstCalls / ours.burstCalls
      : null;
  const ratio = (key: string) => {
    const value = results.ratios[key];
    return value === undefined ? null : value;
  };
  return [
    check(
      'steady-pc',
      'Partner Center calls per outbound change (steady)',
      ours.partnerCenterCallsPerChange,
      '≤ 1.0',
      (v) => v <= 1.0,
    ),
    check(
      'burst-calls',
      'Partner Center calls for a 50-edit burst',
      ours.burstCalls,
      '≤ 2',
      (v) => v <= 2,
    ),
    check(
      'writeback',
      'Salesforce write-back calls per 200 records (bulk)',
      ours.writebackCallsPer200,
      '≤ 1',
      (v) => v <= 1,
    ),
    check(
      'latency-p99',
      'Outbound p99 above the injected latency on its path',
      p99 !== null && p99 !== undefined && injectedOnPath !== null ? p99 - injectedOnPath : null,
      '< 1000 ms',
      (v) => v < 1000,
    ),
    check(
      'burst-ratio',
      'Baseline calls ÷ our calls on the burst',
      burstRatio,
      '≥ 20×',
      (v) => v >= 20,
    ),
    check(
      'bulk-ratio',
      'Bulk throughput ÷ the flow model’s, same run',
      ratio('bulkOpportunitiesPerSecond'),
      `≥ ${BULK_RATIO_FLOOR}×`,
      (v) => v >= BULK_RATIO_FLOOR,
    ),
    check(
      'catch-up-ratio',
      'Catch-up time ÷ the flow model’s, same run (start-up and first sweep included)',
      ratio('catchUpSeconds'),
      `≤ ${CATCH_UP_RATIO_CEILING}×`,
      (v) => v <= CATCH_UP_RATIO_CEILING,
    ),
    check(
      'bulk-memory',
      'Bridge peak RSS during the bulk run',
      ours.peakRssMb,
      `≤ ${BULK_RSS_CEILING_MB} MB`,
      (v) => v <= BULK_RSS_CEILING_MB,
    ),
  ];
}

function check(
  id: string,
  target: string,
  measured: number | null | undefined,
  limit: string,
  passes: (value: number) => boolean,
): TargetResult {
  const value = measured ?? null;
  return { id, target, measured: value, limit, met: value === null ? null : passes(value) };
}
