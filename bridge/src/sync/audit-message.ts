/**
 * The audit trail (Co_Sell_Sync_Event__c.Message__c and the journal) says what was done AND what
 * mapping could not carry over as is (warnings: a team member who is not a Salesforce user, a
 * value that was truncated or converted). Dropping the warnings would leave the operator no
 * trace of them, so every audited outcome goes through this one helper.
 */
import type { Warning } from '../mapping';

/** Co_Sell_Sync_Event__c.Message__c is a 32,768-character long text area. */
export const AUDIT_MESSAGE_MAX_LENGTH = 32_768;

/** `message`, then one line per distinct warning; cut with an ellipsis to fit Message__c. */
export function withWarnings(message: string, warnings: readonly Warning[]): string {
  const lines = [...new Set(warnings.map((w) => w.message.trim()).filter(Boolean))];
  const full = lines.length === 0 ? message : [message, 'Warnings:', ...lines].join('\n');
  return full.length > AUDIT_MESSAGE_MAX_LENGTH
    ? `${full.slice(0, AUDIT_MESSAGE_MAX_LENGTH - 1)}…`
    : full;
}
