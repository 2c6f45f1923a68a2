import type { DatabaseSync } from 'node:sqlite';
import { PermanentError } from '../../errors';
import { LINK_COLUMNS, LINK_UPDATES, linkValues, mergeLink, toLink, type LinkRow } from '../rows';
import type { ReferralLink, ReferralLinkUpdate } from '../types';

export function getLink(db: DatabaseSync, opportunityId: string): ReferralLink | undefined {
  const row = db
    .prepare('SELECT * FROM referral_links WHERE opportunity_id = ?')
    .get(opportunityId) as LinkRow | undefined;
  return row && toLink(row);
}

export function getLinkByReferral(db: DatabaseSync, referralId: string): ReferralLink | undefined {
  const row = db.prepare('SELECT * FROM referral_links WHERE referral_id = ?').get(referralId) as
    LinkRow | undefined;
  return row && toLink(row);
}

/** Upsert by opportunity id; `undefined` fields keep their stored value, `null` clears them. */
export function saveLink(db: DatabaseSync, update: ReferralLinkUpdate, now: Date): ReferralLink {
  const next = mergeLink(getLink(db, update.opportunityId), update, now);
  if (next.referralId !== null) {
    const other = getLinkByReferral(db, next.referralId);
    if (other && other.opportunityId !== next.opportunityId) {
      // One referral, two opportunities would make every later sync ambiguous: refuse loudly.
      throw new PermanentError(
        `referral ${next.referralId} is already linked to opportunity ${other.opportunityId}, not ${next.opportunityId}`,
        'bridge',
        'REFERRAL_ALREADY_LINKED',
      );
    }
  }
  db.prepare(
    `INSERT INTO referral_links (${LINK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (opportunity_id) DO UPDATE SET ${LINK_UPDATES}`,
  ).run(...(linkValues(next) as (string | null)[]));
  return next;
}
