import { harnessForFile, referralBody, type Json } from './helpers';

const DAY = 24 * 60 * 60 * 1000;

describe('Partner Center emulator: PATCH, ETags, transitions and expiry', () => {
  const pc = harnessForFile();
  let token: string;
  beforeEach(async () => {
    token = await pc.userToken();
  });

  const createOutgoing = async (overrides: Json = {}) =>
    (await (
      await pc.api('POST', '/v1.0/engagements/referrals', { token, body: referralBody(overrides) })
    ).json()) as Json;
  const createIncoming = async () => {
    const body = referralBody({ externalReferenceId: undefined });
    delete body.type; // Microsoft's referrals default to Shared
    return (await (await pc.control('POST', '/microsoft/referrals', body)).json()) as Json;
  };
  const patch = (id: unknown, ops: unknown, headers: Record<string, string> = {}) =>
    pc.api('PATCH', `/v1.0/engagements/referrals/${String(id)}`, { token, body: ops, headers });
  const get = async (id: unknown) =>
    (await (
      await pc.api('GET', `/v1.0/engagements/referrals/${String(id)}`, { token })
    ).json()) as Json;
  const errorOf = async (res: Response) => ((await res.json()) as { error: Json }).error;

  it('applies replace and add (the documented sample) and answers 204 without Prefer', async () => {
    const referral = await createOutgoing();
    const res = await patch(referral.id, [
      { op: 'replace', path: '/details/dealValue', value: '10000' },
      {
        op: 'add',
        path: '/team/-',
        value: {
          email: 'jane.doe@contoso.com',
          firstName: 'Jane',
          lastName: 'Doe',
          phoneNumber: '0000000001',
        },
      },
    ]);
    // Every referral carries a `team` array, so the documented sample works as it stands.
    expect(res.status).toBe(204);
    const ok = await patch(referral.id, [
      {
        op: 'add',
        path: '/team/-',
        value: { email: 'john.roe@contoso.com', firstName: 'John', lastName: 'Roe' },
      },
    ]);
    expect(ok.status).toBe(204);
    expect(await ok.text()).toBe('');
    const after = await get(referral.id);
    expect(after.details).toMatchObject({ dealValue: 10000, currency: 'USD' });
    expect(after.team).toEqual([
      {
        email: 'jane.doe@contoso.com',
        firstName: 'Jane',
        lastName: 'Doe',
        phoneNumber: '0000000001',
      },
      { email: 'john.roe@contoso.com', firstName: 'John', lastName: 'Roe' },
    ]);
    expect(after.eTag).not.toBe(referral.eTag);
    expect(Date.parse(String(after.updatedDateTime))).toBeGreaterThan(
      Date.parse(String(referral.updatedDateTime)),
    );
  });

  it('answers 204 without an ETag header even with Prefer: return=representation', async () => {
    const referral = await createOutgoing();
    const res = await patch(referral.id, [{ op: 'replace', path: '/name', value: 'Renamed' }], {
      prefer: 'return=representation',
    });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(res.headers.get('etag')).toBeNull();
    expect((await get(referral.id)).name).toBe('Renamed');
  });

  it('honours If-Match: the current ETag succeeds, a stale one gets the documented 412 body', async () => {
    const referral = await createOutgoing();
    const first = await patch(
      referral.id,
      [{ op: 'replace', path: '/details/notes', value: 'v2' }],
      { 'if-match': String(referral.eTag) },
    );
    expect(first.status).toBe(204);
    const stale = await patch(
      referral.id,
      [{ op: 'replace', path: '/details/notes', value: 'v3' }],
      { 'if-match': String(referral.eTag) },
    );
    expect(stale.status).toBe(412);
    expect(await stale.json()).toEqual({
      error: {
        code: 'preconditionFailed',
        message:
          "A precondition provided in the request (such as an if-match header) does not match the resource's current state.",
        target: 'ETag',
        innerError: {
          code: '99918',
          message: 'One of the specified pre-condition is not met. Etag value did not Match',
          details: null,
        },
      },
    });
    expect(((await get(referral.id)).details as Json).notes).toBe('v2');
  });

  it('a no-op PATCH keeps the ETag', async () => {
    const referral = await createOutgoing();
    expect(
      (await patch(referral.id, [{ op: 'replace', path: '/name', value: referral.name }])).status,
    ).toBe(204);
    expect((await get(referral.id)).eTag).toBe(referral.eTag);
  });

  it.each([
    ['remove', [{ op: 'remove', path: '/name' }]],
    ['move', [{ op: 'move', from: '/name', path: '/statusReason' }]],
    ['an object body', { name: 'x' }],
    ['a read-only field', [{ op: 'replace', path: '/id', value: 'x' }]],
    ['a path whose parent is missing', [{ op: 'replace', path: '/nothing/here', value: 1 }]],
    [
      'an invalid country',
      [{ op: 'replace', path: '/customerProfile/address/country', value: 'Sweden' }],
    ],
  ])('rejects %s with 400', async (_name, ops) => {
    const referral = await createOutgoing();
    const res = await patch(referral.id, ops);
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('badRequest');
  });

  it('enforces the status transition table: Active cannot go back to New, substatus must fit', async () => {
    const referral = await createOutgoing();
    const back = await patch(referral.id, [
      { op: 'replace', path: '/status', value: 'New' },
      { op: 'replace', path: '/substatus', value: 'Pending' },
    ]);
    expect(back.status).toBe(400);
    expect((await errorOf(back)).message).toMatch(/cannot change from 'Active\/Accepted'/);
    const mismatch = await patch(referral.id, [
      { op: 'replace', path: '/status', value: 'Closed' },
      { op: 'replace', path: '/substatus', value: 'Accepted' },
    ]);
    expect(mismatch.status).toBe(400);
    expect((await errorOf(mismatch)).message).toMatch(/Won, Lost, Declined, Expired/);
  });

  it('issue 19: a referral Microsoft sent is accepted (Active/Accepted) or declined with a reason (Closed/Declined), and a declined one cannot be accepted', async () => {
    const accepted = await createIncoming();
    const accept = await patch(accepted.id, [
      { op: 'replace', path: '/status', value: 'Active' },
      { op: 'replace', path: '/substatus', value: 'Accepted' },
    ]);
    expect(accept.status).toBe(204);
    expect(await get(accepted.id)).toMatchObject({ status: 'Active', substatus: 'Accepted' });
    const declined = await createIncoming();
    const decline = await patch(declined.id, [
      { op: 'replace', path: '/status', value: 'Closed' },
      { op: 'replace', path: '/substatus', value: 'Declined' },
      { op: 'add', path: '/statusReason', value: 'Outside our region' },
    ]);
    expect(decline.status).toBe(204);
    expect(await get(declined.id)).toMatchObject({
      status: 'Closed',
      substatus: 'Declined',
      statusReason: 'Outside our region',
    });
    const late = await patch(declined.id, [
      { op: 'replace', path: '/status', value: 'Active' },
      { op: 'replace', path: '/substatus', value: 'Accepted' },
    ]);
    expect(late.status).toBe(400);
    expect(await errorOf(late)).toMatchObject({ code: 'badRequest', target: '/status' });
  });

  it('R18: closes a referral as Won; a closed referral stays closed but its CRM id may still be set', async () => {
    const referral = await createOutgoing();
    const won = await patch(referral.id, [
      { op: 'replace', path: '/status', value: 'Closed' },
      { op: 'replace', path: '/substatus', value: 'Won' },
    ]);
    expect(won.status).toBe(204);
    const closed = await get(referral.id);
    expect(closed).toMatchObject({ status: 'Closed', substatus: 'Won' });
    expect(typeof closed.closedDateTime).toBe('string');
    const reopen = await patch(referral.id, [
      { op: 'replace', path: '/status', value: 'Active' },
      { op: 'replace', path: '/substatus', value: 'Accepted' },
    ]);
    expect(reopen.status).toBe(400);
    const lost = await patch(referral.id, [{ op: 'replace', path: '/substatus', value: 'Lost' }]);
    expect(lost.status).toBe(400);
    const value = await patch(referral.id, [
      { op: 'replace', path: '/details/dealValue', value: 1 },
    ]);
    expect(value.status).toBe(400);
    const crmId = await patch(referral.id, [
      { op: 'replace', path: '/externalReferenceId', value: '006XYZ' },
    ]);
    expect(crmId.status).toBe(204);
  });

  it('the partner accepts an incoming referral (New/Pending → Active/Accepted) and cannot set Expired', async () => {
    const incoming = await createIncoming();
    expect(incoming).toMatchObject({
      status: 'New',
      substatus: 'Pending',
      direction: 'Incoming',
      type: 'Shared',
    });
    const expire = await patch(incoming.id, [
      { op: 'replace', path: '/status', value: 'Closed' },
      { op: 'replace', path: '/substatus', value: 'Expired' },
    ]);
    expect(expire.status).toBe(400);
    const accept = await patch(incoming.id, [
      { op: 'replace', path: '/status', value: 'Active' },
      { op: 'replace', path: '/substatus', value: 'Accepted' },
    ]);
    expect(accept.status).toBe(204);
    const after = await get(incoming.id);
    expect(after).toMatchObject({ status: 'Active', substatus: 'Accepted' });
    expect(typeof after.acceptedDateTime).toBe('string');
  });

  it('expires unanswered incoming referrals after 14 days on the emulator clock', async () => {
    const incoming = await createIncoming();
    const answered = await createIncoming();
    await patch(answered.id, [
      { op: 'replace', path: '/status', value: 'Active' },
      { op: 'replace', path: '/substatus', value: 'Accepted' },
    ]);
    expect(
      Date.parse(String(incoming.expirationDateTime)) -
        Date.parse(String(incoming.createdDateTime)),
    ).toBe(14 * DAY);
    const early = (await (await pc.control('POST', '/clock', { advanceMs: 13 * DAY })).json()) as {
      expired: number;
    };
    expect(early.expired).toBe(0);
    token = await pc.userToken(); // the old token expired with the clock
    expect((await get(incoming.id)).status).toBe('New');
    const late = (await (await pc.control('POST', '/clock', { advanceMs: DAY })).json()) as {
      expired: number;
    };
    expect(late.expired).toBe(1);
    token = await pc.userToken();
    expect(await get(incoming.id)).toMatchObject({ status: 'Closed', substatus: 'Expired' });
    expect(await get(answered.id)).toMatchObject({ status: 'Active', substatus: 'Accepted' });
  });

  it('Microsoft-side updates merge, bump the ETag and follow the transition table', async () => {
    const referral = await createOutgoing();
    const res = await pc.control('POST', `/microsoft/referrals/${String(referral.id)}`, {
      details: { dealValue: 75000 },
      status: 'Closed',
      substatus: 'Lost',
      statusReason: 'Customer chose another vendor',
    });
    expect(res.status).toBe(200);
    const updated = (await res.json()) as Json;
    expect(updated).toMatchObject({
      status: 'Closed',
      substatus: 'Lost',
      details: { dealValue: 75000, currency: 'USD' },
    });
    expect(updated.eTag).not.toBe(referral.eTag);
    const again = await pc.control('POST', `/microsoft/referrals/${String(referral.id)}`, {
      status: 'Active',
      substatus: 'Accepted',
    });
    expect(again.status).toBe(400);
    const missing = await pc.control(
      'POST',
      '/microsoft/referrals/00000000-0000-0000-0000-000000000000',
      { status: 'Active' },
    );
    expect(missing.status).toBe(404);
  });
});
