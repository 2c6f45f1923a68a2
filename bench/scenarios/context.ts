import type { Profile } from '../profiles';
import type { World } from '../world';

export interface ScenarioContext {
  world: World;
  profile: Profile;
  /** Progress for the operator watching `npm run bench` (stderr). */
  log(message: string): void;
}

/** Figures use the camelCase keys; null where a figure does not apply to a system. */
export interface ScenarioResult {
  figures: Record<string, number | null>;
  details: Record<string, unknown>;
}

/** How long to wait for a system to settle: past the bridge's window, past a flow poll. */
export function quietMsFor(context: ScenarioContext): number {
  return context.world.kind === 'ours' ? 1_500 : context.profile.baseline.pollIntervalMs + 500;
}

/** A workload pause (pacing edits in time), never used to wait for a result. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
