/**
 * Referrals Microsoft sent expire unanswered: Partner Center closes an incoming referral as
 * Closed/Expired 14 days after it was sent (its `expirationDateTime`). The sweep finds those that
 * still wait for an answer within BRIDGE_EXPIRY_WARNING_HOURS of that moment, flags them on the
 * opportunity (Partner_Center_Expires_Soon__c, what the record page and list views show) and
 * audits it with the news for the owner (told by the audit outbox like all news). Idempotent: a
 * flagged opportunity is not found again, and the flag goes once the referral is answered
 * (mapping/write-back.ts answeredFields).
 */
import type { Logger } from 'pino';
import type { OwnerNotificationClient, SalesforceWriter } from '../salesforce';
import type { StateStore } from '../store';

/** Opportunities flagged per run; the next run takes the rest. */
const SWEEP_LIMIT = 200;

export interface ExpirySweepResult {
  flagged: number;
}

export function createExpirySweep(deps: {
  client: Pick<OwnerNotificationClient, 'findExpiring'>;
  writer: Pick<SalesforceWriter, 'writeBack'>;
  store: Pick<StateStore, 'enqueueAudits'>;
  warningHours: number;
  now: () => Date;
  logger: Logger;
}): () => Promise<ExpirySweepResult> {
  return async () => {
    const now = deps.now();
    const before = new Date(now.getTime() + deps.warningHours * 3_600_000);
    const due = await deps.client.findExpiring(before, SWEEP_LIMIT);
    if (due.length === 0) return { flagged: 0 };
    const results = await deps.writer.writeBack(
      due.map((o) => ({ id: o.id, fields: { Partner_Center_Expires_Soon__c: true } })),
    );
    const flagged = due.filter((_, index) => results[index]?.success);
    // One transaction (one disk sync) for the batch. A crash between the flag write and this
    // commit leaves those flags without news (the sweep does not find them again): a window of
    // one store write, accepted rather than auditing a flag before Salesforce has it.
    await deps.store.enqueueAudits(
      flagged.map((o) => ({
        opportunityId: o.id,
        direction: 'Inbound' as const,
        outcome: 'Success' as const,
        message: `Referral from Microsoft still unanswered; it expires ${o.expiration ?? 'soon'}: flagged Partner Center Expires Soon`,
        referralId: null,
        apiCalls: 0,
        occurredAt: now.toISOString(),
        news: 'expiring' as const,
      })),
    );
    deps.logger.info(
      { event: 'sync.expiry_flagged', flagged: flagged.length },
      `flagged ${flagged.length} referral(s) close to expiry`,
    );
    return { flagged: flagged.length };
  };
}
