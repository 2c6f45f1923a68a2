/**
 * R4: referral team members that match a Salesforce user by email become the opportunity's owner
 * (first match) and team; the others are returned so the caller records them — never dropped.
 */
import type { ReferralMember } from '../schemas';

export interface SalesforceUserRef {
  id: string;
  email: string | null;
}

export interface TeamMatch {
  /** The user to own a new opportunity: the first team member that is a Salesforce user. */
  ownerId: string | null;
  matched: { member: ReferralMember; userId: string }[];
  unmatched: ReferralMember[];
}

const normaliseEmail = (email: string | null | undefined) => (email ?? '').trim().toLowerCase();

export function matchTeam(
  referralTeam: readonly ReferralMember[] | null | undefined,
  users: readonly SalesforceUserRef[],
): TeamMatch {
  const byEmail = new Map<string, string>();
  for (const user of users) {
    const email = normaliseEmail(user.email);
    // First user wins when two share an email, so the result does not depend on later rows.
    if (email !== '' && !byEmail.has(email)) byEmail.set(email, user.id);
  }
  const matched: TeamMatch['matched'] = [];
  const unmatched: ReferralMember[] = [];
  for (const member of referralTeam ?? []) {
    const userId = byEmail.get(normaliseEmail(member.email));
    if (userId === undefined) unmatched.push(member);
    else matched.push({ member, userId });
  }
  return { ownerId: matched[0]?.userId ?? null, matched, unmatched };
}

/** "Jane Doe <jane@contoso.com>" lines for the audit record of unmatched members. */
export function describeMembers(members: readonly ReferralMember[]): string {
  return members
    .map((m) => {
      const name = [m.firstName, m.lastName].filter(Boolean).join(' ');
      return m.email ? `${name} <${m.email}>`.trim() : name || '(no name or email)';
    })
    .join('; ');
}
