import { harnessForFile, referralBody, type Json } from './helpers';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('Partner Center emulator: create and get referrals', () => {
  const pc = harnessForFile();
  let token: string;
  beforeEach(async () => {
    token = await pc.userToken();
  });

  const create = (body: unknown) => pc.api('POST', '/v1.0/engagements/referrals', { token, body });
  const errorOf = async (res: Response) =>
    (
      (await res.json()) as {
        error: {
          code: string;
          message: string;
          target: string;
          details: Array<{ target: string; message: string }>;
        };
      }
    ).error;

  it('creates an outgoing referral as Active/Accepted with server-owned fields', async () => {
    const body = referralBody({ id: 'client-chosen', eTag: '"x"' });
    const res = await create(body);
    expect(res.status).toBe(200);
    const referral = (await res.json()) as Json;
    expect(referral.id).toMatch(GUID);
    expect(referral.id).not.toBe('client-chosen');
    expect(referral.engagementId).toMatch(GUID);
    expect(referral.eTag).toMatch(/^".+"$/);
    expect(res.headers.get('etag')).toBeNull();
    expect(referral).toMatchObject({
      status: 'Active',
      substatus: 'Accepted',
      direction: 'Outgoing',
      externalReferenceId: body.externalReferenceId,
      name: 'Contoso Test Deal',
      details: { dealValue: 50000, currency: 'USD' },
    });
    expect(referral.acceptedDateTime).toBe(referral.createdDateTime);
    expect(Date.parse(String(referral.createdDateTime))).not.toBeNaN();
    expect((referral.links as { self: { uri: string } }).self.uri).toBe(
      `${pc.url}/v1.0/engagements/referrals/${String(referral.id)}`,
    );

    const got = await pc.api('GET', `/v1.0/engagements/referrals/${String(referral.id)}`, {
      token,
    });
    expect(got.status).toBe(200);
    expect(await got.json()).toEqual({
      '@odata.context': `${pc.url}/v1.0/engagements/$metadata#Referrals/$entity`,
      ...referral,
    });
  });

  it('binds property names case-insensitively, as the documented PascalCase consent sample needs', async () => {
    const res = await create({
      ...referralBody(),
      consent: { ConsentToToShareInfoWithOthers: true, ConsentToContact: true },
      Details: { DealValue: '1234.5', Currency: 'EUR' },
    });
    expect(res.status).toBe(200);
    const referral = (await res.json()) as Json;
    expect(referral.consent).toEqual({
      consentToToShareInfoWithOthers: true,
      consentToContact: true,
    });
    expect(referral.details).toEqual({ dealValue: 1234.5, currency: 'EUR' });
  });

  it.each(['type', 'customerProfile', 'consent', 'details'])(
    'rejects a referral without the required %s',
    async (field) => {
      const body = referralBody();
      delete body[field];
      const res = await create(body);
      expect(res.status).toBe(400);
      const error = await errorOf(res);
      expect(error.code).toBe('badRequest');
      expect(error.details.map((d) => d.target)).toContain(field);
    },
  );

  it.each([
    ['a three-letter country', { country: 'USA' }],
    ['a lower-case country', { country: 'us' }],
    ['an unassigned country', { country: 'XX' }],
    ['no country', {}],
  ])('R16: rejects %s with a message about the ISO code', async (_name, address) => {
    const body = referralBody();
    (body.customerProfile as Json).address = address;
    const res = await create(body);
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.target).toBe('customerProfile.address.country');
    expect(error.message).toMatch(/ISO 3166/);
  });

  it('R3: rejects a currency that is not ISO 4217', async () => {
    const res = await create(referralBody({ details: { dealValue: 1, currency: 'XYZ1' } }));
    expect(res.status).toBe(400);
    expect((await errorOf(res)).target).toBe('details.currency');
  });

  it('R17: accepts co-sell-ready solution ids and rejects others', async () => {
    const solutions = (await (await pc.control('GET', '/solutions')).json()) as {
      value: Array<{ id: string }>;
    };
    const known = solutions.value[0]?.id as string;
    const ok = await create(
      referralBody({
        details: { currency: 'USD', requirements: { solutions: [{ id: known, type: 'Name' }] } },
      }),
    );
    expect(ok.status).toBe(200);
    const bad = await create(
      referralBody({
        details: {
          currency: 'USD',
          requirements: { solutions: [{ id: 'SOL-NOT-MINE', type: 'Name' }] },
        },
      }),
    );
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).message).toMatch(/SOL-NOT-MINE.*co-sell ready/);
    const badTarget = await create(
      referralBody({ target: [{ type: 'SolutionProfile', id: 'SOL-NOPE' }] }),
    );
    expect(badTarget.status).toBe(400);
  });

  it('R11: asking Microsoft for help needs a solution and a customer contact', async () => {
    const help = {
      inviteContext: { assistanceRequestCode: 'ProofOfConceptOrDemo', notes: 'need a demo' },
    };
    const res = await create(referralBody(help));
    expect(res.status).toBe(400);
    const messages = (await errorOf(res)).details.map((d) => d.target);
    expect(messages).toEqual(
      expect.arrayContaining(['details.requirements.solutions', 'customerProfile.team']),
    );

    const complete = referralBody({
      ...help,
      details: { currency: 'USD', requirements: { solutions: [{ id: 'SOL-EMU-0001-AZR' }] } },
    });
    (complete.customerProfile as Json).team = [
      { firstName: 'Ann', lastName: 'Lee', email: 'ann@contoso.example' },
    ];
    expect((await create(complete)).status).toBe(200);
  });

  it('rejects an unknown assistance request code, bad JSON and a non-JSON body', async () => {
    const code = await create(
      referralBody({ inviteContext: { assistanceRequestCode: 'PleaseHelp' } }),
    );
    expect(code.status).toBe(400);
    expect((await errorOf(code)).message).toMatch(/ProofOfConceptOrDemo/);
    const broken = await pc.api('POST', '/v1.0/engagements/referrals', {
      token,
      body: undefined,
      headers: { 'content-type': 'application/json' },
    });
    expect([400, 415]).toContain(broken.status);
    const badJson = await fetch(`${pc.url}/v1.0/engagements/referrals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{"type":',
    });
    expect(badJson.status).toBe(400);
    expect((await errorOf(badJson)).code).toBe('badRequest');
    const text = await fetch(`${pc.url}/v1.0/engagements/referrals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(text.status).toBe(415);
  });

  it('answers 404 with the error shape for an unknown referral, also to PUT', async () => {
    const res = await pc.api(
      'GET',
      '/v1.0/engagements/referrals/00000000-0000-0000-0000-000000000000',
      { token },
    );
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe('notFound');
    const put = await pc.api(
      'PUT',
      '/v1.0/engagements/referrals/00000000-0000-0000-0000-000000000000',
      { token, body: {}, headers: { 'if-match': '*' } },
    );
    expect(put.status).toBe(404);
  });
});
