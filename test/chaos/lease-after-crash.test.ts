/**
 * What the chaos suite found first, pinned down small: a process that claimed queue work and was
 * SIGKILLed must not block that work for the rest of its 5-minute lease. A restarted bridge on the
 * same database file claims it at once; a claim held by a LIVE process is still respected.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../bridge/src/store';
import { ChildService, REPO_ROOT } from '../support';

const CLAIMER = `
const { SqliteStore } = require('./bridge/src/store');
(async () => {
  const store = new SqliteStore(process.argv[1]);
  const jobs = await store.claimOutbound(10);
  const audits = await store.takeAuditBatch(10);
  console.log('claimed ' + jobs.length + ' jobs and ' + audits.length + ' audit events');
  setInterval(() => {}, 1000); // hold the claims until killed
})();
`;

describe('claims of a crashed process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cosell-lease-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('R13/R10: work and audit events taken by a SIGKILLed process come back at once; a live claim is respected', async () => {
    const file = join(dir, 'bridge.sqlite');
    const store = new SqliteStore(file);
    await store.enqueueOutbound([
      { opportunityId: '006000000000001AAA', reason: 'chaos', notBefore: new Date(0) },
      { opportunityId: '006000000000002AAA', reason: 'chaos', notBefore: new Date(0) },
    ]);
    await store.enqueueAudit({
      opportunityId: '006000000000001AAA',
      direction: 'Outbound',
      outcome: 'Success',
      message: 'Created referral',
      referralId: null,
      apiCalls: 1,
      occurredAt: new Date().toISOString(),
    });
    const claimer = new ChildService({
      name: 'claimer',
      args: ['--import', 'tsx', '-e', CLAIMER, file],
      env: process.env,
      cwd: REPO_ROOT,
    });
    try {
      await claimer.waitForLine(/claimed 2 jobs and 1 audit events/);
      // Alive: its leases hold.
      expect(await store.claimOutbound(10)).toEqual([]);
      expect(await store.takeAuditBatch(10)).toEqual([]);
      await claimer.kill();
      // Dead: the same jobs come back without waiting for the lease to run out.
      const reclaimed = await store.claimOutbound(10);
      expect(reclaimed.map((j) => j.opportunityId).sort()).toEqual([
        '006000000000001AAA',
        '006000000000002AAA',
      ]);
      expect(reclaimed.every((j) => j.attempts === 1)).toBe(true);
      // The audit event the dead process took is written by the next flush, not in 5 minutes.
      expect((await store.takeAuditBatch(10)).map((a) => a.event.message)).toEqual([
        'Created referral',
      ]);
    } finally {
      await claimer.kill();
      await store.close();
    }
  });
});
