import {
  alreadyLinked,
  LINK_COLUMNS,
  LINK_UPDATES,
  linkValues,
  mergeLink,
  needsReferralCheck,
  toLink,
  type LinkRow,
} from '../link-rows';
import type { ReferralLink, ReferralLinkUpdate } from '../types';
import type { Sql } from './database';

async function linkRow(
  sql: Sql,
  opportunityId: string,
  forUpdate = false,
): Promise<LinkRow | undefined> {
  const { rows } = await sql.query<LinkRow>(
    `SELECT * FROM referral_links WHERE opportunity_id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [opportunityId],
  );
  return rows[0];
}

export async function getLink(sql: Sql, opportunityId: string): Promise<ReferralLink | undefined> {
  const row = await linkRow(sql, opportunityId);
  return row && toLink(row);
}

export async function getLinkByReferral(
  sql: Sql,
  referralId: string,
): Promise<ReferralLink | undefined> {
  const { rows } = await sql.query<LinkRow>('SELECT * FROM referral_links WHERE referral_id = $1', [
    referralId,
  ]);
  return rows[0] && toLink(rows[0]);
}

/** Upsert by opportunity id (../rows.ts mergeLink); run inside a transaction. */
export async function saveLink(
  sql: Sql,
  update: ReferralLinkUpdate,
  now: Date,
): Promise<ReferralLink> {
  const current = await linkRow(sql, update.opportunityId, true);
  const { row, link: next } = mergeLink(current, update, now);
  if (needsReferralCheck(current, row)) {
    const { rows } = await sql.query<{ opportunity_id: string }>(
      'SELECT opportunity_id FROM referral_links WHERE referral_id = $1',
      [row.referral_id],
    );
    const other = rows[0]?.opportunity_id;
    if (other !== undefined && other !== row.opportunity_id) {
      throw alreadyLinked(row.referral_id!, other, row.opportunity_id);
    }
  }
  try {
    await sql.query(
      `INSERT INTO referral_links (${LINK_COLUMNS})
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (opportunity_id) DO UPDATE SET ${LINK_UPDATES}`,
      linkValues(row),
    );
  } catch (error) {
    // Another replica linked the referral between our check and our write (unique violation).
    if ((error as { code?: string }).code === '23505' && next.referralId !== null) {
      throw alreadyLinked(next.referralId, 'another opportunity', next.opportunityId);
    }
    throw error;
  }
  return next;
}
