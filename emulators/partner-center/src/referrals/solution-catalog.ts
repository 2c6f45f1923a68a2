/** A co-sell-ready solution of the partner (`SOL-…`). */
export interface Solution {
  id: string;
  name: string;
}

export const DEFAULT_SOLUTIONS: readonly Solution[] = [
  { id: 'SOL-EMU-0001-AZR', name: 'Emulated Azure Migration Solution' },
  { id: 'SOL-EMU-0002-M365', name: 'Emulated Microsoft 365 Adoption Solution' },
];

/**
 * Microsoft publishes no API that lists a partner's co-sell-ready solutions, so the emulator
 * keeps them here and `/__emulator/solutions` defines them; referral validation consults it.
 */
export class SolutionCatalog {
  private solutions = new Map<string, Solution>();

  constructor(private readonly defaults: readonly Solution[] = DEFAULT_SOLUTIONS) {
    this.reset();
  }

  list(): Solution[] {
    return [...this.solutions.values()];
  }

  ids(): ReadonlySet<string> {
    return new Set(this.solutions.keys());
  }

  upsert(solution: Solution): void {
    this.solutions.set(solution.id, { ...solution });
  }

  replaceAll(solutions: Solution[]): void {
    this.solutions = new Map(solutions.map((s) => [s.id, { ...s }]));
  }

  reset(): void {
    this.replaceAll([...this.defaults]);
  }
}
