/**
 * A meter over one measured phase: request counts from both emulators' `/__emulator/stats`
 * (the source of the figures) and the system's own Partner Center counter (the cross-check).
 */
import {
  isCometdRoute,
  isReferralsApiRoute,
  requestDelta,
  sumRoutes,
  type StatsSnapshot,
} from './stats';
import { ownCpuSeconds, processCpuSeconds, type CpuReading } from './cpu-time';
import type { World } from './world';

export interface Measurement {
  elapsedMs: number;
  /** Referrals API requests the Partner Center emulator received. */
  partnerCenterCalls: number;
  /** Salesforce REST requests counted against the daily API limit (emulator `apiRequestsUsed`). */
  salesforceApiCalls: number;
  /** Streaming API (CometD) requests: not API-limited, shown for completeness. */
  cometdRequests: number;
  salesforceRoutes: Record<string, number>;
  partnerCenterRoutes: Record<string, number>;
  /** What the system itself counted as Referrals API calls in the same phase. */
  ownPartnerCenterCalls: number;
}

export interface Meter {
  stop(): Promise<Measurement>;
}

/** CPU used so far by every process of the world (the system, both emulators, this runner). */
export function readCpu(world: World): CpuReading {
  return {
    system: world.system.cpuSeconds(),
    salesforceEmulator: processCpuSeconds(world.salesforce.process.pid),
    partnerCenterEmulator: processCpuSeconds(world.partnerCenter.process.pid),
    runner: ownCpuSeconds(),
  };
}

export async function startMeter(world: World): Promise<Meter> {
  const read = async () => {
    const [salesforce, partnerCenter, own] = await Promise.all([
      world.salesforce.control.stats() as Promise<StatsSnapshot>,
      world.partnerCenter.control.stats() as Promise<StatsSnapshot>,
      world.system.ownPartnerCenterCalls(),
    ]);
    return { salesforce, partnerCenter, own, at: Date.now() };
  };
  const before = await read();
  return {
    async stop() {
      const after = await read();
      const salesforceRoutes = requestDelta(before.salesforce, after.salesforce);
      const partnerCenterRoutes = requestDelta(before.partnerCenter, after.partnerCenter);
      return {
        elapsedMs: after.at - before.at,
        partnerCenterCalls: sumRoutes(partnerCenterRoutes, isReferralsApiRoute),
        salesforceApiCalls:
          (after.salesforce.apiRequestsUsed ?? 0) - (before.salesforce.apiRequestsUsed ?? 0),
        cometdRequests: sumRoutes(salesforceRoutes, isCometdRoute),
        salesforceRoutes,
        partnerCenterRoutes,
        ownPartnerCenterCalls: after.own - before.own,
      };
    },
  };
}
