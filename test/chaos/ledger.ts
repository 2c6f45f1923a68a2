/**
 * What a chaos run did and what came of it: operations, kills (and where), faults by kind, and
 * the end result. Pure bookkeeping; `renderSummary` prints the table the issue asks for and that
 * docs/RELIABILITY.md quotes.
 */
export interface KillRecord {
  at: string;
  window: string;
}

export interface ChaosOutcome {
  /** Records whose last edit reached the other side. */
  recovered: number;
  /** Records whose last edit never reached the other side. */
  lost: number;
  /** Extra referrals or opportunities beyond one per synced record. */
  duplicated: number;
  convergenceMs: number;
  /** Sampled for a single bridge process; undefined where nobody sampled it (replica runs). */
  maxRssBytes?: number;
}

export class ChaosLedger {
  readonly kills: KillRecord[] = [];
  readonly faults = new Map<string, number>();
  operations = 0;
  private readonly started = Date.now();

  operation(count = 1): void {
    this.operations += count;
  }

  fault(kind: string, count = 1): void {
    this.faults.set(kind, (this.faults.get(kind) ?? 0) + count);
  }

  kill(window: string): void {
    this.kills.push({ at: `${((Date.now() - this.started) / 1000).toFixed(1)} s`, window });
  }

  get faultTotal(): number {
    return [...this.faults.values()].reduce((a, b) => a + b, 0);
  }
}

export function renderSummary(
  ledger: ChaosLedger,
  outcome: ChaosOutcome,
  header: { profile: string; seed: number },
): string {
  const rows: Array<[string, string]> = [
    ['profile (seed)', `${header.profile} (CHAOS_SEED=${header.seed})`],
    ['operations (creates + edits, both sides)', String(ledger.operations)],
    ['kills (SIGKILL)', String(ledger.kills.length)],
    ...[...countBy(ledger.kills.map((k) => k.window))].map(([window, n]): [string, string] => [
      `  killed ${window}`,
      String(n),
    ]),
    ['faults injected', String(ledger.faultTotal)],
    ...[...ledger.faults]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, n]): [string, string] => [`  ${kind}`, String(n)]),
    ['recovered (records in step on both sides)', String(outcome.recovered)],
    ['lost (must be 0)', String(outcome.lost)],
    ['duplicated (must be 0)', String(outcome.duplicated)],
    ['convergence time after the last fault', `${(outcome.convergenceMs / 1000).toFixed(1)} s`],
    [
      'bridge peak RSS',
      outcome.maxRssBytes === undefined
        ? 'not sampled'
        : `${(outcome.maxRssBytes / 1024 / 1024).toFixed(0)} MiB`,
    ],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const valueWidth = Math.max(...rows.map(([, v]) => v.length));
  const line = `| ${'-'.repeat(width)} | ${'-'.repeat(valueWidth)} |`;
  return [
    `| ${'chaos run'.padEnd(width)} | ${'result'.padEnd(valueWidth)} |`,
    line,
    ...rows.map(([k, v]) => `| ${k.padEnd(width)} | ${v.padEnd(valueWidth)} |`),
  ].join('\n');
}

function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}
