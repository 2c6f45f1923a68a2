import { resolve } from 'node:path';
import type { Connection } from 'jsforce';
import { API_VERSION, connect, connectAs, control, emulatorForFile } from './helpers';

const REPOSITORY_FORCE_APP = resolve(__dirname, '../../../force-app');
const REP = 'rep@cosell.example';
const ADMIN = 'admin@cosell.example';

/** The activity timeline's GraphQL query (coSellActivityTimeline), trimmed to what is checked. */
const TIMELINE_QUERY = `query coSellSyncEvents($recordId: ID) {
  uiapi {
    query {
      Co_Sell_Sync_Event__c(
        where: { Opportunity__c: { eq: $recordId } }
        orderBy: { Occurred_At__c: { order: DESC }, CreatedDate: { order: DESC } }
        first: 50
      ) {
        edges { node { Id Outcome__c { value displayValue } Message__c { value } Referral_Id__c { value } } }
      }
    }
  }
}`;

interface GraphqlAnswer {
  data: {
    uiapi: { query: Record<string, { edges: Array<{ node: Record<string, unknown> }> }> };
  } | null;
  errors: Array<{ message: string }>;
}

/**
 * R10 / issue 14: the audit is private to those who may see the opportunity. Record sharing as
 * the emulator enforces it (Opportunity Private, the events Controlled by Parent, the unlinked
 * events Private and admin-only), through the real clients a seller's session would use: jsforce
 * REST (query, retrieve, update) and the GraphQL API the timeline component calls.
 */
