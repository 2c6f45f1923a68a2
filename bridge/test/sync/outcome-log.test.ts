import { inboundOutcomeLine, outboundOutcomeLine } from '../../src/sync/outcome-log';

const OPP = '006000000000001AAA';
const REF = '7c3b1d2e-0000-4000-8000-000000000001';

describe('one log line per sync outcome (what an operator follows at info level)', () => {
  it('outbound: created / updated at info with the calls used; failures at warn with what happens next', () => {
    expect(
      outboundOutcomeLine(OPP, {
        kind: 'synced',
        message: `Created referral ${REF}`,
        apiCalls: 2,
        referralId: REF,
      }),
    ).toEqual({
      level: 'info',
      fields: { event: 'sync.outbound.synced', opportunityId: OPP, referralId: REF, apiCalls: 2 },
      msg: `created referral ${REF} for opportunity ${OPP} (2 calls): Created referral ${REF}`,
    });
    expect(
      outboundOutcomeLine(OPP, {
        kind: 'synced',
        message: `Updated referral ${REF}: /details/dealValue`,
        apiCalls: 1,
        referralId: REF,
      }).msg,
    ).toBe(
      `updated referral ${REF} for opportunity ${OPP} (1 call): Updated referral ${REF}: /details/dealValue`,
    );
    const failed = outboundOutcomeLine(OPP, {
      kind: 'failed',
      decision: { kind: 'retry', message: 'Partner Center did not answer create referral' },
      referralId: null,
      apiCalls: 0,
    });
    expect(failed.level).toBe('warn');
    expect(failed.msg).toBe(
      `failed to sync opportunity ${OPP} (0 calls; will retry): Partner Center did not answer create referral`,
    );
    expect(outboundOutcomeLine(OPP, { kind: 'unchanged', referralId: REF }).level).toBe('debug');
  });

  it('inbound: applied / created / ignored at info, stale echoes at debug', () => {
    expect(
      inboundOutcomeLine(REF, {
        kind: 'applied',
        opportunityId: OPP,
        message: 'Applied status Accepted',
        apiCalls: 1,
      }),
    ).toMatchObject({
      level: 'info',
      msg: `applied referral ${REF} to opportunity ${OPP} (1 call): Applied status Accepted`,
    });
    expect(
      inboundOutcomeLine(REF, {
        kind: 'created',
        opportunityId: OPP,
        message: 'Created opportunity',
        apiCalls: 1,
      }).msg,
    ).toBe(`created opportunity ${OPP} from referral ${REF} (1 call): Created opportunity`);
    expect(
      inboundOutcomeLine(REF, {
        kind: 'ignored',
        opportunityId: null,
        message: 'not a co-sell referral',
        apiCalls: 0,
      }),
    ).toMatchObject({
      level: 'info',
      msg: `ignored referral ${REF} (0 calls): not a co-sell referral`,
    });
    expect(inboundOutcomeLine(REF, { kind: 'stale', apiCalls: 0 }).level).toBe('debug');
  });
});
