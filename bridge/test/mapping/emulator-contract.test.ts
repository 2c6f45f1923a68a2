/**
 * The mapping's output against the Partner Center emulator over loopback HTTP (plain fetch, as
 * the documentation describes the API): every create body validation lets through is accepted,
 * every planned patch is accepted, and after the round trip nothing is left to send either way.
 * This is what makes "validate before any call" (R11) and "skip no-op updates" (R1) hold against
 * the service, not just against our own reading of it.
 */
import fc from 'fast-check';

import {
  DEFAULT_SOLUTIONS,
  REFERRALS_RESOURCE,
  type RunningPartnerCenterEmulator,
  startPartnerCenterEmulator,
} from '../../../emulators/partner-center/src';
import {
  decideInbound,
  fromReferral,
  isNewer,
  applyPatchOperations,
  planReferralUpdate,
  referralToNewRecords,
  toReferralCreate,
} from '../../src/mapping';
import {
  type JsonPatchOperation,
  type OpportunitySnapshot,
  type Referral,
  ReferralSchema,
} from '../../src/schemas';
import { snapshot } from './fixtures';

const REFERRALS = '/v1.0/engagements/referrals';
let emulator: RunningPartnerCenterEmulator;
let token: string;

beforeAll(async () => {
  emulator = await startPartnerCenterEmulator({ port: 0 });
  const response = await fetch(`${emulator.url}/common/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      resource: REFERRALS_RESOURCE,
      grant_type: 'password',
      scope: 'openid',
      client_id: 'emulator-client',
      client_secret: 'emulator-secret',
      username: 'admin@partner.example',
      password: 'emulator-password',
    }).toString(),
  });
  expect(response.status).toBe(200);
  token = ((await response.json()) as { access_token: string }).access_token;
});

afterAll(async () => {
  await emulator.stop();
});

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(emulator.url + path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, json: text ? (JSON.parse(text) as unknown) : undefined };
}

async function getReferral(id: string): Promise<Referral> {
  const got = await call('GET', `${REFERRALS}/${encodeURIComponent(id)}`);
  expect(got.status).toBe(200);
  return ReferralSchema.parse(got.json);
}

async function patch(current: Referral, operations: JsonPatchOperation[]) {
  return call('PATCH', `${REFERRALS}/${encodeURIComponent(current.id)}`, operations, {
    'if-match': current.eTag ?? '*',
  });
}

const solutionIds = DEFAULT_SOLUTIONS.map((s) => s.id);
const printable = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 150 })
  .filter((text) => text.trim() !== '');

/** Opportunities that vary in everything the create body carries. */
const opportunity: fc.Arbitrary<OpportunitySnapshot> = fc
  .record({
    id: fc.stringMatching(/^006[A-Za-z0-9]{15}$/),
    name: printable,
    amount: fc.double({ min: 0.01, max: 1e11, noNaN: true }),
    closeDate: fc
      .date({ min: new Date('2000-01-01Z'), max: new Date('2099-12-31Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
    description: fc.option(fc.string({ unit: 'grapheme', maxLength: 1500 }), { nil: null }),
    referralCurrency: fc.constantFrom('USD', 'EUR', 'SEK', 'JPY', 'INR', 'BRL', null),
    helpNeeded: fc.constantFrom(
      null,
      'GeneralOrOther',
      'ProofOfConceptOrDemo',
      'QuotesOrLicensing',
    ),
    visibility: fc.constantFrom(null, 'Private' as const, 'Shared with Microsoft sellers' as const),
    country: fc.constantFrom('US', 'SE', 'de', 'JP', 'BR', 'XK', 'ZA', 'AQ'),
    accountName: printable,
    solutions: fc.subarray(solutionIds, { minLength: 1 }),
  })
  .map((r) =>
    snapshot({
      id: r.id,
      name: r.name,
      amount: r.amount,
      closeDate: r.closeDate,
      description: r.description,
      referralCurrency: r.referralCurrency,
      // A single-currency org in that currency (conversion is covered by the unit tests).
      orgCurrency: r.referralCurrency ?? 'EUR',
      helpNeeded: r.helpNeeded,
      visibility: r.visibility,
      account: { ...snapshot().account!, name: r.accountName, country: r.country },
      solutions: r.solutions.map((solutionId) => ({ solutionId, name: null })),
    }),
  );

/** A later edit by the seller. */
const edit = fc.record({
  amount: fc.option(fc.double({ min: 1, max: 1e9, noNaN: true }), { nil: undefined }),
  description: fc.option(fc.string({ maxLength: 200 }), { nil: undefined }),
  helpNeeded: fc.constantFrom(undefined, null, 'CustomerTechnicalArchitecture'),
  visibility: fc.constantFrom(
    undefined,
    'Private' as const,
    'Shared with Microsoft sellers' as const,
  ),
  stage: fc.constantFrom('open', 'won', 'lost'),
});

describe('mapping against the Partner Center emulator', () => {
  it('R11/R1: valid opportunities create, update and converge with no call left to make', async () => {
    await fc.assert(
      fc.asyncProperty(opportunity, edit, async (s, change) => {
        const body = toReferralCreate(s);
        if (!body.ok) throw new Error(`valid fixture refused: ${JSON.stringify(body.problems)}`);
        const created = await call('POST', REFERRALS, body.value);
        expect({
          status: created.status,
          body: created.status === 200 ? '' : created.text,
        }).toEqual({
          status: 200,
          body: '',
        });
        let current = ReferralSchema.parse(created.json);

        // What the service stored reads back as unchanged, both ways.
        const first = planReferralUpdate(current, s);
        expect(first.ok && first.value.patch).toEqual([]);
        const inbound = fromReferral(current, s, {
          orgCurrency: s.orgCurrency,
          multiCurrency: false,
        }).updates;
        for (const field of [
          'Amount',
          'CloseDate',
          'Description',
          'Referral_Currency__c',
          'StageName',
        ]) {
          expect(inbound).not.toHaveProperty(field);
        }

        const edited = snapshot({
          ...s,
          ...(change.amount === undefined ? {} : { amount: change.amount }),
          ...(change.description === undefined ? {} : { description: change.description }),
          ...(change.helpNeeded === undefined ? {} : { helpNeeded: change.helpNeeded }),
          ...(change.visibility === undefined ? {} : { visibility: change.visibility }),
          isClosed: change.stage !== 'open',
          isWon: change.stage === 'won',
        });
        const plan = planReferralUpdate(current, edited);
        if (!plan.ok) throw new Error(`update refused: ${JSON.stringify(plan.problems)}`);
        if (plan.value.patch.length > 0) {
          const patched = await patch(current, plan.value.patch);
          expect({ status: patched.status, body: patched.text }).toEqual({ status: 204, body: '' });
          // After the documented 204 the bridge predicts the referral from its own patch: the
          // prediction must plan nothing more, exactly like the state read back.
          const predicted = applyPatchOperations(current, plan.value.patch);
          current = await getReferral(current.id);
          const fromPrediction = planReferralUpdate(predicted, edited);
          expect(fromPrediction.ok && fromPrediction.value.patch).toEqual([]);
        }
        const again = planReferralUpdate(current, edited);
        expect(again.ok && again.value.patch).toEqual([]);
        if (change.stage !== 'open') {
          expect([current.status, current.substatus]).toEqual([
            'Closed',
            change.stage === 'won' ? 'Won' : 'Lost',
          ]);
        }
      }),
      { numRuns: 25 },
    );
  }, 30_000);
});

describe('Microsoft-created referral against the emulator (R18)', () => {
  async function microsoft(path: string, body: unknown) {
    const response = await fetch(`${emulator.url}/__emulator/microsoft/referrals${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBeLessThan(300);
    return ReferralSchema.parse(await response.json());
  }

  it('R18: becomes new records, gets its CRM id written back, and a Microsoft win closes the opportunity', async () => {
    const incoming = await microsoft('', {
      name: 'Fabrikam data estate',
      customerProfile: {
        name: 'Fabrikam Inc',
        address: { addressLine1: '1 Main St', city: 'Seattle', state: 'WA', country: 'US' },
        team: [{ firstName: 'Pat', lastName: 'Buyer', email: 'pat@fabrikam.example' }],
      },
      consent: { consentToContact: true, consentToShareReferralWithMicrosoftSellers: true },
      details: {
        dealValue: 120000,
        currency: 'USD',
        closingDateTime: '2027-06-30T00:00:00Z',
        notes: 'Microsoft seller: customer wants a PoC',
        requirements: { solutions: [{ id: solutionIds[0], type: 'Name' }] },
      },
      team: [{ firstName: 'Ada', lastName: 'Seller', email: 'ada.seller@partner.example' }],
    });
    expect(decideInbound(incoming, null)).toEqual({ action: 'create' });

    const records = referralToNewRecords(incoming, {
      orgCurrency: 'USD',
      multiCurrency: false,
      users: [{ id: '005000000000001AAA', email: 'ada.seller@partner.example' }],
      now: new Date('2027-01-01T00:00:00Z'),
    });
    expect(records.team.ownerId).toBe('005000000000001AAA');
    expect(records.account).toMatchObject({ name: 'Fabrikam Inc', country: 'US' });
    expect(records.opportunity).toMatchObject({
      Name: 'Fabrikam data estate',
      Amount: 120000,
      CloseDate: '2027-06-30',
      Sync_with_Partner_Center__c: true,
      Partner_Center_Visibility__c: 'Shared with Microsoft sellers',
    });

    // What Salesforce holds after the bridge created the records.
    const created = snapshot({
      id: '006000000000777AAA',
      name: String(records.opportunity.Name),
      amount: Number(records.opportunity.Amount),
      closeDate: String(records.opportunity.CloseDate),
      description: String(records.opportunity.Description),
      referralCurrency: String(records.opportunity.Referral_Currency__c),
      visibility: 'Shared with Microsoft sellers',
      referralId: incoming.id,
      account: {
        ...snapshot().account!,
        name: records.account.name,
        country: records.account.country,
      },
      customerContact: {
        id: '003000000000777AAA',
        ...records.contact!,
        phone: null,
        firstName: 'Pat',
      },
      solutions: records.solutionIds.map((solutionId) => ({ solutionId, name: null })),
    });
    const link = planReferralUpdate(incoming, created);
    if (!link.ok) throw new Error(JSON.stringify(link.problems));
    expect(link.value.patch).toEqual([
      { op: 'add', path: '/externalReferenceId', value: '006000000000777AAA' },
    ]);
    const patched = await patch(incoming, link.value.patch);
    expect(patched.status).toBe(204);
    const linked = await getReferral(incoming.id);
    expect(linked.externalReferenceId).toBe('006000000000777AAA');
    expect(decideInbound(linked, null)).toEqual({
      action: 'ignore',
      reason: expect.stringContaining('006000000000777AAA'),
    });

    // A repeated delivery of the same state changes nothing; Microsoft winning it closes the deal.
    const repeat = fromReferral(
      linked,
      {
        ...created,
        partnerCenterStatus: linked.status ?? null,
        partnerCenterSubstatus: linked.substatus ?? null,
        engagementId: linked.engagementId ?? null,
      },
      { orgCurrency: 'USD', multiCurrency: false },
    );
    expect(repeat.updates).toEqual({});
    const won = await microsoft(`/${encodeURIComponent(incoming.id)}`, {
      status: 'Closed',
      substatus: 'Won',
    });
    expect(
      isNewer(won, { updatedDateTime: linked.updatedDateTime ?? null, eTag: linked.eTag ?? null }),
    ).toBe(true);
    expect(
      fromReferral(won, created, { orgCurrency: 'USD', multiCurrency: false }).updates,
    ).toMatchObject({
      StageName: 'Closed Won',
      Partner_Center_Status__c: 'Closed',
      Partner_Center_Substatus__c: 'Won',
    });
  });
});