describe('salesforce emulator: record sharing of opportunities and their sync events', () => {
  const emu = emulatorForFile({ forceAppDir: REPOSITORY_FORCE_APP });
  let bridge: Connection;
  let rep: Connection;
  let repId: string;
  let ownDeal: string;
  let otherDeal: string;

  const graphql = async (conn: Connection, query: string, variables: Record<string, unknown>) => {
    const res = await fetch(`${emu.url}/services/data/v${API_VERSION}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${conn.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as GraphqlAnswer;
  };
  const timelineIds = async (conn: Connection, opportunityId: string) => {
    const answer = await graphql(conn, TIMELINE_QUERY, { recordId: opportunityId });
    expect(answer.errors).toEqual([]);
    return answer.data!.uiapi.query.Co_Sell_Sync_Event__c!.edges.map((e) => e.node.Id);
  };
  const seed = async (sobject: string, record: Record<string, unknown>) => {
    const res = await control(emu, 'POST', '/records', { sobject, records: [record], as: ADMIN });
    return (res.body as { ids: string[] }).ids[0]!;
  };
  /** Events as the bridge writes them: as the integration user, through the REST API. */
  const audit = async (sobject: string, fields: Record<string, unknown>) => {
    const saved = await bridge.sobject(sobject).create({
      Direction__c: 'Inbound',
      Outcome__c: 'Success',
      Message__c: 'Applied',
      Api_Calls__c: 1,
      Occurred_At__c: '2030-01-01T00:00:00.000Z',
      ...fields,
    });
    if (!saved.success) throw new Error(JSON.stringify(saved));
    return saved.id;
  };

  beforeEach(async () => {
    bridge = await connect(emu);
    rep = await connectAs(emu, REP);
    const users = (await control(emu, 'GET', '/users')).body as Record<string, { id: string }>;
    repId = users.rep!.id;
    const deal = (name: string, owner?: string) =>
      seed('Opportunity', {
        Name: name,
        StageName: 'Prospecting',
        CloseDate: '2030-06-30',
        ...(owner ? { OwnerId: owner } : {}),
      });
    ownDeal = await deal("Riley's deal", repId);
    otherDeal = await deal("Someone else's deal");
  });

  it("R10: a seller reads the sync events of their own opportunity, not another owner's (REST query and retrieve)", async () => {
    // The bridge (integration user, Modify All on Opportunity) audits deals it does not own.
    const mine = await audit('Co_Sell_Sync_Event__c', { Opportunity__c: ownDeal });
    const theirs = await audit('Co_Sell_Sync_Event__c', {
      Opportunity__c: otherDeal,
      Referral_Id__c: 'ref-secret',
    });

    const seen = await rep.query<{ Id: string }>('SELECT Id FROM Co_Sell_Sync_Event__c');
    expect(seen.records.map((r) => r.Id)).toEqual([mine]);
    const byOpportunity = await rep.query(
      `SELECT Id FROM Co_Sell_Sync_Event__c WHERE Opportunity__c = '${otherDeal}'`,
    );
    expect(byOpportunity.totalSize).toBe(0);
    // Not visible = not found, for the event and for its opportunity.
    await expect(rep.sobject('Co_Sell_Sync_Event__c').retrieve(theirs)).rejects.toMatchObject({
      errorCode: 'NOT_FOUND',
    });
    await expect(rep.sobject('Opportunity').retrieve(otherDeal)).rejects.toMatchObject({
      errorCode: 'NOT_FOUND',
    });
    await expect(rep.sobject('Co_Sell_Sync_Event__c').retrieve(mine)).resolves.toMatchObject({
      Id: mine,
    });
    // The opportunity list is private too; the integration user sees every deal (View All).
    const deals = await rep.query<{ Id: string }>('SELECT Id FROM Opportunity');
    expect(deals.records.map((r) => r.Id)).toEqual([ownDeal]);
    const all = await bridge.query('SELECT Id FROM Co_Sell_Sync_Event__c');
    expect(all.totalSize).toBe(2);
  });

  it("R10: the timeline's GraphQL query returns the seller's own events and nothing of another's deal", async () => {
    const mine = await audit('Co_Sell_Sync_Event__c', { Opportunity__c: ownDeal });
    await audit('Co_Sell_Sync_Event__c', { Opportunity__c: otherDeal });
    expect(await timelineIds(rep, ownDeal)).toEqual([mine]);
    expect(await timelineIds(rep, otherDeal)).toEqual([]);
    const answer = await graphql(rep, TIMELINE_QUERY, { recordId: ownDeal });
    expect(answer.data!.uiapi.query.Co_Sell_Sync_Event__c!.edges[0]!.node).toMatchObject({
      Outcome__c: { value: 'Success', displayValue: 'Success' },
      Message__c: { value: 'Applied' },
    });
    // An administrator (View All Data) sees the other deal's events.
    const admin = await connectAs(emu, ADMIN);
    expect(await timelineIds(admin, otherDeal)).toHaveLength(1);
  });

  it('R10/R12: events about no opportunity are for administrators only', async () => {
    const unlinked = await audit('Co_Sell_Unlinked_Event__c', {
      Outcome__c: 'Ignored',
      Referral_Id__c: 'ref-not-here',
      Message__c: 'CRM ID 006… is not an opportunity in this Salesforce org',
    });
    // A seller has no access to the object at all: not in SOQL, not in their GraphQL schema.
    await expect(rep.query('SELECT Id FROM Co_Sell_Unlinked_Event__c')).rejects.toMatchObject({
      errorCode: 'INVALID_TYPE',
    });
    const denied = await graphql(
      rep,
      'query { uiapi { query { Co_Sell_Unlinked_Event__c { edges { node { Id } } } } } }',
      {},
    );
    expect(denied.data).toBeNull();
    expect(denied.errors[0]?.message).toMatch(
      /FieldUndefined.*'Co_Sell_Unlinked_Event__c' in type 'RecordQuery' is undefined/,
    );
    // Administrators read them (View All Data), and so does whoever holds Co_Sell_Admin (View All).
    const admin = await connectAs(emu, ADMIN);
    const seen = await admin.query<{ Id: string }>('SELECT Id FROM Co_Sell_Unlinked_Event__c');
    expect(seen.records.map((r) => r.Id)).toEqual([unlinked]);
    await control(emu, 'POST', '/permission-sets', {
      permissionSet: 'Co_Sell_Admin',
      assigned: true,
      username: REP,
    });
    const asCoSellAdmin = await rep.query<{ Id: string }>(
      'SELECT Id FROM Co_Sell_Unlinked_Event__c',
    );
    expect(asCoSellAdmin.records.map((r) => r.Id)).toEqual([unlinked]);
  });

  it('follows the Opportunity default: Public Read Only shows every deal and its events, edits stay with the owner', async () => {
    const theirs = await audit('Co_Sell_Sync_Event__c', { Opportunity__c: otherDeal });
    await control(emu, 'POST', '/settings', { sharingModels: { Opportunity: 'Read' } });
    expect(await timelineIds(rep, otherDeal)).toEqual([theirs]);
    await expect(
      rep.sobject('Opportunity').update({ Id: otherDeal, Name: 'Renamed' }),
    ).rejects.toMatchObject({ errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY' });
    await expect(
      rep.sobject('Opportunity').update({ Id: ownDeal, Name: 'Renamed' }),
    ).resolves.toMatchObject({ success: true });
    await control(emu, 'POST', '/settings', { sharingModels: { Opportunity: 'Private' } });
    expect(await timelineIds(rep, otherDeal)).toEqual([]);
  });

  it('a master-detail child needs access to its master: a seller cannot attach to a deal they cannot see', async () => {
    // Co_Sell_Solution__c (Controlled by Parent): linking a solution needs Read/Write on the deal.
    const solution = await seed('Microsoft_Solution__c', {
      Name: 'Azure Migrate',
      Solution_Id__c: 'SOL-1',
    });
    await expect(
      rep
        .sobject('Co_Sell_Solution__c')
        .create({ Opportunity__c: otherDeal, Microsoft_Solution__c: solution }),
    ).rejects.toMatchObject({ errorCode: 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY' });
    await expect(
      rep
        .sobject('Co_Sell_Solution__c')
        .create({ Opportunity__c: ownDeal, Microsoft_Solution__c: solution }),
    ).resolves.toMatchObject({ success: true });
  });
});
