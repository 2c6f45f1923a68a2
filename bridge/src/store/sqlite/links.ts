import type { DatabaseSync } from 'node:sqlite';
import {
  alreadyLinked,
  LINK_COLUMNS,
  LINK_COLUMNS_BUT_REFERRAL,
  LINK_UPDATES,
  linkValues,
  mergeLink,
  needsReferralCheck,
  toLink,
  type LinkRow,
} from '../link-rows';
import type { ReferralLink, ReferralLinkUpdate } from '../types';

function linkRow(db: DatabaseSync, opportunityId: string): LinkRow | undefined {
  return db.prepare('SELECT * FROM referral_links WHERE opportunity_id = ?').get(opportunityId) as
    LinkRow | undefined;
}

/**
 * The stored row without its referral text, for a save that replaces the referral: reading the
 * several-KB text out of its overflow pages only to drop it was most of saveLink's own time.
 */
function linkRowWithoutReferral(db: DatabaseSync, opportunityId: string): LinkRow | undefined {
  return db
    .prepare(
      `SELECT ${LINK_COLUMNS_BUT_REFERRAL}, NULL AS referral FROM referral_links WHERE opportunity_id = ?`,
    )
    .get(opportunityId) as LinkRow | undefined;
}

export function getLink(db: DatabaseSync, opportunityId: string): ReferralLink | undefined {
  const row = linkRow(db, opportunityId);
  return row && toLink(row);
}

export function getLinkByReferral(db: DatabaseSync, referralId: string): ReferralLink | undefined {
  const row = db.prepare('SELECT * FROM referral_links WHERE referral_id = ?').get(referralId) as
    LinkRow | undefined;
  return row && toLink(row);
}

/** Upsert by opportunity id; `undefined` fields keep their stored value, `null` clears them. */
export function saveLink(db: DatabaseSync, update: ReferralLinkUpdate, now: Date): ReferralLink {
  const current =
    update.referral === undefined
      ? linkRow(db, update.opportunityId)
      : linkRowWithoutReferral(db, update.opportunityId);
  const { row, link } = mergeLink(current, update, now);
  if (needsReferralCheck(current, row)) {
    const other = db
      .prepare('SELECT opportunity_id FROM referral_links WHERE referral_id = ?')
      .get(row.referral_id) as { opportunity_id: string } | undefined;
    if (other && other.opportunity_id !== row.opportunity_id) {
      throw alreadyLinked(row.referral_id!, other.opportunity_id, row.opportunity_id);
    }
  }
  db.prepare(
    `INSERT INTO referral_links (${LINK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (opportunity_id) DO UPDATE SET ${LINK_UPDATES}`,
  ).run(...linkValues(row));
  return link;
}
