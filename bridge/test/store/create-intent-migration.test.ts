import { MIGRATIONS } from '../../src/store';
import { hasCreateIntent } from '../../src/sync/outbound/ensure-referral';
import { referral } from '../mapping/fixtures';
import { migrationBackends } from './helpers';

/**
 * Migration 6 turns the create intent from the sentinel `payload_hash = 'create-intent'` into its
 * own column. A database written before it must come through without losing a row: an intent
 * stored then is still an intent (the next attempt looks the referral up instead of creating a
 * second one), and every other link keeps all it held.
 */
jest.setTimeout(60_000);

const INTENT_MIGRATION = 6;

const intentAt = '2026-03-02T09:00:00.000Z';
const linkedAt = '2026-03-02T09:05:00.000Z';
const linked = referral({ id: 'r-linked', updatedDateTime: '2026-03-02T09:04:00.1234567Z' });
/** Link rows exactly as the bridge wrote them before migration 6. */
const OLD_ROWS: unknown[][] = [
  // A create intent: the create was sent, its outcome unknown when the process stopped.
  ['006000000000001AAA', null, null, null, null, null, 'create-intent', null, null, intentAt],
  // A linked opportunity (linkOf wrote payload_hash NULL).
  [
    '006000000000002AAA',
    'r-linked',
    'eng-1',
    '"7"',
    linked.updatedDateTime,
    JSON.stringify(linked),
    null,
    'Active',
    'Accepted',
    linkedAt,
  ],
  // An intent cleared after a create that provably never happened.
  ['006000000000003AAA', null, null, null, null, null, null, null, null, intentAt],
];
const INSERT = `INSERT INTO referral_links (opportunity_id, referral_id, engagement_id, etag,
                  updated_date_time, referral, payload_hash, status, substatus, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

const backends = migrationBackends(INTENT_MIGRATION, { sql: INSERT, rows: OLD_ROWS });

describe.each(backends)('$name store: migration 6 (create intent column)', ({ upgrade }) => {
  it('keeps every link; an intent stored before is still one, nothing else becomes one', async () => {
    const { store, applied } = await upgrade();
    // This one and every migration after it.
    expect(applied).toEqual(MIGRATIONS.map((m) => m.version).filter((v) => v >= INTENT_MIGRATION));
    const [intent, link, cleared] = await Promise.all(
      OLD_ROWS.map((row) => store.getLink(row[0] as string)),
    );
    expect(intent).toEqual({
      opportunityId: '006000000000001AAA',
      referralId: null,
      engagementId: null,
      eTag: null,
      updatedDateTime: null,
      referral: null,
      createIntentAt: intentAt,
      status: null,
      substatus: null,
      updatedAt: intentAt,
    });
    expect(hasCreateIntent(intent)).toBe(true);
    expect(link).toEqual({
      opportunityId: '006000000000002AAA',
      referralId: 'r-linked',
      engagementId: 'eng-1',
      eTag: '"7"',
      updatedDateTime: linked.updatedDateTime,
      referral: linked,
      createIntentAt: null,
      status: 'Active',
      substatus: 'Accepted',
      updatedAt: linkedAt,
    });
    expect(await store.getLinkByReferral('r-linked')).toEqual(link);
    expect(hasCreateIntent(link)).toBe(false);
    expect(hasCreateIntent(cleared)).toBe(false);
    // The new column is written and cleared like any other link field.
    await store.saveLink({ opportunityId: '006000000000001AAA', createIntentAt: null });
    expect(hasCreateIntent(await store.getLink('006000000000001AAA'))).toBe(false);
  });
});
