/**
 * The audit outbox's last step (R10): buffered audit events go to Salesforce's
 * Co_Sell_Sync_Event__c in leased batches. A batch that fails stays leased and is retried when the
 * lease expires; a record Salesforce will never accept stays in the local journal only. Then the
 * news written events carry for their owners is told (`tellNews`, owner-notifier.ts).
 */
import type { Logger } from 'pino';
import { describeError } from '../errors';
import type { SalesforceWriter } from '../salesforce';
import type { StateStore } from '../store';

export function createAuditFlush(deps: {
  store: Pick<StateStore, 'takeAuditBatch' | 'markAuditWritten'>;
  writer: Pick<SalesforceWriter, 'writeAuditEvents'>;
  logger: Logger;
  now: () => Date;
  batchSize: number;
  /** A batch was answered by Salesforce: how many of its events are done with. */
  onWritten?: (done: number) => void;
  /** The notification stage: tells due news, returns how many items it settled. */
  tellNews?: () => Promise<number>;
}) {
  const { store, logger: log, now } = deps;
  /** One audit batch, then one batch of news; returns how many items are done with. */
  return async function flushAudit(): Promise<number> {
    const written = await writeBatch();
    return written + ((await deps.tellNews?.()) ?? 0);
  };

  /** Writes one batch; returns how many events are done with (written or refused for good). */
  async function writeBatch(): Promise<number> {
    const batch = await store.takeAuditBatch(deps.batchSize, now());
    if (batch.length === 0) return 0;
    let results;
    try {
      results = await deps.writer.writeAuditEvents(batch.map((b) => b.event));
    } catch (error) {
      // Left leased; the lease expires and the next flush retries the same events.
      log.warn(
        { event: 'sync.audit_write_failed', err: describeError(error) },
        'audit write to Salesforce failed',
      );
      return 0;
    }
    const done: number[] = [];
    batch.forEach((item, index) => {
      const result = results[index];
      if (result?.success) done.push(item.id);
      else if (result && !(result.failure && result.failure.name === 'TransientError')) {
        // A record Salesforce will never accept (e.g. its opportunity was deleted) stays in the
        // local journal only; retrying it forever would block nothing but waste calls.
        log.warn(
          { event: 'sync.audit_rejected', error: result.error },
          'audit event rejected by Salesforce',
        );
        done.push(item.id);
      }
    });
    await store.markAuditWritten(done, now());
    deps.onWritten?.(done.length);
    return done.length;
  }
}
