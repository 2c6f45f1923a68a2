/**
 * How big a chaos run is. The fast profile is what CI runs on every `npm test` (about two minutes
 * on a loaded 2-core machine); `npm run test:chaos -- --long` sets CHAOS_PROFILE=long for more
 * operations, more kills and the slow faults (a real client timeout costs 30 s each).
 * CHAOS_SEED replays the random choices (kill delays, which records are edited) of an earlier run.
 */
export interface ChaosProfile {
  name: 'fast' | 'long';
  /** Opportunities the seller creates with sync on. */
  opportunities: number;
  /** Referrals Microsoft creates for the partner (inbound, R18). */
  microsoftReferrals: number;
  /** Rounds of edits on both sides, each with faults and maybe a kill. */
  editRounds: number;
  /** Kills at random points during the edit rounds (two more hit the named windows). */
  randomKills: number;
  /** Faults that need a real client timeout (latency beyond the 30 s Partner Center timeout). */
  clientTimeouts: boolean;
  /**
   * Whether the seller and Microsoft may edit the SAME deal before the bridge synced the other's
   * edit (the three-way merge case). Both profiles do; off splits the deals between the two sides,
   * which helps tell a merge problem from a crash problem when a run fails.
   */
  overlappingEdits: boolean;
  /** Deadline for the two sides to agree after the last fault. */
  convergenceTimeoutMs: number;
  /** Upper bound on the bridge's resident memory at any sample. */
  maxRssBytes: number;
  seed: number;
}

export function chaosProfile(env: NodeJS.ProcessEnv = process.env): ChaosProfile {
  const seed = env.CHAOS_SEED ? Number(env.CHAOS_SEED) : Date.now() % 2_147_483_647;
  if (!Number.isSafeInteger(seed))
    throw new Error(`CHAOS_SEED must be an integer, got ${env.CHAOS_SEED}`);
  if (env.CHAOS_PROFILE === 'long') {
    return {
      name: 'long',
      opportunities: 40,
      microsoftReferrals: 12,
      editRounds: 14,
      randomKills: 10,
      clientTimeouts: true,
      overlappingEdits: true,
      convergenceTimeoutMs: 240_000,
      maxRssBytes: 400 * 1024 * 1024,
      seed,
    };
  }
  return {
    name: 'fast',
    opportunities: 6,
    microsoftReferrals: 3,
    editRounds: 4,
    randomKills: 3,
    clientTimeouts: false,
    overlappingEdits: true,
    convergenceTimeoutMs: 90_000,
    maxRssBytes: 400 * 1024 * 1024,
    seed,
  };
}

/** mulberry32: a tiny deterministic PRNG, so CHAOS_SEED reproduces a run's choices. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
