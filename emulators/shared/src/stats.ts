/** Request counters per normalised route ("POST /services/data/vXX.X/composite/sobjects"). */
export class RequestStats {
  private counts = new Map<string, number>();
  private total = 0;

  record(route: string): void {
    this.counts.set(route, (this.counts.get(route) ?? 0) + 1);
    this.total += 1;
  }

  reset(): void {
    this.counts.clear();
    this.total = 0;
  }

  snapshot(): { requests: Record<string, number>; total: number } {
    const requests: Record<string, number> = {};
    for (const [route, n] of [...this.counts].sort(([a], [b]) => a.localeCompare(b))) {
      requests[route] = n;
    }
    return { requests, total: this.total };
  }
}
