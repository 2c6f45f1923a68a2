import type { DatabaseSync } from 'node:sqlite';
import { PermanentError } from '../../errors';
import type { Referral } from '../../schemas';
import type { ReferralLink, ReferralLinkUpdate } from '../types';

interface LinkRow {
  opportunity_id: string;
  referral_id: string | null;
  engagement_id: string | null;
  etag: string | null;
  updated_date_time: string | null;
  referral: string | null;
  payload_hash: string | null;
  status: string | null;
  substatus: string | null;
  updated_at: string;
}

function toLink(row: LinkRow): ReferralLink {
  return {
    opportunityId: row.opportunity_id,
    referralId: row.referral_id,
    engagementId: row.engagement_id,
    eTag: row.etag,
    updatedDateTime: row.updated_date_time,
    referral: row.referral === null ? null : (JSON.parse(row.referral) as Referral),
    payloadHash: row.payload_hash,
    status: row.status,
    substatus: row.substatus,
    updatedAt: row.updated_at,
  };
}

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
  const current = getLink(db, update.opportunityId);
  const pick = <K extends keyof ReferralLinkUpdate>(key: K, fallback: ReferralLink[K] | null) =>
    update[key] === undefined ? fallback : update[key];
  const next: ReferralLink = {
    opportunityId: update.opportunityId,
    referralId: pick('referralId', current?.referralId ?? null) as string | null,
    engagementId: pick('engagementId', current?.engagementId ?? null) as string | null,
    eTag: pick('eTag', current?.eTag ?? null) as string | null,
    updatedDateTime: pick('updatedDateTime', current?.updatedDateTime ?? null) as string | null,
    referral: pick('referral', current?.referral ?? null) as Referral | null,
    payloadHash: pick('payloadHash', current?.payloadHash ?? null) as string | null,
    status: pick('status', current?.status ?? null) as string | null,
    substatus: pick('substatus', current?.substatus ?? null) as string | null,
    updatedAt: now.toISOString(),
  };
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
    `INSERT INTO referral_links (opportunity_id, referral_id, engagement_id, etag,
       updated_date_time, referral, payload_hash, status, substatus, updated_at)
     VALUES (:opportunityId, :referralId, :engagementId, :eTag, :updatedDateTime, :referral,
       :payloadHash, :status, :substatus, :updatedAt)
     ON CONFLICT (opportunity_id) DO UPDATE SET
       referral_id = excluded.referral_id, engagement_id = excluded.engagement_id,
       etag = excluded.etag, updated_date_time = excluded.updated_date_time,
       referral = excluded.referral, payload_hash = excluded.payload_hash,
       status = excluded.status, substatus = excluded.substatus, updated_at = excluded.updated_at`,
  ).run({ ...next, referral: next.referral === null ? null : JSON.stringify(next.referral) });
  return next;
}
