import {
  AccessDeniedError,
  BudgetExhaustedError,
  PermanentError,
  PreconditionFailedError,
  TransientError,
} from '../../src/errors';
import { harnessForFile, newReferral, PASSWORD_GRANT } from './emulator-harness';

const REFERRALS = '/v1.0/engagements/referrals';

describe('createReferralsClient (against the emulator)', () => {
  const h = harnessForFile();

  const fault = (rule: unknown) => h.control('POST', '/faults', rule);
  const referralCalls = () => h.calls.filter((c) => c.api === 'referrals');

  it('creates a referral, reads it back with its ETag and finds it by externalReferenceId', async () => {
    const client = h.referrals();
    const created = await client.create(newReferral('006Aa00000Create'));
    expect(created.referral.id).toBeTruthy();
    expect(created.referral.externalReferenceId).toBe('006Aa00000Create');
    expect(created.eTag).toBeTruthy();

    const read = await client.get(created.referral.id);
    expect(read.referral.name).toBe('Contoso migration 006Aa00000Create');
    expect(read.eTag).toBe(created.eTag);
    await expect(client.findByExternalReferenceId('006Aa00000Create')).resolves.toMatchObject({
      id: created.referral.id,
    });
    await expect(client.findByExternalReferenceId('006Aa00000Other')).resolves.toBeNull();
  });

  it('escapes quotes in the OData filter so an id cannot change the query', async () => {
    const client = h.referrals();
    await client.create(newReferral("006'quoted"));
    await client.create(newReferral('006plain'));
    await expect(client.findByExternalReferenceId("006'quoted")).resolves.toMatchObject({
      externalReferenceId: "006'quoted",
    });
    await expect(
      client.findByExternalReferenceId("x' or externalReferenceId eq '006plain"),
    ).resolves.toBeNull();
  });

  it('R13: lists every referral updated since a watermark, oldest first, following @odata.nextLink without $top', async () => {
    const client = h.referrals();
    const before = new Date(Date.now() - 60_000).toISOString();
    for (let i = 0; i < 5; i += 1) await client.create(newReferral(`006page${i}`));
    h.calls.length = 0;
    const seen: string[] = [];
    for await (const referral of client.listUpdatedSince(before)) {
      seen.push(referral.externalReferenceId ?? '');
    }
    expect(seen).toEqual(['006page0', '006page1', '006page2', '006page3', '006page4']);
    // Server pages of 2: three reads, and none of them names $top (a total, not a page size).
    expect(referralCalls()).toHaveLength(3);
    expect(h.requests().filter((r) => r.includes('$top'))).toEqual([]);

    const none: unknown[] = [];
    for await (const r of client.listUpdatedSince(new Date(Date.now() + 60_000).toISOString()))
      none.push(r);
    expect(none).toEqual([]);
  });

  it('patches with If-Match (204, no representation); a stale ETag is a PreconditionFailedError (412)', async () => {
    const client = h.referrals();
    const { referral, eTag } = await client.create(newReferral('006patch'));
    const patched = await client.patch(
      referral.id,
      [{ op: 'replace', path: '/details/dealValue', value: 75_000 }],
      { ifMatch: eTag },
    );
    // Microsoft documents 204 No Content: neither the referral nor its new eTag comes back.
    expect(patched).toEqual({ eTag: undefined });

    await expect(
      client.patch(referral.id, [{ op: 'replace', path: '/details/dealValue', value: 1 }], {
        ifMatch: eTag,
      }),
    ).rejects.toBeInstanceOf(PreconditionFailedError);

    const current = await client.get(referral.id);
    expect(current.eTag).toBe(current.referral.eTag);
    expect(current.eTag).not.toBe(eTag);
    expect(current.referral.details?.dealValue).toBe(75_000);
    await client.patch(
      referral.id,
      [{ op: 'replace', path: '/details/notes', value: 'Now 60 VMs' }],
      { ifMatch: current.eTag },
    );
    expect((await client.get(referral.id)).referral.details?.notes).toBe('Now 60 VMs');
  });

  it('lists the referrals of one engagement', async () => {
    const client = h.referrals();
    const { referral } = await client.create(newReferral('006engagement'));
    await client.create(newReferral('006elsewhere'));
    const related = await client.listByEngagement(referral.engagementId!);
    expect(related.map((r) => r.id)).toEqual([referral.id]);
  });

  it('R1: honours a short Retry-After on 429 and succeeds within the call, counting both attempts', async () => {
    const client = h.referrals();
    await fault({
      match: { method: 'GET', path: REFERRALS },
      respond: {
        status: 429,
        headers: { 'Retry-After': '1' },
        body: { error: { code: 'tooManyRequests', message: 'Slow down' } },
      },
      times: 1,
    });
    const started = Date.now();
    await expect(client.findByExternalReferenceId('006none')).resolves.toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(referralCalls().map((c) => c.status)).toEqual([429, 200]);
  });

  it('R1: hands a long Retry-After to the engine as a TransientError instead of waiting', async () => {
    const client = h.referrals();
    await fault({
      match: { path: REFERRALS },
      respond: { status: 429, headers: { 'Retry-After': '120' } },
      times: 1,
    });
    const error = await client.findByExternalReferenceId('006none').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).retryAfterMs).toBe(120_000);
    expect(referralCalls()).toHaveLength(1);
  });

  it('retries a 5xx on a read, but never repeats a create whose outcome is unknown', async () => {
    const client = h.referrals();
    await fault({ match: { method: 'GET', path: REFERRALS }, respond: { status: 503 }, times: 2 });
    await expect(client.findByExternalReferenceId('006none')).resolves.toBeNull();
    expect(referralCalls().map((c) => c.status)).toEqual([503, 503, 200]);

    h.calls.length = 0;
    await fault({ match: { method: 'POST', path: REFERRALS }, respond: { status: 502 }, times: 1 });
    await expect(client.create(newReferral('006ambiguous'))).rejects.toBeInstanceOf(TransientError);
    expect(referralCalls().map((c) => c.status)).toEqual([502]);
  });

  it('turns a timeout into a TransientError after the bounded retries', async () => {
    const client = h.referrals({ timeoutMs: 150 });
    await fault({ match: { method: 'GET', path: REFERRALS }, latencyMs: 2_000, times: 3 });
    const error = await client.findByExternalReferenceId('006slow').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toMatch(/no answer within 150 ms/);
    expect(referralCalls().map((c) => c.status)).toEqual([0, 0, 0]);
  });

  it('R13: survives token expiry mid-run with one refresh and one retried call', async () => {
    const client = h.referrals();
    await client.findByExternalReferenceId('006warm');
    await fault({ expireTokens: true });
    await expect(client.findByExternalReferenceId('006after')).resolves.toBeNull();
    expect(h.calls.map((c) => `${c.api}:${c.status}`)).toEqual([
      'token:200',
      'referrals:200',
      'referrals:401',
      'token:200',
      'referrals:200',
    ]);
  });

  it('R2: a missing Referrals admin role is an AccessDeniedError that names the role', async () => {
    const client = h.referrals();
    await h.control('POST', '/roles', { referralsAdmin: false });
    const error = await client.create(newReferral('006denied')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect((error as AccessDeniedError).missing).toBe('Referrals admin');
    expect((error as Error).message).toMatch(/give the bridge's account the Referrals admin role/);
  });

  it('R2/R7: checkAccess proves sign-in and role with one read, or names the fix', async () => {
    await expect(h.referrals().checkAccess()).resolves.toBeUndefined();
    await h.control('POST', '/roles', { referralsAdmin: false });
    await expect(h.referrals().checkAccess()).rejects.toThrow(/Referrals admin role/);
    const badPassword = h.userTokens({ ...PASSWORD_GRANT, password: 'not-the-password' });
    await expect(h.referrals({ tokens: badPassword }).checkAccess()).rejects.toThrow(/AADSTS50126/);
  });

  it('R16: a 400 keeps the service’s own message and is permanent', async () => {
    const client = h.referrals();
    const body = newReferral('006nocountry');
    body.customerProfile.address.country = 'XX';
    const error = await client.create(body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toMatch(/XX/);
  });

  it('R1: beforeApiCall can stop a call before anything is sent (budget exhausted)', async () => {
    const client = h.referrals({
      beforeApiCall: () => {
        throw new BudgetExhaustedError('daily budget spent', new Date('2026-12-01T00:00:00Z'));
      },
    });
    await expect(client.findByExternalReferenceId('006x')).rejects.toBeInstanceOf(
      BudgetExhaustedError,
    );
    const stats = await h.stats();
    expect(Object.keys(stats).filter((route) => route.includes('referrals'))).toEqual([]);
  });

  it('rejects answers in an unexpected shape with a PermanentError naming the field', async () => {
    const client = h.referrals();
    await fault({
      match: { method: 'GET', path: `${REFERRALS}/abc` },
      respond: { status: 200, body: { name: 'no id' } },
      times: 1,
    });
    const error = await client.get('abc').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).code).toBe('UNEXPECTED_RESPONSE');
    expect((error as Error).message).toMatch(/\bid\b/);
  });

  it('refuses to follow a next-page link to another origin with the bearer token', async () => {
    const client = h.referrals();
    await fault({
      match: { method: 'GET', path: REFERRALS },
      respond: { status: 200, body: { value: [], '@odata.nextLink': 'http://127.0.0.2:9/steal' } },
      times: 1,
    });
    const consume = async () => {
      for await (const _ of client.listUpdatedSince('2026-01-01T00:00:00Z')) void _;
    };
    await expect(consume()).rejects.toMatchObject({ code: 'FOREIGN_NEXT_LINK' });
  });
});
