/**
 * Timed rounds (pure): the bulk and catch-up figures are taken in several pairs of fresh worlds,
 * bridge then model, and each figure is reported as its median over the pairs; the bridge-to-model
 * ratio of a timed figure is the median of the pairs' own ratios, so each ratio compares two runs
 * minutes apart rather than the best of one system with the worst of the other. Peak memory is
 * the highest of any pair (a budget must hold in every run, not in the median one).
 */
import { median, round } from './percentiles';
import type { ScenarioCpu } from './cpu-time';
import type { Figures } from './suite';

/** Figures timed in every round (the others come from the main run only). */
export const TIMED_FIGURES = ['bulkOpportunitiesPerSecond', 'catchUpSeconds'] as const;
/** Figures whose worst round is reported. */
export const WORST_OF_ROUNDS = { peakRssMb: 'max' } as const;

export interface TimedRound {
  ours: Figures;
  baseline: Figures;
  /** Where each system's CPU went in this pair's bulk and catch-up windows (bench/cpu-time.ts). */
  cpu?: { ours: ScenarioCpu; baseline: ScenarioCpu };
}

const numbers = (values: readonly (number | null | undefined)[]) =>
  values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));

/**
 * The main run's figures with the timed ones replaced by their medians over `rounds` (the main
 * run is rounds[0]), and the ratios of timed figures by the median per-round ratio.
 */
export function combineRounds(
  rounds: readonly TimedRound[],
  ratios: Record<string, number | null>,
): { ours: Figures; baseline: Figures; ratios: Record<string, number | null> } {
  const first = rounds[0] ?? { ours: {}, baseline: {} };
  const ours: Figures = { ...first.ours };
  const baseline: Figures = { ...first.baseline };
  const combined: Record<string, number | null> = { ...ratios };
  if (rounds.length <= 1) return { ours, baseline, ratios: combined };
  for (const key of TIMED_FIGURES) {
    const mine = numbers(rounds.map((r) => r.ours[key]));
    const theirs = numbers(rounds.map((r) => r.baseline[key]));
    if (mine.length > 0) ours[key] = round(median(mine), 3);
    if (theirs.length > 0) baseline[key] = round(median(theirs), 3);
    const paired = numbers(
      rounds.map((r) => {
        const a = r.ours[key];
        const b = r.baseline[key];
        return typeof a === 'number' && typeof b === 'number' && b !== 0 ? a / b : null;
      }),
    );
    combined[key] = paired.length > 0 ? round(median(paired), 3) : null;
  }
  for (const key of Object.keys(WORST_OF_ROUNDS)) {
    const all = numbers(rounds.map((r) => r.ours[key]));
    if (all.length > 0) ours[key] = round(Math.max(...all), 3);
  }
  return { ours, baseline, ratios: combined };
}
