import { MIGRATIONS } from '../../src/store';
import { referral } from '../mapping/fixtures';
import { migrationBackends } from './helpers';

/**
 * Migration 5 gives inbox rows a typed source. A database written before it (catch-up results
 * stored as fake 'catch-up' webhook events) must come through without losing a row: pending work
 * of both kinds is claimed as what it was, and the dedupe memory still recognises redeliveries.
 */
jest.setTimeout(60_000);

const SOURCE_MIGRATION = 5;

const at = '2026-03-02T09:00:00.000Z';
const listed = referral({ id: 'r-listed', updatedDateTime: '2026-03-02T08:59:00.1234567Z' });
const webhookBody = JSON.stringify({
  EventName: 'referral-updated',
  ResourceUri: 'https://api.partnercenter.microsoft.com/engagements/v1/referrals/r-hook',
  ResourceChangeUtcDate: '2026-03-02T08:58:00Z',
});
/** Inbound rows exactly as the bridge wrote them before migration 5. */
const OLD_ROWS: [key: string, referralId: string, reason: string, body: string, state: string][] = [
  [
    'referral-updated|r-hook|2026-03-02T08:58:00Z',
    'r-hook',
    'referral-updated',
    webhookBody,
    'pending',
  ],
  [
    `catch-up|r-listed|${listed.updatedDateTime}`,
    'r-listed',
    'catch-up',
    JSON.stringify(listed),
    'pending',
  ],
  ['referral-created|r-done|2026-03-01T00:00:00Z', 'r-done', 'referral-created', '{}', 'done'],
];
const INSERT = `INSERT INTO jobs (queue, job_key, subject_id, reason, resource_change_utc, body, state,
                  not_before, first_requested_at, last_requested_at, updated_at)
                VALUES ('inbound', ?, ?, ?, NULL, ?, ?, '${at}', '${at}', '${at}', '${at}')`;

const backends = migrationBackends(SOURCE_MIGRATION, { sql: INSERT, rows: OLD_ROWS });

describe.each(backends)('$name store: migration 5 (inbox source)', ({ upgrade }) => {
  it('R13: pending webhook and catch-up rows are claimed as what they were, nothing lost', async () => {
    const { store, applied } = await upgrade();
    // This one and every migration after it.
    expect(applied).toEqual(MIGRATIONS.map((m) => m.version).filter((v) => v >= SOURCE_MIGRATION));
    const claimed = await store.claimInbox(10, new Date('2026-03-02T10:00:00Z'));
    expect(claimed).toHaveLength(2);
    const hook = claimed.find((item) => item.referralId === 'r-hook');
    const catchUp = claimed.find((item) => item.referralId === 'r-listed');
    expect(hook).toMatchObject({
      source: 'webhook',
      eventName: 'referral-updated',
      body: webhookBody,
    });
    expect(catchUp).toMatchObject({ source: 'catch-up', referral: listed });
    // The dedupe memory survives: both a finished and a pending delivery are still known.
    for (const [key, referralId] of [OLD_ROWS[2]!, OLD_ROWS[0]!]) {
      expect(
        await store.recordDelivery({
          source: 'webhook',
          dedupeKey: key,
          referralId,
          eventName: 'referral-updated',
          resourceChangeUtc: null,
          receivedAt: new Date(),
          body: '{}',
        }),
      ).toBe(false);
    }
  });
});
