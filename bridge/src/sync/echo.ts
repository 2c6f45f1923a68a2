/**
 * Echo suppression, in one place: whether a change the bridge sees is only the echo of its own
 * write, and so must not be sent back (R9) or cost a Partner Center read (R1). Every step that
 * meets an echo asks here: the CDC triage, the webhook intake, the inbound worker's echo filter;
 * the outbound side tells it what to expect.
 *
 * - Salesforce → us: a change event whose `changeOrigin` names our API client is our write-back.
 * - Partner Center → us, by time: a webhook whose change time is not newer than the referral
 *   state we stored is the echo of a write whose result we know.
 * - Partner Center → us, by count: after a PATCH answered 204 (as Microsoft documents) the
 *   change's time is unknown, so one echo is expected per such PATCH (`EchoExpectations`).
 */
import { isDeepStrictEqual } from 'node:util';
import { compareInstants } from '../mapping';
import { changeOriginClient, type ChangeEventHeader } from '../salesforce';
import type { Referral } from '../schemas';
import type { ReferralLink } from '../store';

/**
 * True when the change was made through our own connection (`Sforce-Call-Options:
 * client=<clientName>`), i.e. it is our write-back coming back (R9). Gap events never count:
 * their header alone does not prove who changed what.
 */
export function isOwnSalesforceChange(
  header: Pick<ChangeEventHeader, 'changeOrigin'>,
  clientName: string,
): boolean {
  return changeOriginClient(header) === clientName;
}

/**
 * Our own write comes back as a referral webhook: a change that is not newer than the referral
 * state we stored after that write is an echo of it, with nothing to fetch (saves a Referrals
 * API call, R1). Asked at intake and again by the inbound worker just before it would read.
 */
export function isOwnEcho(
  changedAt: string | null | undefined,
  link: Pick<ReferralLink, 'updatedDateTime'> | undefined,
): boolean {
  return Boolean(
    changedAt && link?.updatedDateTime && compareInstants(changedAt, link.updatedDateTime) <= 0,
  );
}

/**
 * True when a referral as Partner Center lists it is exactly the state we stored after our own
 * write, apart from what the server stamps on every change (`updatedDateTime`, `eTag`): the
 * change since our stored time is ours. After a PATCH answered 204 the stored state carries our
 * operations but not the server's new time, so the catch-up's listing would otherwise take our
 * own change for Microsoft's and apply it back to Salesforce (one read per referral patched since
 * the last catch-up). Any other difference, however small (a status stamp such as
 * `acceptedDateTime`, a value Partner Center normalised), is not ours to assume: it is read.
 */
export function isOwnListedState(stored: Referral, listed: Referral): boolean {
  const { updatedDateTime: _a, eTag: _b, ...ours } = stored;
  const { updatedDateTime: _c, eTag: _d, ...theirs } = listed;
  return isDeepStrictEqual(ours, theirs);
}

/** The echoes expected for our 204 PATCHes, per referral (in memory; none after a restart). */
export interface EchoExpectations {
  /**
   * Our PATCH was answered 204: the referral changed, but the bridge does not know the change's
   * `updatedDateTime`, so its webhook cannot be told from a Microsoft change by time. Expect one
   * echo for it instead.
   */
  expect(referralId: string): void;
  /**
   * True (and the expectations are used up) when the deliveries' distinct change times are all
   * echoes of our own 204 PATCHes; a change time already taken (a second event for the same
   * change, e.g. related-referral-updated) is again an echo.
   */
  take(referralId: string, changeTimes: readonly string[]): boolean;
  /** A read state of the referral is stored: it covers our changes, their echoes compare by time. */
  forget(referralId: string): void;
  /** Referrals with expectations or taken change times held (expired ones go now and then). */
  readonly size: number;
}

/**
 * How long an expected echo is waited for. A delivery Partner Center drops never comes; the
 * expectation must not then swallow a later Microsoft change (the catch-up reads it anyway).
 */
export const ECHO_EXPECTATION_TTL_MS = 10 * 60_000;

/**
 * How often expired expectations of other referrals are dropped. Pruning on every expect() went
 * through every referral patched in the last ten minutes each time: quadratic in a bulk run.
 */
export const ECHO_PRUNE_INTERVAL_MS = 60_000;

export function createEchoExpectations(now: () => number = Date.now): EchoExpectations {
  /** Per referral: expiry times of expected echoes, and change times already taken as echoes. */
  const echoes = new Map<string, { expected: number[]; taken: Map<string, number> }>();
  let nextPruneAt = 0;
  /** The referral's unexpired entry (created for expect, looked up only for take). */
  const liveEntry = (referralId: string, at: number, create: boolean) => {
    const entry =
      echoes.get(referralId) ??
      (create ? { expected: [], taken: new Map<string, number>() } : undefined);
    if (!entry) return undefined;
    entry.expected = entry.expected.filter((expiry) => expiry > at);
    for (const [time, expiry] of entry.taken) if (expiry <= at) entry.taken.delete(time);
    echoes.set(referralId, entry);
    return entry;
  };
  const pruneNowAndThen = (at: number) => {
    if (at < nextPruneAt) return;
    nextPruneAt = at + ECHO_PRUNE_INTERVAL_MS;
    for (const id of [...echoes.keys()]) {
      const entry = liveEntry(id, at, false)!;
      if (entry.expected.length === 0 && entry.taken.size === 0) echoes.delete(id);
    }
  };
  return {
    expect(referralId) {
      const at = now();
      pruneNowAndThen(at);
      liveEntry(referralId, at, true)!.expected.push(at + ECHO_EXPECTATION_TTL_MS);
    },
    take(referralId, changeTimes) {
      const at = now();
      const entry = liveEntry(referralId, at, false);
      const distinct = [...new Set(changeTimes)];
      if (!entry) return distinct.length === 0;
      const fresh = distinct.filter((time) => !entry.taken.has(time));
      if (fresh.length > entry.expected.length) return false;
      entry.expected.splice(0, fresh.length);
      for (const time of fresh) entry.taken.set(time, at + ECHO_EXPECTATION_TTL_MS);
      return true;
    },
    forget(referralId) {
      echoes.delete(referralId);
    },
    get size() {
      return echoes.size;
    },
  };
}

/**
 * Whether every delivery claimed for one referral is the echo of our own write, judged against
 * the link as stored after our sends settled: by time where the stored state is as new, else by
 * the echoes expected for our 204 PATCHes (used up when taken). A listed (catch-up) state is
 * never taken as an echo by count: it was read, so it may carry a Microsoft change.
 */
export function onlyEchoesOfOurWrites(
  referralId: string,
  deliveries: readonly { resourceChangeUtc: string | null; source: 'webhook' | 'catch-up' }[],
  link: Pick<ReferralLink, 'updatedDateTime'> | undefined,
  expectations: EchoExpectations | undefined,
): boolean {
  if (deliveries.some((item) => !item.resourceChangeUtc)) return false;
  const unexplained = deliveries.filter((item) => !isOwnEcho(item.resourceChangeUtc, link));
  if (unexplained.length === 0) return true;
  if (!link || !expectations || unexplained.some((i) => i.source === 'catch-up')) return false;
  return expectations.take(
    referralId,
    unexplained.map((item) => item.resourceChangeUtc ?? ''),
  );
}
