/**
 * Inbound step for a referral with no CRM id yet (R18): a deal created in Partner Center (or by
 * Microsoft) gets its opportunity, and the opportunity id goes back to the referral as its CRM
 * id. The upsert by referral id makes a repeat harmless; the link is stored before the CRM id is
 * written back, so a crash in between resumes here instead of creating anything twice.
 */
import type { ReferralsClient } from '../partner-center';
import type { InboundRecords, OpportunityReader } from '../salesforce';
import type { Referral } from '../schemas';
import type { ReferralLink, StateStore } from '../store';
import { withWarnings } from './audit-message';
import type { ApplyFields } from './apply-fields';
import type { SyncMapping } from './mapping-adapter';
import type { EchoExpectations } from './echo';
import { patchReferral } from './patch-referral';
import { linkOf } from './referral-result';

export interface CreateFromReferralDeps {
  store: Pick<StateStore, 'saveLink'>;
  reader: OpportunityReader;
  inbound: InboundRecords;
  referrals: Pick<ReferralsClient, 'get' | 'patch'>;
  mapping: Pick<SyncMapping, 'newRecords' | 'planInbound'>;
  applyFields: ApplyFields;
  now: () => Date;
  maxPreconditionRetries: number;
  /** Our CRM-id PATCH answered 204: its echo is expected here. */
  echoes?: EchoExpectations;
}

/** Pure: the team members' emails worth looking up as Salesforce users (R4). */
export function teamEmails(referral: Referral): string[] {
  return (referral.team ?? [])
    .map((member) => member.email?.trim())
    .filter((email): email is string => Boolean(email));
}

/**
 * Creates or links the opportunity, stores the link and writes the CRM id back. `onLinked` learns
 * the opportunity id as soon as it exists, so a later failure is audited on it.
 */
export async function createFromReferral(
  deps: CreateFromReferralDeps,
  referral: Referral,
  eTag: string | null,
  link: ReferralLink | undefined,
  onLinked: (opportunityId: string) => void,
): Promise<{ opportunityId: string; message: string; calls: number }> {
  const emails = teamEmails(referral);
  const [users, currency] = await Promise.all([
    emails.length > 0 ? deps.inbound.findUsersByEmail(emails) : Promise.resolve([]),
    deps.inbound.orgCurrency(),
  ]);
  const records = deps.mapping.newRecords(referral, { users, ...currency, now: deps.now() });
  const { opportunityId } = await deps.inbound.createOrLinkOpportunity(referral.id, records);
  onLinked(opportunityId);
  await deps.store.saveLink({
    ...linkOf(opportunityId, referral, eTag),
    updatedDateTime: link?.updatedDateTime ?? null,
  });
  const written = await writeCrmId(deps, referral, eTag, opportunityId);
  // Store the state after our own PATCH, so its referral-updated webhook is recognised as ours.
  await deps.store.saveLink(linkOf(opportunityId, written.referral, written.eTag));
  const created = (await deps.reader.readOpportunities([opportunityId]))[0];
  const planned = created ? deps.mapping.planInbound(written.referral, created) : null;
  if (created && planned) await deps.applyFields(created, planned.updates);
  return {
    opportunityId,
    calls: written.calls,
    message: withWarnings(
      `Opportunity ${opportunityId} created or linked for referral ${referral.id}; CRM ID written back to Partner Center`,
      [...records.warnings, ...(planned?.warnings ?? [])],
    ),
  };
}

/** Writes the referral's id back as its CRM id (R18); re-reads once per lost If-Match race. */
async function writeCrmId(
  deps: Pick<CreateFromReferralDeps, 'referrals' | 'maxPreconditionRetries' | 'echoes'>,
  referral: Referral,
  eTag: string | null,
  opportunityId: string,
): Promise<{ referral: Referral; eTag: string | null; calls: number }> {
  let calls = 0;
  let current = referral;
  let tag = eTag;
  for (let attempt = 0; ; attempt += 1) {
    calls += 1;
    const patched = await patchReferral(
      deps.referrals,
      current.id,
      [{ op: 'replace', path: '/externalReferenceId', value: opportunityId }],
      tag,
    );
    if (patched.kind === 'patched') {
      if (patched.next) return { ...patched.next, calls };
      // 204, as documented: our change is known, the new eTag is not (read when needed).
      deps.echoes?.expect(current.id);
      return {
        referral: { ...current, externalReferenceId: opportunityId, eTag: null },
        eTag: null,
        calls,
      };
    }
    if (attempt >= deps.maxPreconditionRetries) throw patched.error;
    calls += 1;
    const fresh = await deps.referrals.get(current.id);
    deps.echoes?.forget(current.id);
    current = fresh.referral;
    tag = fresh.eTag ?? fresh.referral.eTag ?? null;
    if (current.externalReferenceId === opportunityId)
      return { referral: current, eTag: tag, calls };
  }
}
