// Change Data Capture ignores sharing, so Salesforce guards it with permissions ("Required
// Permissions for Change Event Subscribers"): an entity's channel needs View All Records on the
// object (or View All Data) when subscribing; /data/ChangeEvents takes anyone and delivers only
// the entities the user may view all of.
import type { Connection } from 'jsforce';
import { connect, control, emulatorForFile, seedDeal, waitFor } from './helpers';
import { handshakeByHand, subscribe, type Subscriber } from './streaming-helpers';

const OPP = '/data/OpportunityChangeEvent';
const JUNCTION = '/data/Co_Sell_Solution__ChangeEvent';

describe('salesforce emulator: CDC subscription permissions', () => {
  const emu = emulatorForFile({ cometdTimeoutMs: 1000 });
  let conn: Connection;
  const open: Subscriber[] = [];
  const sub = (channel: string) => {
    const s = subscribe(conn, channel);
    open.push(s);
    return s;
  };
  const integrationSet = (assigned: boolean) =>
    control(emu, 'POST', '/permission-sets', {
      permissionSet: 'Co_Sell_Bridge_Integration',
      assigned,
    });

  beforeEach(async () => {
    conn = await connect(emu);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    // faye's disconnect is a request of its own: let it finish before the emulator stops.
    await waitFor(async () => {
      const { body } = await control(emu, 'GET', '/events');
      return (body as { cometdClients: number }).cometdClients === 0 ? true : undefined;
    }, 'the faye clients to disconnect');
  });

  it('R2: the integration permission set (View All Records on Opportunity and the junction) lets the bridge subscribe to both channels', async () => {
    const opp = sub(OPP);
    const junction = sub(JUNCTION);
    await Promise.all([opp.ready, junction.ready]);
    const { opportunityId } = await seedDeal(conn);
    await waitFor(
      () =>
        opp.events.some((e) => e.payload.ChangeEventHeader.recordIds.includes(opportunityId))
          ? true
          : undefined,
      'the CREATE event',
    );
  });

  it('R2: without View All Records the subscribe to an entity channel is refused with 403', async () => {
    await integrationSet(false);
    const { clientId, post } = await handshakeByHand(emu, conn.accessToken!);
    const res = await post([{ channel: '/meta/subscribe', clientId, subscription: OPP, id: '2' }]);
    expect(await res.json()).toEqual([
      expect.objectContaining({
        channel: '/meta/subscribe',
        subscription: OPP,
        successful: false,
        error: '403:denied_by_security_policy:create_denied',
      }),
    ]);
    await post([{ channel: '/meta/disconnect', clientId, id: '3' }]);
  });

  it('/data/ChangeEvents accepts a user without the permission and checks it on each delivery', async () => {
    await integrationSet(false);
    const all = sub('/data/ChangeEvents');
    await all.ready;
    const hidden = await seedDeal(conn, 'Hidden');
    await integrationSet(true);
    const shown = await seedDeal(conn, 'Shown');
    const ids = () => all.events.flatMap((e) => e.payload.ChangeEventHeader.recordIds);
    await waitFor(() => (ids().includes(shown.opportunityId) ? true : undefined), 'the event');
    expect(ids()).not.toContain(hidden.opportunityId);
  });
});
