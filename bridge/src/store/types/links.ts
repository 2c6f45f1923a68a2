/** The opportunity ↔ referral link: what was last sent or applied, the base of the next patch. */
import type { AuditEvent, Referral } from '../../schemas';

export interface ReferralLink {
  opportunityId: string;
  /** Null while only a create intent is recorded (the create may or may not have happened). */
  referralId: string | null;
  engagementId: string | null;
  eTag: string | null;
  /** `updatedDateTime` of the newest referral state we sent or applied (out-of-order guard). */
  updatedDateTime: string | null;
  /** The referral as we last sent or saw it: the base of the next minimal patch. */
  referral: Referral | null;
  /** When a create with an unknown outcome was recorded (look the referral up first), else null. */
  createIntentAt: string | null;
  status: string | null;
  substatus: string | null;
  updatedAt: string;
}

export type ReferralLinkUpdate = { opportunityId: string } & {
  [K in Exclude<keyof ReferralLink, 'opportunityId' | 'updatedAt'>]?: ReferralLink[K];
};

export interface SaveLinkOptions {
  /** The audit event of the attempt that produced this link (e.g. the referral create, R10). */
  audit?: AuditEvent;
  /**
   * Commit without waiting for the disk (WAL with synchronous=NORMAL for this one transaction):
   * survives a process crash like any commit, but after a power loss it may roll back together
   * with everything committed after it, up to the next durable commit. Only for a save whose
   * loss the caller recovers anyway because a later durable commit (a job's settlement) comes
   * after it: losing both is the same as a process crash just before this save.
   */
  syncLater?: boolean;
}
