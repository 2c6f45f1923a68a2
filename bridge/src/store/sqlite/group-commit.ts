/**
 * Group commit: calls made in the same turn of the event loop are written in ONE transaction
 * (one disk sync), and each caller's promise settles when that transaction has committed, so
 * nothing is acknowledged before it is durable. Webhook deliveries arrive several at a time
 * during a catch-up or bulk run (the echoes of our own writes); node:sqlite blocks the event loop
 * for each fsync, so one sync per delivery was the catch-up's largest cost.
 */
export interface GroupCommit<I, R> {
  add(item: I): Promise<R>;
}

export function createGroupCommit<I, R>(
  /** Writes every item in one transaction; results in input order. Throws to fail them all. */
  commit: (items: readonly I[]) => R[],
): GroupCommit<I, R> {
  let pending: { item: I; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  function flush() {
    const batch = pending;
    pending = [];
    try {
      const results = commit(batch.map((p) => p.item));
      batch.forEach((p, i) => p.resolve(results[i]!));
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  }
  return {
    add(item) {
      return new Promise<R>((resolve, reject) => {
        pending.push({ item, resolve, reject });
        // After the poll phase: every request read in this turn joins the same transaction.
        if (pending.length === 1) setImmediate(flush);
      });
    },
  };
}
