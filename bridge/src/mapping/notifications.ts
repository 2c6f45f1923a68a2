/**
 * What the opportunity's owner is told, and when (issue 19), pure: each kind of news becomes one
 * Salesforce custom notification of the package's matching CustomNotificationType. Title and body
 * respect the Send Custom Notification action's limits (250 / 750 characters).
 *
 * The bridge learns of the news from its own audit trail (R10), which already records every sync
 * attempt. The step that makes an attempt states its news on the audit event (`news`): the
 * inbound create (a new referral from Microsoft), an inbound change of the substatus (accepted,
 * declined, won, lost in Partner Center), an outbound error (with its fix). Expiry comes from
 * the expiry sweep.
 */
import { NEWS_KINDS, type AuditEvent, type NewsKind } from '../schemas';

/** The kinds BRIDGE_NOTIFICATIONS names. */
export const NOTIFICATION_KINDS = NEWS_KINDS;
export type NotificationKind = NewsKind;

/** The package's CustomNotificationType (DeveloperName) for each kind. */
export const NOTIFICATION_TYPES: Readonly<Record<NotificationKind, string>> = Object.freeze({
  'new-referral': 'Co_Sell_New_Referral',
  'sync-error': 'Co_Sell_Sync_Error',
  status: 'Co_Sell_Referral_Status',
  expiring: 'Co_Sell_Referral_Expiring',
});

export const NOTIFICATION_TITLE_MAX = 250;
export const NOTIFICATION_BODY_MAX = 750;

export interface OwnerNotification {
  kind: NotificationKind;
  /** The opportunity's owner (a User id). */
  recipientId: string;
  /** The opportunity: tapping the notification opens it. */
  targetId: string;
  title: string;
  body: string;
}

/** What the notifier reads about an opportunity to word and address a notification. */
export interface OpportunityFacts {
  id: string;
  name: string;
  ownerId: string;
  partnerCenterStatus: string | null;
  partnerCenterSubstatus: string | null;
  expiration: string | null;
  /** Partner_Center_Sync_Status__c: a sync error is told only once the card says Error. */
  syncStatus?: string | null;
}

/**
 * Which kind of news an audit event may carry, as the step that made it said (`news`); null for
 * none, and for an event about no opportunity (there is no owner to tell). Needs the record to
 * be sure (`notificationFor`). An event queued by a bridge older than the `news` column was
 * classified once, by the store migration that added it (store/migrations.ts, version 7).
 */
export function newsIn(event: AuditEvent): NotificationKind | null {
  if (event.opportunityId === null) return null;
  return event.news ?? null;
}

const STATUS_WORDS: Readonly<Record<string, string>> = {
  Accepted: 'accepted',
  Declined: 'declined',
  Won: 'won',
  Lost: 'lost',
};

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function day(iso: string | null): string | null {
  return iso && !Number.isNaN(Date.parse(iso)) ? new Date(iso).toISOString().slice(0, 10) : null;
}

/**
 * The notification for a kind of news about an opportunity, or null when the record shows there
 * is nothing to tell (e.g. a status change that is not accepted/declined/won/lost, a linked
 * referral that does not wait for an answer).
 */
export function notificationFor(
  kind: NotificationKind,
  opportunity: OpportunityFacts,
  detail: { message?: string } = {},
): OwnerNotification | null {
  const base = { kind, recipientId: opportunity.ownerId, targetId: opportunity.id };
  const name = opportunity.name;
  switch (kind) {
    case 'new-referral': {
      if (opportunity.partnerCenterStatus !== 'New') return null;
      const until = day(opportunity.expiration);
      return {
        ...base,
        title: cut(`New referral from Microsoft: ${name}`, NOTIFICATION_TITLE_MAX),
        body: cut(
          `Microsoft sent you a co-sell referral. Accept or decline it on the opportunity${until ? ` by ${until}` : ''}; unanswered, Partner Center closes it as Expired.`,
          NOTIFICATION_BODY_MAX,
        ),
      };
    }
    case 'status': {
      const word = STATUS_WORDS[opportunity.partnerCenterSubstatus ?? ''];
      if (!word) return null;
      return {
        ...base,
        title: cut(`Partner Center: ${name} ${word}`, NOTIFICATION_TITLE_MAX),
        body: cut(
          `Partner Center reports the referral ${word} (${opportunity.partnerCenterStatus ?? ''}/${opportunity.partnerCenterSubstatus ?? ''}).`,
          NOTIFICATION_BODY_MAX,
        ),
      };
    }
    case 'sync-error':
      // A transient failure the bridge retries by itself (Pending, or already Synced again) is
      // the bridge's business; the owner hears of what the card shows as Error.
      if (opportunity.syncStatus !== 'Error') return null;
      return {
        ...base,
        title: cut(`Partner Center sync failed: ${name}`, NOTIFICATION_TITLE_MAX),
        body: cut(
          detail.message?.trim() || 'See the Partner Center Sync card.',
          NOTIFICATION_BODY_MAX,
        ),
      };
    case 'expiring': {
      // Told when read, possibly after an outage: an owner who has answered meanwhile (or a
      // referral Partner Center closed) has nothing left to do.
      if (opportunity.partnerCenterStatus !== 'New') return null;
      const until = day(opportunity.expiration);
      return {
        ...base,
        title: cut(`Referral expires soon: ${name}`, NOTIFICATION_TITLE_MAX),
        body: cut(
          `Microsoft's referral is still unanswered and expires${until ? ` on ${until}` : ' soon'}. Accept or decline it on the opportunity before Partner Center closes it as Expired.`,
          NOTIFICATION_BODY_MAX,
        ),
      };
    }
  }
}
