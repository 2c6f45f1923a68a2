/**
 * The prose of docs/BENCHMARKS.md that does not come from numbers: how the baseline is modelled,
 * how each figure is measured, and why a target is missed when it is.
 */
import type { TargetResult } from './targets';

/** Why a target is missed, written after profiling; shown only when the run misses it. */
const WHY_MISSED: Record<string, string> = {};

export function findings(targets: TargetResult[]): string {
  const missed = targets.filter((t) => t.met === false);
  if (missed.length === 0) return '## Findings\n\nEvery target was met in this run.';
  const items = missed.map(
    (t) =>
      `- **${t.target}** (${t.limit}, measured ${t.measured}): ${WHY_MISSED[t.id] ?? 'not yet explained.'}`,
  );
  return `## Findings: targets missed\n\n${items.join('\n')}`;
}

export const METHOD = `## How it is measured

(to be written)`;
