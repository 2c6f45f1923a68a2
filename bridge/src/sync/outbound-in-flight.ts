/**
 * Which opportunities the outbound worker is sending right now. Our own PATCH fires a
 * referral-updated webhook (our create a referral-created) that can be delivered (and claimed by
 * the inbound worker) before the outbound worker has stored the referral state it got back; the echo check then cannot
 * recognise it and the referral would be read back for nothing (R1). The inbound worker waits
 * for the send to settle, then judges the delivery against the link as stored after it. The wait
 * is bounded: a send held up by a slow or failing Partner Center must not hold back a Microsoft
 * change (the delivery is then read, which costs one call but loses nothing).
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
  /**
   * Our PATCH was answered 204 (as Microsoft documents): the referral changed, but the bridge
   * does not know the change's `updatedDateTime`, so its webhook cannot be told from a
   * Microsoft change by time. Expect one echo for it instead.
   */
  expectEcho(referralId: string): void;
  /**
   * True (and the expectations are used up) when the deliveries' distinct change times are all
   * echoes of our own 204 PATCHes; a change time already taken (a second event for the same
   * change, e.g. related-referral-updated) is again an echo.
   */
  takeEchoes(referralId: string, changeTimes: readonly string[]): boolean;
  /** A read state of the referral is stored: it covers our changes, their echoes compare by time. */
  forgetEchoes(referralId: string): void;
}

/**
 * How long an expected echo is waited for. A delivery Partner Center drops never comes; the
 * expectation must not then swallow a later Microsoft change (the catch-up reads it anyway).
 */
export const ECHO_EXPECTATION_TTL_MS = 10 * 60_000;

export function createOutboundInFlight(now: () => number = Date.now): OutboundInFlight {
  const running = new Map<string, Set<Promise<unknown>>>();
  /** Per referral: expiry times of expected echoes, and change times already taken as echoes. */
  const echoes = new Map<string, { expected: number[]; taken: Map<string, number> }>();
  const echoesOf = (referralId: string) => {
    const at = now();
    const entry = echoes.get(referralId) ?? { expected: [], taken: new Map<string, number>() };
    entry.expected = entry.expected.filter((expiry) => expiry > at);
    for (const [time, expiry] of entry.taken) if (expiry <= at) entry.taken.delete(time);
    echoes.set(referralId, entry);
    return entry;
  };
  return {
    expectEcho(referralId) {
      // Drop what has fully expired, so the map holds only referrals patched recently.
      for (const id of [...echoes.keys()]) {
        const entry = echoesOf(id);
        if (entry.expected.length === 0 && entry.taken.size === 0) echoes.delete(id);
      }
      echoesOf(referralId).expected.push(now() + ECHO_EXPECTATION_TTL_MS);
    },
    takeEchoes(referralId, changeTimes) {
      const entry = echoesOf(referralId);
      const fresh = [...new Set(changeTimes)].filter((time) => !entry.taken.has(time));
      if (fresh.length > entry.expected.length) return false;
      entry.expected.splice(0, fresh.length);
      for (const time of fresh) entry.taken.set(time, now() + ECHO_EXPECTATION_TTL_MS);
      return true;
    },
    forgetEchoes(referralId) {
      echoes.delete(referralId);
    },
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
