/**
 * What pure mapping returns instead of throwing: problems the seller or operator must fix (the
 * sync stops for that record, status Error) and warnings (the sync goes on, the audit says why
 * something was not sent as is). Each problem carries the exact fix so it can be shown verbatim in
 * Partner_Center_Sync_Message__c.
 */

export type ProblemCode =
  | 'name-missing'
  | 'account-missing'
  | 'account-name-missing'
  | 'country-missing'
  | 'country-invalid'
  | 'solution-missing'
  | 'help-code-invalid'
  | 'contact-missing'
  | 'contact-email-missing'
  | 'amount-missing'
  | 'amount-invalid'
  | 'close-date-missing'
  | 'close-date-invalid'
  | 'currency-missing'
  | 'currency-invalid'
  | 'currency-conversion-unavailable'
  | 'illegal-transition'
  | 'decline-reason-missing';

export interface Problem {
  code: ProblemCode;
  /** Salesforce field (Object.Field) or related list the seller must change. */
  field: string;
  /** What is wrong, in the seller's words. */
  message: string;
  /** Exactly what to do about it. */
  fix: string;
}

export type WarningCode =
  | 'truncated'
  | 'visibility-downgrade-ignored'
  | 'help-withdrawal-ignored'
  | 'deal-value-not-applied'
  | 'invalid-inbound-value'
  | 'team-member-unmatched'
  | 'currency-converted'
  | 'close-date-past'
  | 'referral-closed'
  | 'unmapped-value';

export interface Warning {
  code: WarningCode;
  field: string;
  message: string;
}

export type MappingResult<T> =
  | { ok: true; value: T; warnings: Warning[] }
  | { ok: false; problems: Problem[]; warnings: Warning[] };

/** One line per problem, for Partner_Center_Sync_Message__c and the audit event. */
export function describeProblems(problems: readonly Problem[]): string {
  return problems.map((p) => `${p.message} Fix: ${p.fix}`).join('\n');
}
