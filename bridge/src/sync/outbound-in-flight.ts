/**
 * Which opportunities the outbound worker is sending right now. Our own PATCH fires a
 * referral-updated webhook (our create a referral-created) that can be delivered before the
 * outbound worker has stored the referral state it got back; the echo check then cannot
 * recognise it, and the referral would be stored and read back for nothing (R1). The webhook
 * intake and the inbound worker wait for the send to settle, then judge the delivery against the
 * link as stored after it (echo-settle.ts). The wait is bounded: a send held up by a slow or
 * failing Partner Center must not hold back a Microsoft change (the delivery is then recorded
 * and read, which costs one call but loses nothing).
 * In-process: both workers run in one engine, and the PATCH happens inside `run`, so a webhook
 * for it cannot exist before `run` has registered the opportunity.
 */
export interface OutboundInFlight {
  /** Runs `work` (one opportunity's send, up to and including saving its link). */
  run<T>(opportunityId: string, work: () => Promise<T>): Promise<T>;
  /**
   * Resolves true once no send for this opportunity is in progress, or false when one is still
   * running after `timeoutMs` (never rejects).
   */
  settled(opportunityId: string, timeoutMs: number): Promise<boolean>;
  /** The opportunities with a send in progress right now. */
  active(): string[];
  /** Whether a send for this opportunity is in progress right now. */
  sending(opportunityId: string): boolean;
}

export function createOutboundInFlight(): OutboundInFlight {
  const running = new Map<string, Set<Promise<unknown>>>();
  return {
    async run(opportunityId, work) {
      const task = work();
      const set = running.get(opportunityId) ?? new Set<Promise<unknown>>();
      running.set(opportunityId, set);
      set.add(task);
      try {
        return await task;
      } finally {
        set.delete(task);
        if (set.size === 0) running.delete(opportunityId);
      }
    },
    active() {
      return [...running.keys()];
    },
    sending(opportunityId) {
      return running.has(opportunityId);
    },
    async settled(opportunityId, timeoutMs) {
      const set = running.get(opportunityId);
      if (!set) return true;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      try {
        return await Promise.race([Promise.allSettled([...set]).then(() => true), timedOut]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
