import { REFERRALS, referrals, referralsError, SEVEN_DIGITS, type DocumentedFact } from './context';

const TEAM_MEMBER = { email: 'jane.doe@contoso.com', firstName: 'Jane', lastName: 'Doe' };

/** create-a-referral, patch-a-referral, the connector definition and referral resources. */
export const REFERRAL_FACTS: DocumentedFact[] = [
  {
    id: 'create.200',
    fact: 'creating a referral answers 200 with the referral; no Location and no ETag header are declared',
    source: 'connector CreateReferral (200 + Referral)',
    async check(c) {
      const res = await referrals.create(c);
      expect(res.status).toBe(200);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.get('etag')).toBeNull();
      expect(((await res.json()) as { id?: unknown }).id).toEqual(expect.any(String));
    },
  },
  {
    id: 'create.required',
    fact: 'type, customerProfile, consent and details are required on create; a missing one is a 400 with an error body',
    source: 'CREATE',
    async check(c) {
      const res = await referrals.create(c, { consent: undefined, details: undefined });
      expect(res.status).toBe(400);
      expect((await referralsError(res)).code).toBe('badRequest');
    },
  },
  {
    id: 'referral.etag-field',
    fact: "the concurrency token is the referral's `eTag` field, returned by create and get",
    source: 'RES; connector Referral.eTag',
    async check(c) {
      const made = await referrals.created(c);
      expect(made.eTag).toEqual(expect.any(String));
      const got = await referrals.current(c, made.id);
      expect(got.eTag).toBe(made.eTag);
    },
  },
  {
    id: 'referral.timestamps',
    fact: 'date-times carry seven fractional digits',
    source: 'WHE sample times; RES',
    async check(c) {
      const made = await referrals.created(c);
      expect(made.createdDateTime).toMatch(SEVEN_DIGITS);
      expect(made.updatedDateTime).toMatch(SEVEN_DIGITS);
    },
  },
  {
    id: 'referral.teams',
    fact: 'a referral always carries the partner `team` and the customer `customerProfile.team` arrays, also when created without members',
    source: 'RES; PATCH sample `add /team/-`',
    async check(c) {
      const made = await referrals.created(c, { team: undefined });
      expect(made.team).toEqual([]);
      expect((made.customerProfile as { team?: unknown }).team).toEqual([]);
    },
  },
  {
    id: 'get.odata-context',
    fact: 'get-by-id answers the referral with `@odata.context` naming `$metadata#Referrals/$entity`',
    source: 'connector Referral.@odata.context',
    async check(c) {
      const made = await referrals.created(c);
      const got = await referrals.current(c, made.id);
      expect(got['@odata.context']).toMatch(/\$metadata#Referrals\/\$entity$/);
    },
  },
  {
    id: 'get.404',
    fact: 'an unknown referral id is 404 with an error body',
    source: 'connector GetReferralById 404; CODES',
    async check(c) {
      const res = await referrals.get(c, '00000000-0000-0000-0000-000000000000');
      expect(res.status).toBe(404);
      await referralsError(res);
    },
  },
  {
    id: 'sales-stage.enum',
    fact: '`salesStage` is one of Qualify, Develop, Propose, Close; another value is refused with 400',
    source: 'connector Referral.salesStage enum',
    async check(c) {
      const made = await referrals.created(c, { salesStage: 'Develop' });
      expect(made.salesStage).toBe('Develop');
      expect((await referrals.create(c, { salesStage: 'Negotiate' })).status).toBe(400);
      const res = await referrals.patch(c, made.id, [
        { op: 'replace', path: '/salesStage', value: 'Won' },
      ]);
      expect(res.status).toBe(400);
      expect((await referralsError(res)).code).toBe('badRequest');
    },
  },
  {
    id: 'solutions.types',
    fact: 'a requirements solution has type None, Category or Name; a Category solution names a predefined category id, not a `SOL-…` id',
    source: 'RES (solutions, type); OLD',
    async check(c) {
      const withSolutions = (solutions: unknown[]) => ({
        details: {
          dealValue: 1000,
          currency: 'USD',
          closingDateTime: '2027-11-14T00:00:00Z',
          requirements: { solutions },
        },
      });
      const category = { id: 'Dynamics365forFieldService', type: 'Category' };
      expect((await referrals.create(c, withSolutions([category]))).status).toBe(200);
      const sol = { id: 'SOL-EMU-0001-AZR', type: 'Category' };
      expect((await referrals.create(c, withSolutions([sol]))).status).toBe(400);
      const odd = { id: 'SOL-EMU-0001-AZR', type: 'Product' };
      expect((await referrals.create(c, withSolutions([odd]))).status).toBe(400);
    },
  },
  {
    id: 'patch.204',
    fact: 'PATCH answers 204 No Content with no ETag header, also when `Prefer: return=representation` is sent',
    source: 'PATCH; connector PatchReferralById (204)',
    async check(c) {
      const made = await referrals.created(c);
      const res = await referrals.patch(
        c,
        made.id,
        [{ op: 'replace', path: '/details/notes', value: 'second' }],
        { prefer: 'return=representation' },
      );
      expect(res.status).toBe(204);
      expect(await res.text()).toBe('');
      expect(res.headers.get('etag')).toBeNull();
      const after = await referrals.current(c, made.id);
      expect((after.details as { notes?: unknown }).notes).toBe('second');
      expect(after.eTag).not.toBe(made.eTag);
    },
  },
  {
    id: 'patch.ops',
    fact: 'PATCH takes an RFC 6902 array of which only `replace` and `add` are supported',
    source: 'PATCH; connector UpdateReferralDetails op enum',
    async check(c) {
      const made = await referrals.created(c);
      const res = await referrals.patch(c, made.id, [{ op: 'remove', path: '/details/notes' }]);
      expect(res.status).toBe(400);
      await referralsError(res);
    },
  },
  {
    id: 'patch.add-team',
    fact: 'the documented sample `add /team/-` appends a member, on a referral created without any',
    source: 'PATCH sample',
    async check(c) {
      const made = await referrals.created(c);
      const res = await referrals.patch(c, made.id, [
        { op: 'add', path: '/team/-', value: TEAM_MEMBER },
      ]);
      expect(res.status).toBe(204);
      expect((await referrals.current(c, made.id)).team).toEqual([TEAM_MEMBER]);
    },
  },
  {
    id: 'patch.if-match',
    fact: 'If-Match is optional; a stale one answers 412 with code preconditionFailed, target ETag and an innerError',
    source: 'PATCH; CODES (412); ISS4 body',
    async check(c) {
      const made = await referrals.created(c);
      const first = [{ op: 'replace', path: '/details/notes', value: 'a' }];
      expect((await referrals.patch(c, made.id, first)).status).toBe(204);
      const stale = await referrals.patch(c, made.id, first, { 'if-match': String(made.eTag) });
      expect(stale.status).toBe(412);
      const error = await referralsError(stale);
      expect(error).toMatchObject({
        code: 'preconditionFailed',
        target: 'ETag',
        innerError: { code: expect.any(String), message: expect.any(String) },
      });
    },
  },
  {
    id: 'deal-registration',
    fact: 'a deal registration is added with `add /registrations/-` (also at `/referrals/{id}/`), and its contract fields are patched under `/registrations/0/…`',
    source:
      'connector PatchDealRegistrationByReferralId, DealRegistration, UpdateReferralDetails paths',
    async check(c) {
      const made = await referrals.created(c);
      const registration = {
        type: 'Registration',
        solutionDetails: [{ id: 'SOL-EMU-0001-AZR', value: 1000, currency: 'USD' }],
        contract: { value: 1000, currency: 'USD', term: '12' },
      };
      const res = await c.pc.api('PATCH', `${REFERRALS}/${String(made.id)}/`, {
        token: c.referralsToken,
        body: [{ op: 'add', path: '/registrations/-', value: registration }],
      });
      expect(res.status).toBe(204);
      const value = [{ op: 'replace', path: '/registrations/0/contract/value', value: 2500 }];
      expect((await referrals.patch(c, made.id, value)).status).toBe(204);
      const [stored] = (await referrals.current(c, made.id)).registrations as Array<{
        id?: unknown;
        contract?: { value?: unknown };
      }>;
      expect(stored?.id).toEqual(expect.any(String));
      expect(stored?.contract?.value).toBe(2500);
    },
  },
  {
    id: 'put.deprecated',
    fact: 'the deprecated full update `PUT /referrals/{id}` requires If-Match and answers 200 with the referral; a stale If-Match is 412',
    source: 'connector UpdateReferralById; CONN3P; ISS4',
    async check(c) {
      const made = await referrals.created(c);
      const put = (eTag: string | undefined) =>
        c.pc.api('PUT', `${REFERRALS}/${String(made.id)}`, {
          token: c.referralsToken,
          body: { ...made, name: 'Renamed by PUT' },
          headers: eTag === undefined ? {} : { 'if-match': eTag },
        });
      expect((await put(undefined)).status).toBe(400);
      const ok = await put(String(made.eTag));
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as { name?: unknown }).name).toBe('Renamed by PUT');
      expect((await put(String(made.eTag))).status).toBe(412);
    },
  },
];
