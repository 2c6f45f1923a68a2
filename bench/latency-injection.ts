/**
 * Realistic network latency on an emulator: the shared fault plane delays a request by a fixed
 * `latencyMs` per rule, and a request consumes the first matching rule. So a queue of one-shot
 * rules with latencies drawn uniformly from [minMs, maxMs] gives every request its own random
 * delay; once the queue is used up, a last rule keeps the mean for every further request.
 */
import type { FaultRule } from '../test/support';

export interface LatencyProfile {
  minMs: number;
  maxMs: number;
  /** One-shot random rules queued per emulator before the fixed-mean fallback takes over. */
  randomRules: number;
}

interface FaultTarget {
  addFault(rule: FaultRule): Promise<void>;
}

/** Pure: the rules to post, in order (random one-shots, then an unlimited rule at the mean). */
export function latencyRules(profile: LatencyProfile, random: () => number): FaultRule[] {
  const span = profile.maxMs - profile.minMs;
  const rules: FaultRule[] = [];
  for (let i = 0; i < profile.randomRules; i += 1) {
    rules.push({ latencyMs: profile.minMs + Math.round(random() * span), times: 1 });
  }
  rules.push({ latencyMs: Math.round(profile.minMs + span / 2) });
  return rules;
}

export async function injectLatency(
  target: FaultTarget,
  profile: LatencyProfile,
  random: () => number = Math.random,
): Promise<void> {
  // Sequential: the fault book is ordered and the order is what makes each delay one-shot.
  for (const rule of latencyRules(profile, random)) await target.addFault(rule);
}
