import {
  isOpportunityId,
  isSalesforceId,
  OPPORTUNITY_KEY_PREFIX,
  toSalesforceId18,
} from '../../schemas';
import type { ResyncSelection } from '../../sync';
import { EXIT, type ExitCode } from '../exit-codes';
import type { Session } from '../session';
import { UsageError } from '../usage-error';

export interface ResyncOptions {
  all?: boolean;
  since?: string;
  /** false with --no-wait: only queue; the running bridge sends them. */
  wait: boolean;
}

/** Pure: the command line → what to resync, or a UsageError saying how to ask. */
export function resyncSelection(
  opportunityId: string | undefined,
  options: ResyncOptions,
): ResyncSelection {
  const given = [
    opportunityId !== undefined,
    options.all === true,
    options.since !== undefined,
  ].filter(Boolean).length;
  if (given !== 1) {
    throw new UsageError(
      'say what to resync, exactly one of: <opportunityId>, --all, --since <ISO date-time>',
    );
  }
  if (opportunityId !== undefined) {
    if (!isSalesforceId(opportunityId)) {
      throw new UsageError(
        `"${opportunityId}" is not a Salesforce record id (15 or 18 letters and digits)`,
      );
    }
    // An account id resynced "1" with every count 0: nothing said it was the wrong record.
    if (!isOpportunityId(opportunityId)) {
      throw new UsageError(
        `${opportunityId} is not an opportunity id (opportunity ids begin with ${OPPORTUNITY_KEY_PREFIX}): copy the id from the opportunity's URL`,
      );
    }
    // The store and Salesforce's API speak 18 characters; a pasted 15-character id matched nothing.
    return { opportunityId: toSalesforceId18(opportunityId) };
  }
  if (options.since !== undefined) {
    const at = Date.parse(options.since);
    if (Number.isNaN(at))
      throw new UsageError(
        `--since "${options.since}" is not a date-time; use ISO 8601, e.g. 2026-11-30T08:00:00Z`,
      );
    return { since: new Date(at).toISOString() };
  }
  return { all: true };
}

/**
 * R13: push the current Salesforce state of one, some or all synced opportunities again, without
 * the "make a minor edit" workaround. Queues them, then (unless --no-wait) works the queue here,
 * printing progress, so an operator sees the sweep finish.
 */
export async function resyncCommand(
  session: Session,
  opportunityId: string | undefined,
  options: ResyncOptions,
): Promise<ExitCode> {
  const selection = resyncSelection(opportunityId, options);
  const { runtime } = session.bridge();
  const { engine } = runtime;
  await runtime.salesforce.authorize();
  const queued = await engine.resync(selection);
  session.out.note(`resync: queued ${queued} opportunit${queued === 1 ? 'y' : 'ies'}`);
  const totals = { processed: 0, synced: 0, unchanged: 0, skipped: 0, invalid: 0, failed: 0 };
  if (options.wait) {
    for (;;) {
      const batch = await engine.processOutbound();
      if (batch.claimed === 0) break;
      totals.processed += batch.claimed;
      totals.synced += batch.synced;
      totals.unchanged += batch.unchanged;
      totals.skipped += batch.skipped;
      totals.invalid += batch.invalid;
      totals.failed += batch.failed;
      session.out.note(
        `resync: ${Math.min(totals.processed, queued)}/${queued} processed (${totals.synced} synced, ${totals.unchanged} unchanged, ${skippedPart(totals.skipped)}${totals.invalid} invalid, ${totals.failed} failed)`,
      );
    }
    // Audit records (R10) for what was just done reach Salesforce before the command returns.
    while ((await engine.flushAudit()) > 0);
  }
  session.out.json({ selection, queued, waited: options.wait, ...totals });
  session.out.line(
    options.wait
      ? `Resynced ${queued}: ${totals.synced} synced, ${totals.unchanged} unchanged, ${skippedPart(totals.skipped)}${totals.invalid} invalid (see the opportunity's sync message), ${totals.failed} failed (see \`cosell failures list\`).`
      : `Queued ${queued} for the running bridge.`,
  );
  return totals.failed > 0 ? EXIT.failed : EXIT.ok;
}

/**
 * Opportunities not sent at all: deleted, or "Sync with Partner Center" off. Said only when there
 * are some; without it a resync of such a record read "Resynced 1" with every count 0.
 */
function skippedPart(skipped: number): string {
  return skipped > 0 ? `${skipped} skipped (not found, or Sync with Partner Center off), ` : '';
}
