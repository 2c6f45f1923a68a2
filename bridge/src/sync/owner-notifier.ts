/**
 * Tells opportunity owners what needs them (issue 19), through Salesforce custom notifications.
 * The news comes from the audit outbox (R10): once an event is written to Salesforce, its `news`
 * (stated by the step that made it) waits in the store until it is told. The news flush takes a
 * batch, the notifier reads the opportunities they name (one query) and sends one notification
 * per piece of news in one action request, and the store records how each ended:
 * - told (recorded as told), nothing to tell (the record shows no news, the kind is off, the
 *   same sync error was told last and nothing synced since), or refused for good (a
 *   notification type missing from the org, a bad input): done, a refusal logged as an error;
 * - not sent for a reason that passes (network, 5xx, limits, an expired session): due again
 *   after backoff, also after a restart, until the news is NEWS_MAX_AGE_MS old.
 * A notification failing never fails the sync or the audit. Delivery is at least once: a crash
 * between Salesforce accepting a send and the store recording it tells that batch again when
 * its lease expires (the action takes no idempotency key, so nothing can recognise the repeat),
 * and a send that outlives its lease may be taken and told again by another replica.
 */
import type { Logger } from 'pino';
import { describeError } from '../errors';
import {
  newsIn,
  notificationFor,
  type NotificationKind,
  type OpportunityFacts,
  type OwnerNotification,
} from '../mapping';
import { DEFAULT_BACKOFF, type BackoffPolicy } from '../retry';
import {
  NOTIFICATIONS_PER_REQUEST,
  type NotificationSendResult,
  type OwnerNotificationClient,
} from '../salesforce';
import type { NewsItem, NewsSettlement, StateStore } from '../store';
import { decideFailure } from './failure-policy';

/**
 * News older than this is dropped instead of retried: a day-old "accepted" or sync error is no
 * longer news worth a phone buzz, and an outage that long is the operator's, not the seller's.
 */
export const NEWS_MAX_AGE_MS = 24 * 3_600_000;

const STALE_NEWS = 'not told: older than 24 hours';

/** News younger than NEWS_MAX_AGE_MS (an unreadable time counts as old). */
function isFresh(item: NewsItem, now: Date): boolean {
  return now.getTime() - Date.parse(item.event.occurredAt) < NEWS_MAX_AGE_MS;
}

export interface OwnerNotifier {
  /** Tells the news of taken items; says how each ended. Never throws. */
  tell(items: readonly NewsItem[], now: Date): Promise<NewsSettlement[]>;
}

interface Pending {
  item: NewsItem;
  kind: NotificationKind;
  opportunityId: string;
}

/**
 * Step 3: one notification per piece of news. News whose opportunity is gone, or whose record
 * shows nothing to tell (e.g. a linked referral nobody must answer), is settled as done, and so
 * is a sync error identical to one composed earlier in the same batch and the same run of errors
 * (news held back by an outage comes in one batch: a retried attempt's errors were each written).
 */
function compose(
  news: readonly Pending[],
  facts: ReadonlyMap<string, OpportunityFacts>,
): { toSend: Map<OwnerNotification, Pending>; nothingToTell: NewsSettlement[] } {
  const toSend = new Map<OwnerNotification, Pending>();
  const nothingToTell: NewsSettlement[] = [];
  /** Sync errors told in this batch, by opportunity, run and message: each is told once. */
  const errorsTold = new Set<string>();
  for (const n of news) {
    const opportunity = facts.get(n.opportunityId);
    const message = n.item.event.message;
    const made = opportunity ? notificationFor(n.kind, opportunity, { message }) : null;
    const errorKey =
      n.kind === 'sync-error' ? JSON.stringify([n.opportunityId, n.item.errorRun, message]) : null;
    if (!made || (errorKey !== null && errorsTold.has(errorKey))) {
      nothingToTell.push({ id: n.item.id });
      continue;
    }
    if (errorKey !== null) errorsTold.add(errorKey);
    toSend.set(made, n);
  }
  return { toSend, nothingToTell };
}

