/**
 * Tells opportunity owners what needs them (issue 19), through Salesforce custom notifications.
 * The news comes from the audit trail: once a batch of audit events is written to Salesforce
 * (R10), the notifier reads the opportunities they name (one query per 200) and sends one
 * notification per piece of news, all of a batch in one action request per 100. Notifications
 * are best effort: a refused or failed send is logged and never fails the sync or the audit.
 */
import type { Logger } from 'pino';
import { newsIn, notificationFor, type NotificationKind, type OwnerNotification } from '../mapping';
import type { OwnerNotificationClient, SalesforceWriter } from '../salesforce';
import type { AuditEvent } from '../schemas';

/** Remembered (opportunity → last error told) so a retried failure does not notify again. */
const ERROR_MEMORY = 10_000;

export interface OwnerNotifier {
  /** News in these (written) audit events → notifications. Never throws. */
  fromAudit(events: readonly AuditEvent[]): Promise<void>;
  /** Sends notifications of the enabled kinds. Never throws; resolves with the number sent. */
  send(notifications: readonly OwnerNotification[]): Promise<number>;
  enabled(kind: NotificationKind): boolean;
}

export function createOwnerNotifier(options: {
  client: OwnerNotificationClient;
  kinds: readonly NotificationKind[];
  logger: Logger;
}): OwnerNotifier {
  const { client, logger } = options;
  const kinds = new Set(options.kinds);
  const lastError = new Map<string, string>();

  function firstTimeError(opportunityId: string, message: string): boolean {
    if (lastError.get(opportunityId) === message) return false;
    lastError.delete(opportunityId);
    lastError.set(opportunityId, message);
    if (lastError.size > ERROR_MEMORY) lastError.delete(lastError.keys().next().value!);
    return true;
  }

  async function send(notifications: readonly OwnerNotification[]): Promise<number> {
    const wanted = notifications.filter((n) => kinds.has(n.kind));
    if (wanted.length === 0) return 0;
    try {
      const result = await client.send(wanted);
      logger.info(
        { event: 'sync.notifications_sent', sent: result.sent, apiCalls: result.apiCalls },
        `sent ${result.sent} owner notification(s) in ${result.apiCalls} call(s)`,
      );
      return result.sent;
    } catch (error) {
      logger.warn(
        { event: 'sync.notifications_failed', err: error, notifications: wanted.length },
        'owner notifications not sent',
      );
      return 0;
    }
  }

  return {
    enabled: (kind) => kinds.has(kind),
    send,
    async fromAudit(events) {
      const news = events
        .map((event) => ({ event, kind: newsIn(event) }))
        .filter(
          (n): n is { event: AuditEvent & { opportunityId: string }; kind: NotificationKind } =>
            n.kind !== null && kinds.has(n.kind),
        )
        .filter(
          (n) => n.kind !== 'sync-error' || firstTimeError(n.event.opportunityId, n.event.message),
        );
      for (const n of news) if (n.kind !== 'sync-error') lastError.delete(n.event.opportunityId);
      if (news.length === 0) return;
      let facts;
      try {
        facts = (await client.readFacts(news.map((n) => n.event.opportunityId))).facts;
      } catch (error) {
        logger.warn({ event: 'sync.notifications_failed', err: error }, 'owner lookup failed');
        return;
      }
      const byId = new Map(facts.map((f) => [f.id, f]));
      const notifications = news.flatMap((n) => {
        const opportunity = byId.get(n.event.opportunityId);
        const made = opportunity
          ? notificationFor(n.kind, opportunity, { message: n.event.message })
          : null;
        return made ? [made] : [];
      });
      await send(notifications);
    },
  };
}

/** The writer the engine uses, telling owners about what each written audit batch records. */
export function withOwnerNotifications(
  writer: SalesforceWriter,
  notifier: OwnerNotifier,
): SalesforceWriter {
  return {
    ...writer,
    async writeAuditEvents(events) {
      const results = await writer.writeAuditEvents(events);
      await notifier.fromAudit(events.filter((_, index) => results[index]?.success));
      return results;
    },
  };
}
