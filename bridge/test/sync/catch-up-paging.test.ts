import pino from 'pino';
import { openStore } from '../../src/store';
import { createPartnerCenterCatchUp, PARTNER_CENTER_WATERMARK } from '../../src/sync/reconcile';
import { harnessForFile, newReferral } from '../partner-center/emulator-harness';

// 1,000 referrals are seeded over HTTP on a shared machine.
jest.setTimeout(60_000);

const SHARED = 1_000;

/**
 * R13: the Partner Center catch-up lists with the real referrals client against the emulator at
 * its default (server-chosen) page size. `$top` is a total there, so a client that used it as a
 * page size saw one page per pass, and a pass whose page held only referrals with the same
 * `updatedDateTime` as the watermark never moved on. Without `$top` one pass follows every
 * `@odata.nextLink` to the end.
 */
describe('Partner Center catch-up paging', () => {
  const h = harnessForFile({ pageSize: 100 });

  it(`R13: finishes when ${SHARED} referrals share one updatedDateTime, and again from that watermark`, async () => {
    const at = new Date(Date.now() - 60_000).toISOString();
    const body = { ...newReferral('unused'), externalReferenceId: undefined };
    for (let i = 0; i < SHARED; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, SHARED - i) }, (_, k) =>
          h.control('POST', `/microsoft/referrals?at=${encodeURIComponent(at)}`, {
            ...body,
            name: `Shared time ${i + k}`,
          }),
        ),
      );
    }
    const store = openStore('sqlite::memory:');
    const catchUp = createPartnerCenterCatchUp({
      store,
      referrals: h.referrals(),
      now: () => new Date(),
      logger: pino({ level: 'silent' }),
      initialLookbackMs: 10 * 60_000,
      saveEvery: 100,
    });

    h.calls.length = 0;
    const first = await catchUp();
    expect(first).toMatchObject({ listed: SHARED, queued: SHARED });
    // Every referral carries the one shared time, written with seven fractional digits.
    expect(first.watermark).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
    expect(Date.parse(first.watermark ?? '')).toBe(Date.parse(at));
    expect(await store.getWatermark(PARTNER_CENTER_WATERMARK)).toBe(first.watermark);
    // Ten pages of the server's 100, and no request named $top.
    expect(h.calls.filter((c) => c.api === 'referrals')).toHaveLength(SHARED / 100);
    expect(h.requests().filter((url) => url.includes('$top'))).toEqual([]);

    // From a watermark equal to every referral's time (`ge`), the next pass lists them all
    // again, queues nothing new, and ends.
    const second = await catchUp();
    expect(second).toMatchObject({ listed: SHARED, queued: 0, watermark: first.watermark });
    await store.close();
  });
});