export function createOwnerNotifier(options: {
  client: Pick<OwnerNotificationClient, 'send' | 'readFacts'>;
  kinds: readonly NotificationKind[];
  logger: Logger;
  backoff?: BackoffPolicy;
}): OwnerNotifier {
  const { client, logger } = options;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const kinds = new Set(options.kinds);

  /** What a failed read or send means for each piece of news it covered. */
  function failed(news: readonly Pending[], error: unknown, now: Date): NewsSettlement[] {
    const settlements = news.map(({ item }): NewsSettlement => {
      const decision = decideFailure(error, item.attempts + 1, now, backoff);
      // A retry that comes due after NEWS_MAX_AGE_MS is dropped when taken (triage).
      if (decision.kind === 'permanent') return { id: item.id, error: decision.message };
      return { id: item.id, retryAt: decision.retryAt, error: decision.message };
    });
    const dropped = settlements.filter((s) => !s.retryAt).length;
    const message = describeError(error);
    if (dropped > 0)
      logger.error(
        { event: 'sync.notifications_dropped', err: message, dropped },
        `${dropped} owner notification(s) not sent and not retried: ${message}`,
      );
    const retryAt = settlements.reduce<Date | undefined>(
      (first, s) => (s.retryAt && (!first || s.retryAt < first) ? s.retryAt : first),
      undefined,
    );
    if (retryAt)
      logger.warn(
        {
          event: 'sync.notifications_failed',
          err: message,
          retrying: settlements.length - dropped,
          retryAt: retryAt.toISOString(),
        },
        `owner notifications not sent, retried later: ${message}`,
      );
    return settlements;
  }

  /**
   * Step 1: which taken items to tell. Settled at once: no news for the owner (or its kind is
   * off), stale news, and a sync error the owner was already told in the same run of errors
   * (no sync in between: the store's `sameErrorTold`).
   */
  function triage(
    items: readonly NewsItem[],
    now: Date,
  ): { done: NewsSettlement[]; news: Pending[] } {
    const done: NewsSettlement[] = [];
    const news: Pending[] = [];
    let stale = 0;
    for (const item of items) {
      const kind = newsIn(item.event);
      const opportunityId = item.event.opportunityId;
      if (!kind || !opportunityId || !kinds.has(kind)) done.push({ id: item.id });
      // Due for the first time only now (the bridge was stopped, the audit write backlogged):
      // past the age at which a failed send is given up, it is not news any more either.
      else if (!isFresh(item, now)) {
        done.push({ id: item.id, error: STALE_NEWS });
        stale += 1;
      }
      // The owner was told this very error with no sync in between, before or after this one
      // (the store says so, also across restarts): a retry of an older copy is not news either.
      else if (kind === 'sync-error' && item.sameErrorTold) done.push({ id: item.id });
      else news.push({ item, kind, opportunityId });
    }
    if (stale > 0)
      logger.warn(
        { event: 'sync.notifications_dropped', dropped: stale, err: STALE_NEWS },
        `${stale} owner notification(s) ${STALE_NEWS}`,
      );
    return { done, news };
  }

  /** Step 2: the facts of the opportunities the news names (one query), by id. Throws as the read. */
  async function readFacts(news: readonly Pending[]): Promise<Map<string, OpportunityFacts>> {
    const { facts } = await client.readFacts(news.map((n) => n.opportunityId));
    return new Map(facts.map((f) => [f.id, f]));
  }

  /**
   * Step 4: sends the composed notifications in one request and says how each piece of news
   * ended: told, refused for good (logged as an error), or due again (a failure that passes).
   */
  async function send(
    toSend: ReadonlyMap<OwnerNotification, Pending>,
    now: Date,
  ): Promise<NewsSettlement[]> {
    let result: NotificationSendResult;
    try {
      result = await client.send([...toSend.keys()]);
    } catch (error) {
      return failed([...toSend.values()], error, now);
    }
    const done: NewsSettlement[] = [];
    const failures = new Map(result.failed.map((f) => [f.notification, f]));
    const refused: string[] = [];
    /** Per reason (one log line each): the error and the news it held back. */
    const passing = new Map<string, { error: Error; news: Pending[] }>();
    for (const [notification, n] of toSend) {
      const failure = failures.get(notification);
      if (!failure) done.push({ id: n.item.id, told: true });
      // Salesforce answered for this one input with an error that passes (a lock, a limit,
      // unavailable): asked again later, like a whole send that failed for such a reason.
      else if (failure.transient) {
        const held = passing.get(failure.error) ?? { error: failure.transient, news: [] };
        held.news.push(n);
        passing.set(failure.error, held);
      } else {
        refused.push(failure.error);
        done.push({ id: n.item.id, error: failure.error });
      }
    }
    for (const { error, news } of passing.values()) done.push(...failed(news, error, now));
    if (refused.length > 0)
      // Salesforce answered and said no (the type is not in the org, a bad input): asking again
      // gets the same answer, so the news is dropped with the reason.
      logger.error(
        { event: 'sync.notifications_refused', refused: refused.length, err: refused[0] },
        `Salesforce refused ${refused.length} owner notification(s): ${refused[0]}`,
      );
    logger.info(
      { event: 'sync.notifications_sent', sent: result.sent, apiCalls: result.apiCalls },
      `sent ${result.sent} owner notification(s) in ${result.apiCalls} call(s)`,
    );
    return done;
  }

  /**
   * The four steps in turn: each settles what it can and hands the rest to the next; a failed
   * read of the facts settles all the news it covered as failed.
   */
  async function tell(items: readonly NewsItem[], now: Date): Promise<NewsSettlement[]> {
    const { done, news } = triage(items, now);
    if (news.length === 0) return done;
    let facts: Map<string, OpportunityFacts>;
    try {
      facts = await readFacts(news);
    } catch (error) {
      return [...done, ...failed(news, error, now)];
    }
    const { toSend, nothingToTell } = compose(news, facts);
    done.push(...nothingToTell);
    if (toSend.size === 0) return done;
    return [...done, ...(await send(toSend, now))];
  }

  return { tell };
}

/**
 * The outbox's notification stage: tells one batch of due news and records how each ended.
 * Returns how many items it settled (0: nothing was due).
 */
export function createNewsFlush(deps: {
  store: Pick<StateStore, 'takeNewsBatch' | 'settleNews'>;
  notifier: OwnerNotifier;
  now: () => Date;
}): () => Promise<number> {
  return async () => {
    // At most one action request per batch: a send that fails, fails as a whole, so its retry
    // repeats nothing another request of the batch already delivered.
    const items = await deps.store.takeNewsBatch(NOTIFICATIONS_PER_REQUEST, deps.now());
    if (items.length === 0) return 0;
    const settlements = await deps.notifier.tell(items, deps.now());
    await deps.store.settleNews(settlements, deps.now());
    return items.length;
  };
}
