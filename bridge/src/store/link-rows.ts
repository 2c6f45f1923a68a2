/**
 * The `referral_links` row both stores share, and the link it stands for. The row keeps the last
 * referral as JSON text (several KB: the base of the next minimal patch). Most readers want only
 * ids, the ETag or dates (echo checks, out-of-order guards, conflict checks), so the text is
 * parsed on first access of `link.referral`, and an upsert that does not change the referral
 * writes the stored text back as it is. Parsing it on every read and save was about a fifth of
 * the store's CPU time in the bulk switch-on profile.
 */
import { PermanentError } from '../errors';
import type { Referral } from '../schemas';
import type { ReferralLink, ReferralLinkUpdate } from './types';

export interface LinkRow {
  opportunity_id: string;
  referral_id: string | null;
  engagement_id: string | null;
  etag: string | null;
  updated_date_time: string | null;
  referral: string | null;
  create_intent_at: string | null;
  status: string | null;
  substatus: string | null;
  updated_at: string;
}

/** The link of a stored row; `referral` is parsed when first read (and may be replaced). */
export function toLink(row: LinkRow): ReferralLink {
  const link: ReferralLink = {
    opportunityId: row.opportunity_id,
    referralId: row.referral_id,
    engagementId: row.engagement_id,
    eTag: row.etag,
    updatedDateTime: row.updated_date_time,
    referral: null,
    createIntentAt: row.create_intent_at,
    status: row.status,
    substatus: row.substatus,
    updatedAt: row.updated_at,
  };
  if (row.referral !== null) parseOnFirstRead(link, row.referral);
  return link;
}

/**
 * An enumerable accessor, so spreading, JSON.stringify and deep equality see a plain `referral`
 * field; each link parses its own copy, as before.
 */
function parseOnFirstRead(link: ReferralLink, text: string): void {
  let value: Referral | null = null;
  let parsed = false;
  Object.defineProperty(link, 'referral', {
    enumerable: true,
    configurable: true,
    get() {
      if (!parsed) {
        value = JSON.parse(text) as Referral;
        parsed = true;
      }
      return value;
    },
    set(next: Referral | null) {
      value = next;
      parsed = true;
    },
  });
}

/**
 * Upsert semantics: `undefined` fields keep their stored value, `null` clears them. Returns the
 * row to write and the link it stands for (whose `referral` is the update's object when it gave
 * one, the stored one parsed on demand otherwise).
 */
export function mergeLink(
  current: LinkRow | undefined,
  update: ReferralLinkUpdate,
  now: Date,
): { row: LinkRow; link: ReferralLink } {
  const pick = <K extends keyof ReferralLinkUpdate>(key: K, stored: string | null | undefined) =>
    update[key] === undefined ? (stored ?? null) : (update[key] as string | null);
  const referral = update.referral;
  const row: LinkRow = {
    opportunity_id: update.opportunityId,
    referral_id: pick('referralId', current?.referral_id),
    engagement_id: pick('engagementId', current?.engagement_id),
    etag: pick('eTag', current?.etag),
    updated_date_time: pick('updatedDateTime', current?.updated_date_time),
    referral:
      referral === undefined
        ? (current?.referral ?? null)
        : referral === null
          ? null
          : JSON.stringify(referral),
    create_intent_at: pick('createIntentAt', current?.create_intent_at),
    status: pick('status', current?.status),
    substatus: pick('substatus', current?.substatus),
    updated_at: now.toISOString(),
  };
  const link = toLink(row);
  if (referral !== undefined) link.referral = referral; // no need to parse what we just wrote
  return { row, link };
}

/**
 * Whether saving `row` over `current` needs the check that no other opportunity holds its
 * referral: not when the row keeps the referral it already had (referral_id is UNIQUE).
 */
export function needsReferralCheck(current: LinkRow | undefined, row: LinkRow): boolean {
  return row.referral_id !== null && row.referral_id !== current?.referral_id;
}

/** The refusal of a save that would link one referral to a second opportunity. */
export function alreadyLinked(
  referralId: string,
  otherOpportunity: string,
  opportunityId: string,
): PermanentError {
  // One referral, two opportunities would make every later sync ambiguous: refuse loudly.
  return new PermanentError(
    `referral ${referralId} is already linked to opportunity ${otherOpportunity}, not ${opportunityId}`,
    'bridge',
    'REFERRAL_ALREADY_LINKED',
  );
}

/** The column values of a row, in the order of LINK_COLUMNS. */
export function linkValues(row: LinkRow): (string | null)[] {
  return [
    row.opportunity_id,
    row.referral_id,
    row.engagement_id,
    row.etag,
    row.updated_date_time,
    row.referral,
    row.create_intent_at,
    row.status,
    row.substatus,
    row.updated_at,
  ];
}

export const LINK_COLUMNS = `opportunity_id, referral_id, engagement_id, etag, updated_date_time,
  referral, create_intent_at, status, substatus, updated_at`;
export const LINK_COLUMNS_BUT_REFERRAL = `opportunity_id, referral_id, engagement_id, etag,
  updated_date_time, create_intent_at, status, substatus, updated_at`;
export const LINK_UPDATES = `referral_id = excluded.referral_id,
  engagement_id = excluded.engagement_id, etag = excluded.etag,
  updated_date_time = excluded.updated_date_time, referral = excluded.referral,
  create_intent_at = excluded.create_intent_at, status = excluded.status,
  substatus = excluded.substatus, updated_at = excluded.updated_at`;
