import { referralBody, startHarness, type Harness, type Json } from './helpers';

interface Page {
  '@odata.context': string;
  '@odata.count': number;
  '@odata.nextLink'?: string;
  value: Json[];
}

describe('Partner Center emulator: list referrals with OData', () => {
  let pc: Harness;
  let token: string;
  const created: Json[] = [];

  beforeAll(async () => {
    pc = await startHarness();
    token = await pc.userToken();
    for (let i = 0; i < 7; i += 1) {
      const res = await pc.api('POST', '/v1.0/engagements/referrals', {
        token,
        body: referralBody({ externalReferenceId: `006ABC${i}`, name: `Deal ${i}` }),
      });
      created.push((await res.json()) as Json);
    }
    // An incoming referral from Microsoft with a sales team member.
    const incoming = await pc.control('POST', '/microsoft/referrals', {
      ...referralBody({ externalReferenceId: undefined, name: 'From Microsoft' }),
      team: [{ firstName: 'Mia', lastName: 'Soft', email: 'mia@microsoft.example' }],
    });
    created.push((await incoming.json()) as Json);
  });
  afterAll(() => pc.stop());

  const list = async (query: string): Promise<Page> => {
    const res = await pc.api('GET', `/v1.0/engagements/referrals${query}`, { token });
    expect(res.status).toBe(200);
    return (await res.json()) as Page;
  };
  const q = (params: Record<string, string>) => `?${new URLSearchParams(params).toString()}`;

  it('returns an OData page with context, count and value', async () => {
    const page = await list('');
    expect(page['@odata.context']).toContain('$metadata#Referrals');
    expect(page['@odata.count']).toBe(8);
    expect(page.value.map((r) => r.id)).toEqual(created.map((r) => r.id));
  });

  it('filters on externalReferenceId, status, substatus, direction and engagementId', async () => {
    const byExternal = await list(q({ $filter: "externalReferenceId eq '006ABC3'" }));
    expect(byExternal.value.map((r) => r.name)).toEqual(['Deal 3']);
    const incoming = await list(
      q({ $filter: "direction eq 'Incoming' and status eq 'New' and substatus eq 'Pending'" }),
    );
    expect(incoming.value.map((r) => r.name)).toEqual(['From Microsoft']);
    const active = await list(q({ $filter: "status eq 'Active'" }));
    expect(active['@odata.count']).toBe(7);
    const engagement = String(created[2]?.engagementId);
    const byEngagement = await list(q({ $filter: `engagementId eq '${engagement}'` }));
    expect(byEngagement.value.map((r) => r.id)).toEqual([created[2]?.id]);
    const notActive = await list(
      q({ $filter: "not (status eq 'Active') or externalReferenceId eq '006ABC0'" }),
    );
    expect(notActive.value.map((r) => r.name)).toEqual(['Deal 0', 'From Microsoft']);
  });

  it('filters on updatedDateTime with unquoted and quoted date-time literals', async () => {
    const pivot = String(created[4]?.updatedDateTime);
    const after = await list(q({ $filter: `updatedDateTime gt ${pivot}` }));
    expect(after.value.map((r) => r.name)).toEqual(['Deal 5', 'Deal 6', 'From Microsoft']);
    const quoted = await list(q({ $filter: `updatedDateTime ge '${pivot}'` }));
    expect(quoted['@odata.count']).toBe(4);
  });

  it('filters with lambdas and nested paths as the documentation shows', async () => {
    const team = await list(q({ $filter: "team/any(t:t/email eq 'mia@microsoft.example')" }));
    expect(team.value.map((r) => r.name)).toEqual(['From Microsoft']);
    const country = await list(
      q({ $filter: "customerProfile/address/country eq 'US' and direction eq 'Outgoing'" }),
    );
    expect(country['@odata.count']).toBe(7);
  });

  it('orders by createdDateTime or updatedDateTime, descending on request', async () => {
    const desc = await list(q({ $orderby: 'createdDateTime desc' }));
    expect(desc.value.map((r) => r.id)).toEqual([...created].reverse().map((r) => r.id));
    const asc = await list(q({ $orderby: 'updatedDateTime asc' }));
    expect(asc.value.map((r) => r.id)).toEqual(created.map((r) => r.id));
  });

  it('takes $top as the total to retrieve (no next link past it) and $skip as an offset', async () => {
    const url = `${pc.url}/v1.0/engagements/referrals?$top=3&$orderby=createdDateTime%20desc&$filter=${encodeURIComponent("status ne 'Closed'")}`;
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const page = (await res.json()) as Page;
    expect(page.value.map((r) => r.id)).toEqual(
      [...created]
        .reverse()
        .slice(0, 3)
        .map((r) => r.id),
    );
    expect(page['@odata.nextLink']).toBeUndefined();
    const skipped = await list(q({ $skip: '2', $top: '2', $orderby: 'createdDateTime asc' }));
    expect(skipped.value.map((r) => r.id)).toEqual(created.slice(2, 4).map((r) => r.id));
  });

  it('projects with $select', async () => {
    const page = await list(q({ $select: 'id,status', $top: '1' }));
    expect(Object.keys(page.value[0] ?? {}).sort()).toEqual(['id', 'status']);
  });

  it.each([
    ['a broken $filter', { $filter: "status eq 'Active" }],
    ['an unknown operator', { $filter: "status like 'A'" }],
    ['an unsupported $orderby', { $orderby: 'name' }],
    ['a bad $top', { $top: '-1' }],
    ['a forged $skiptoken', { $skiptoken: 'zzz' }],
  ])('answers 400 for %s', async (_name, params) => {
    const res = await pc.api('GET', `/v1.0/engagements/referrals${q(params)}`, { token });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('badRequest');
  });
});
