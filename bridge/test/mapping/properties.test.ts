/**
 * Property-based tests: whatever a seller types (or Partner Center sends), the mapping never
 * throws, never lets invalid data through, and converges (a patch applied once leaves nothing to
 * send; what we create reads back without inbound churn).
 */
import fc from 'fast-check';

import {
  ISO_3166_ALPHA2,
  ISO_4217_CURRENCIES,
  compareInstants,
  desiredReferralState,
  diffReferral,
  fromReferral,
  isNewer,
  matchTeam,
  planReferralUpdate,
  toReferralCreate,
  truncate,
  validateForSubmit,
} from '../../src/mapping';
import { parsePointer, setAt } from '../../src/mapping/json-pointer';
import {
  type JsonPatchOperation,
  type OpportunitySnapshot,
  REFERRAL_LIMITS,
  type Referral,
  ReferralCreateSchema,
  ReferralSchema,
} from '../../src/schemas';
import { referral, snapshot } from './fixtures';

const RUNS = { numRuns: 200 };

const unicode = fc.string({ unit: 'grapheme', maxLength: 300 });
const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
const anyText = fc.oneof(
  unicode,
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constant(''),
  fc.constant('   '),
);

const countryLike = fc.oneof(
  fc.constantFrom(...ISO_3166_ALPHA2),
  fc.constantFrom('UK', 'XK', 'EU', 'AC', 'QO', 'ZZ', 'se', ' us ', 'Sweden', 'USA', '12', 'Ü'),
  fc.string({ minLength: 0, maxLength: 3 }),
);
const currencyLike = fc.oneof(
  fc.constantFrom(...ISO_4217_CURRENCIES),
  fc.constantFrom('usd', 'XBT', 'BTC', 'DEM', 'XAU', '€', ''),
  fc.string({ minLength: 3, maxLength: 3 }),
);
const amountLike = fc.oneof(
  fc.double({ noNaN: false }),
  fc.double({ min: 0.01, max: 1e12, noNaN: true }),
  fc.constantFrom(
    0,
    -0,
    -1,
    1e300,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    Number.NaN,
    Number.POSITIVE_INFINITY,
  ),
);
const calendarDate = fc
  .date({
    min: new Date('1900-01-01T00:00:00Z'),
    max: new Date('9999-12-31T00:00:00Z'),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString().slice(0, 10));
const dateLike = fc.oneof(
  calendarDate,
  fc.constantFrom('2026-02-29', '2024-02-29', '0000-01-01', '1899-12-31', '2026-13-01'),
);
const helpLike = fc.constantFrom(
  null,
  '',
  'Unknown',
  'GeneralOrOther',
  'QuotesOrLicensing',
  'Nope',
);

const snapshotArb: fc.Arbitrary<OpportunitySnapshot> = fc
  .record({
    name: anyText,
    amount: nullable(amountLike),
    closeDate: nullable(dateLike),
    description: nullable(anyText),
    currencyIsoCode: nullable(currencyLike),
    referralCurrency: nullable(currencyLike),
    orgCurrency: nullable(currencyLike),
    helpNeeded: helpLike,
    visibility: fc.constantFrom(null, 'Private' as const, 'Shared with Microsoft sellers' as const),
    isClosed: fc.boolean(),
    isWon: fc.boolean(),
    account: nullable(
      fc.record({
        id: fc.constant('001X'),
        name: anyText,
        country: nullable(countryLike),
        street: nullable(anyText),
        city: nullable(anyText),
        state: nullable(anyText),
        postalCode: nullable(anyText),
      }),
    ),
    customerContact: nullable(
      fc.record({
        id: fc.constant('003X'),
        firstName: nullable(anyText),
        lastName: nullable(anyText),
        email: nullable(fc.oneof(fc.emailAddress(), anyText)),
        phone: nullable(anyText),
      }),
    ),
    owner: nullable(
      fc.record({
        id: fc.constant('005X'),
        email: nullable(fc.emailAddress()),
        name: nullable(anyText),
      }),
    ),
    solutions: fc.array(
      fc.record({
        solutionId: nullable(fc.oneof(fc.constant('SOL-1'), anyText)),
        name: nullable(anyText),
      }),
      {
        maxLength: 3,
      },
    ),
  })
  .map((parts) => snapshot({ ...parts, isWon: parts.isClosed && parts.isWon }));

/** No lone surrogate (String#isWellFormed is ES2024, beyond this tsconfig's lib). */
const wellFormed = (text: string) => !/[\uD800-\uDFFF]/u.test(text);

/** Applies a replace/add-only JSON Patch to plain objects (what the Referrals API accepts). */
function applyPatch(document: Referral, patch: readonly JsonPatchOperation[]): Referral {
  const copy = structuredClone(document) as Record<string, unknown>;
  for (const op of patch) setAt(copy, parsePointer(op.path), structuredClone(op.value));
  return copy as Referral;
}

describe('mapping properties', () => {
  it('never throws on arbitrary Salesforce data', () => {
    fc.assert(
      fc.property(snapshotArb, (s) => {
        validateForSubmit(s);
        toReferralCreate(s);
        planReferralUpdate(referral(), s);
        planReferralUpdate(referral({ status: 'Closed', substatus: 'Won' }), s);
      }),
      RUNS,
    );
  });

  it('R11/R16/R17: whatever validation lets through is a body Partner Center accepts', () => {
    fc.assert(
      fc.property(snapshotArb, (s) => {
        const problems = validateForSubmit(s);
        const result = toReferralCreate(s);
        expect(result.ok).toBe(problems.length === 0);
        if (!result.ok) return;
        const body = ReferralCreateSchema.parse(result.value);
        expect(ISO_3166_ALPHA2.has(body.customerProfile.address.country)).toBe(true);
        expect(ISO_4217_CURRENCIES.has(body.details.currency)).toBe(true);
        expect(Number.isFinite(body.details.dealValue) && body.details.dealValue > 0).toBe(true);
        expect(Number.isNaN(Date.parse(body.details.closingDateTime))).toBe(false);
        expect(body.details.requirements.solutions.length).toBeGreaterThan(0);
        expect(body.name.trim().length).toBeGreaterThan(0);
        expect(body.name.length).toBeLessThanOrEqual(REFERRAL_LIMITS.name);
        expect((body.details.notes ?? '').length).toBeLessThanOrEqual(REFERRAL_LIMITS.notes);
        expect(wellFormed(body.name) && wellFormed(body.details.notes ?? '')).toBe(true);
        if (body.inviteContext)
          expect(body.customerProfile.team.some((m) => m.email.includes('@'))).toBe(true);
      }),
      RUNS,
    );
  });

  it('R16: a two-letter country passes exactly when it is an assigned ISO 3166-1 code', () => {
    const letters = fc.string({
      unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'),
      minLength: 2,
      maxLength: 2,
    });
    fc.assert(
      fc.property(letters, (code) => {
        const s = snapshot({ account: { ...snapshot().account!, country: code } });
        const countryProblems = validateForSubmit(s).filter((p) => p.code.startsWith('country'));
        expect(countryProblems.length === 0).toBe(ISO_3166_ALPHA2.has(code.toUpperCase()));
      }),
      { numRuns: 500 },
    );
  });

  it('R1: a patch applied once leaves nothing to send (diff converges, diff(x, x) is empty)', () => {
    fc.assert(
      fc.property(snapshotArb, (s) => {
        const current = referral();
        const desired = desiredReferralState(s, current);
        if (!desired.ok) return;
        const patch = diffReferral(current, desired.value);
        expect(patch.every((op) => op.op === 'replace' || op.op === 'add')).toBe(true);
        expect(new Set(patch.map((op) => op.path)).size).toBe(patch.length);
        const after = ReferralSchema.parse(applyPatch(current, patch));
        expect(diffReferral(after, desired.value)).toEqual([]);
      }),
      RUNS,
    );
  });

  it('create → inbound round-trips the fields both sides own (no echo churn)', () => {
    fc.assert(
      fc.property(snapshotArb, (s) => {
        const created = toReferralCreate(s);
        if (!created.ok) return;
        const echoed = ReferralSchema.parse({
          ...created.value,
          id: 'ref-1',
          status: 'Active',
          substatus: 'Accepted',
        });
        const { updates } = fromReferral(echoed, s, {
          orgCurrency: s.orgCurrency,
          multiCurrency: s.currencyIsoCode !== null,
        });
        const converted = created.warnings.some((w) => w.code === 'currency-converted');
        if (!converted) {
          expect(updates).not.toHaveProperty('Amount');
          expect(updates).not.toHaveProperty('Referral_Currency__c');
        }
        expect(updates).not.toHaveProperty('CloseDate');
        expect(updates).not.toHaveProperty('Description');
      }),
      RUNS,
    );
  });

  it('inbound mapping never throws on arbitrary referral JSON', () => {
    const referralArb = fc
      .record({
        id: fc.string({ minLength: 1, maxLength: 40 }),
        status: nullable(fc.constantFrom('New', 'Active', 'Closed', 'None', 'Weird')),
        substatus: nullable(fc.constantFrom('Pending', 'Won', 'Lost', 'Declined', 'Expired', 'x')),
        name: nullable(anyText),
        updatedDateTime: nullable(
          fc.oneof(
            fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
            anyText,
          ),
        ),
        details: nullable(
          fc.record({
            dealValue: nullable(amountLike),
            currency: nullable(currencyLike),
            closingDateTime: nullable(
              fc.oneof(
                anyText,
                fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
              ),
            ),
            notes: nullable(anyText),
          }),
        ),
        customerProfile: nullable(
          fc.record({
            name: nullable(anyText),
            address: nullable(
              fc.record({ country: nullable(countryLike), city: nullable(anyText) }),
            ),
            team: nullable(
              fc.array(fc.record({ email: nullable(anyText), lastName: nullable(anyText) }), {
                maxLength: 3,
              }),
            ),
          }),
        ),
        team: nullable(
          fc.array(fc.record({ email: nullable(fc.oneof(fc.emailAddress(), anyText)) }), {
            maxLength: 4,
          }),
        ),
      })
      // Through JSON, as it arrives on the wire (no Infinity/NaN/undefined there).
      .map((r) => ReferralSchema.parse(JSON.parse(JSON.stringify(r))));
    fc.assert(
      fc.property(referralArb, snapshotArb, fc.boolean(), (r, s, multi) => {
        const options = {
          orgCurrency: 'USD',
          multiCurrency: multi,
          conversionRates: { USD: 1, EUR: 0.9 },
        };
        const result = fromReferral(r, s, options);
        for (const value of Object.values(result.updates)) {
          if (typeof value === 'number') expect(Number.isFinite(value)).toBe(true);
        }
        isNewer(r, { updatedDateTime: s.lastModifiedDate, eTag: null });
      }),
      RUNS,
    );
  });

  it('R4: team matching returns every member exactly once', () => {
    const member = fc.record({
      email: nullable(fc.oneof(fc.emailAddress(), anyText)),
      firstName: nullable(anyText),
    });
    const user = fc.record({ id: fc.string({ minLength: 1 }), email: nullable(fc.emailAddress()) });
    fc.assert(
      fc.property(
        fc.array(member, { maxLength: 8 }),
        fc.array(user, { maxLength: 8 }),
        (team, users) => {
          const result = matchTeam(team, users);
          expect(result.matched.length + result.unmatched.length).toBe(team.length);
          expect(result.ownerId).toBe(result.matched[0]?.userId ?? null);
        },
      ),
      RUNS,
    );
  });

  it('truncation keeps a well-formed prefix within the limit', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 400 }),
        fc.integer({ min: 0, max: 200 }),
        (text, max) => {
          const cut = truncate(text, max);
          expect(cut.text.length).toBeLessThanOrEqual(max);
          expect(text.startsWith(cut.text)).toBe(true);
          expect(wellFormed(cut.text)).toBe(true);
          expect(cut.truncated).toBe(text.length > max);
        },
      ),
      RUNS,
    );
  });

  it('isNewer orders distinct instants one way only', () => {
    const instant = fc
      .tuple(
        fc.date({
          min: new Date('2000-01-01Z'),
          max: new Date('2100-01-01Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 0, max: 9_999_999 }),
      )
      .map(([d, frac]) => `${d.toISOString().slice(0, 19)}.${String(frac).padStart(7, '0')}Z`);
    fc.assert(
      fc.property(instant, instant, (a, b) => {
        const ab = isNewer(
          { updatedDateTime: a, eTag: '"x"' },
          { updatedDateTime: b, eTag: '"x"' },
        );
        const ba = isNewer(
          { updatedDateTime: b, eTag: '"x"' },
          { updatedDateTime: a, eTag: '"x"' },
        );
        // `+ 0` folds -0 into 0: equal instants compare as 0 both ways (Object.is tells them apart).
        expect(compareInstants(a, b) + 0).toBe(-compareInstants(b, a) + 0);
        if (a === b) expect([ab, ba]).toEqual([false, false]);
        else expect(ab !== ba).toBe(true);
      }),
      RUNS,
    );
  });
});
