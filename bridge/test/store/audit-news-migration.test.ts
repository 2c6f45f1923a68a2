import { MIGRATIONS } from '../../src/store';
import { migrationBackends } from './helpers';

/**
 * Migration 7 adds the news an audit event carries for the opportunity's owner (issue 19).
 * Events an older bridge queued carry no tag: those still waiting in the outbox are classified
 * once, by the wording that bridge wrote, so an upgrade in the middle of a Salesforce outage
 * loses no owner notification. Written events (already notified) and the rest stay without.
 */
jest.setTimeout(60_000);

const NEWS_MIGRATION = 7;
const OPP = '006000000000001AAA';
const AT = '2026-12-05T06:00:00.000Z';

const row = (
  direction: string,
  outcome: string,
  message: string,
  writtenAt: string | null = null,
  opportunityId: string | null = OPP,
) => [direction, outcome, message, opportunityId, 'r-1', 1, AT, AT, writtenAt];

const OLD_ROWS = [
  row(
    'Inbound',
    'Success',
    `Opportunity ${OPP} created or linked for referral r-1; CRM ID written back to Partner Center`,
  ),
  row(
    'Inbound',
    'Success',
    'Applied referral r-1: Partner_Center_Status__c, Partner_Center_Substatus__c',
  ),
  row('Outbound', 'Error', 'Enter an Amount greater than 0.'),
  row('Inbound', 'Success', 'Applied referral r-1: Amount'),
  row('Outbound', 'Success', 'Updated referral r-1'),
  // Written before the upgrade: the older bridge told the owner already.
  row('Outbound', 'Error', 'Add a co-sell solution.', AT),
  // About no opportunity: nobody to tell.
  row('Outbound', 'Error', 'Opportunity not found', null, null),
];
const INSERT = `INSERT INTO audit_events (direction, outcome, message, opportunity_id, referral_id,
                  api_calls, occurred_at, recorded_at, written_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;

const backends = migrationBackends(NEWS_MIGRATION, { sql: INSERT, rows: OLD_ROWS });

describe.each(backends)('$name store: migration 7 (audit news)', ({ upgrade }) => {
  it('R10: an event queued by an older bridge keeps its news; the rest carry none', async () => {
    const { store, applied } = await upgrade();
    expect(applied).toEqual(MIGRATIONS.map((m) => m.version).filter((v) => v >= NEWS_MIGRATION));
    const journal = [...(await store.journal(OPP)), ...(await store.journal('r-1'))];
    const newsOf = (message: string) => journal.find((e) => e.message === message)?.news;
    expect(OLD_ROWS.map((r) => newsOf(r[2] as string))).toEqual([
      'new-referral',
      'status',
      'sync-error',
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    // Once written they are told like news this bridge queued (migration 8 leaves them due).
    await store.markAuditWritten((await store.takeAuditBatch(10)).map((b) => b.id));
    expect((await store.takeNewsBatch(10)).map((n) => n.event.news)).toEqual([
      'new-referral',
      'status',
      'sync-error',
    ]);
  });
});
