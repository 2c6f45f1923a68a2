/**
 * The running bridge's housekeeping against a real SQLite store: the heartbeat `cosell status`
 * reads, and the store retention (prune) on its schedule.
 */
import pino from 'pino';
import { startMaintenance } from '../../src/runtime';
import type { AuditEvent } from '../../src/schemas';
import { THIS_PROCESS } from '../../src/store';
import { waitForValue } from '../../../test/support/wait-for';
import { memoryStore } from '../store/helpers';

const silent = pino({ level: 'silent' });
const DAY = 24 * 3600_000;

/** test/support's deadline polling until `check` says yes. */
async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 5_000) {
  await waitForValue(check, (done) => done, { description: what, timeoutMs, intervalMs: 20 });
}

const audit = (message: string, occurredAt: Date): AuditEvent => ({
  opportunityId: '006000000000001AAA',
  referralId: null,
  direction: 'Outbound',
  outcome: 'Success',
  message,
  apiCalls: 1,
  occurredAt: occurredAt.toISOString(),
});

describe('startMaintenance', () => {
  it('beats while running (this pid and host), beats again on schedule, and removes its row on stop', async () => {
    const store = memoryStore();
    const maintenance = startMaintenance({
      store,
      logger: silent,
      journalRetentionDays: 400,
      heartbeatIntervalMs: 30,
    });
    await waitFor('the first beat', async () => (await store.heartbeats()).length === 1);
    const [first] = await store.heartbeats();
    expect(first).toMatchObject({
      owner: THIS_PROCESS.owner,
      host: THIS_PROCESS.host,
      pid: process.pid,
    });
    await waitFor('a later beat', async () => {
      const [latest] = await store.heartbeats();
      return latest !== undefined && latest.beatAt > first!.beatAt;
    });
    await maintenance.stop();
    expect(await store.heartbeats()).toEqual([]);
    await store.close();
  });

  it('prunes at start with BRIDGE_JOURNAL_RETENTION_DAYS, and again on its schedule', async () => {
    let now = new Date('2026-11-30T10:00:00.000Z');
    const store = memoryStore({ now: () => now });
    const old = new Date(now.getTime() - 11 * DAY);
    await store.enqueueAudits([audit('old, written', old), audit('old, not written yet', old)]);
    const [written] = await store.takeAuditBatch(1);
    await store.markAuditWritten([written!.id]);
    const maintenance = startMaintenance({
      store,
      logger: silent,
      journalRetentionDays: 10,
      pruneIntervalMs: 30,
      now: () => now,
    });
    const messages = async () => (await store.journal('006000000000001AAA')).map((e) => e.message);
    // Past the 10-day retention and written: gone. Not yet written to Salesforce: kept.
    await waitFor('the start-up prune', async () => (await messages()).length === 1);
    expect(await messages()).toEqual(['old, not written yet']);

    // Written now, and 11 days later the scheduled run removes it too.
    const [rest] = await store.takeAuditBatch(1);
    await store.markAuditWritten([rest!.id]);
    now = new Date(now.getTime() + 11 * DAY);
    await waitFor('the scheduled prune', async () => (await messages()).length === 0);
    await maintenance.stop();
    await store.close();
  });
});
