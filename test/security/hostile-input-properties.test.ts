/**
 * Issue 7, property-based hostile input (fast-check) on the pure code that meets untrusted data
 * first. bridge/test/mapping/properties.test.ts already covers the outbound mapping, validation,
 * diff/patch convergence and fromReferral; this file adds what it does not:
 *
 * - R18 inbound create (`referralToNewRecords`): a Microsoft referral with arbitrary Unicode,
 *   overlong text, odd currencies and countries, nulls, huge/negative values and edge dates
 *   never throws and always yields records Salesforce accepts (lengths, picklists, dates).
 * - The webhook's pre-authentication parsing: the certificate URL check never lets a host off
 *   the allow-list through (SSRF), and the event parser only ever rejects with a 400.
 * - The logger: a configured secret never reaches a written line, wherever it is put.
 */
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { createLogger } from '../../bridge/src/log';
import {
  ISO_3166_ALPHA2,
  ISO_4217_CURRENCIES,
  referralToNewRecords,
  type NewRecordOptions,
} from '../../bridge/src/mapping';
import { ReferralSchema } from '../../bridge/src/schemas';
import {
  checkCertificateUrl,
  parseWebhookEvent,
  WebhookRejectedError,
} from '../../bridge/src/webhook';

const RUNS = { numRuns: 150 };
const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });

const hostileText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  // Overlong: past every Salesforce text limit (Description is 32,000), built cheaply.
  fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 8 })
    .map((s) => s.repeat(33_000 / s.length + 1)),
  fc.constantFrom(
    '',
    '   ',
    '\u0000',
    '\u202e gnp.exe',
    'Ω≈ç√∫',
    '👩‍👩‍👧‍👦'.repeat(70),
    '"); DROP TABLE--',
  ),
);
const country = fc.oneof(
  fc.constantFrom(...ISO_3166_ALPHA2),
  fc.constantFrom('UK', 'EU', 'XK', 'ZZ', 'us', ' SE ', 'Sverige', '', 'ÅÄ', '12'),
  fc.string({ maxLength: 4 }),
);
const currency = fc.oneof(
  fc.constantFrom(...ISO_4217_CURRENCIES),
  fc.constantFrom('usd', 'XBT', 'BTC', 'XAU', 'XXX', '€', '', 'US D'),
  fc.string({ maxLength: 4 }),
);
const dealValue = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, -1, -1e18, 1e18, 1e300, Number.MAX_SAFE_INTEGER, 0.005, 123.456),
  fc.constantFrom('10000', '-5', '1e400', 'abc', ''),
);
const instant = fc.oneof(
  fc
    .date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom(
    '2024-02-29T00:00:00Z',
    '2026-02-29T00:00:00Z',
    '1970-01-01T00:00:00.0000000+00:00',
    '9999-12-31T23:59:59.9999999Z',
    '0000-00-00T00:00:00Z',
    'tomorrow',
    '',
  ),
);
const member = fc.record(
  {
    firstName: nullable(hostileText),
    lastName: nullable(hostileText),
    email: nullable(fc.oneof(fc.emailAddress(), hostileText)),
    phoneNumber: nullable(hostileText),
  },
  { requiredKeys: [] },
);

const referralArb = fc
  .record(
    {
      id: fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 40 })),
      name: nullable(hostileText),
      status: nullable(fc.constantFrom('New', 'Active', 'Closed', 'Bogus')),
      substatus: nullable(fc.constantFrom('Pending', 'Accepted', 'Won', 'Lost', 'Declined', '?')),
      updatedDateTime: nullable(instant),
      customerProfile: nullable(
        fc.record(
          {
            name: nullable(hostileText),
            address: nullable(
              fc.record(
                {
                  addressLine1: nullable(hostileText),
                  addressLine2: nullable(hostileText),
                  city: nullable(hostileText),
                  state: nullable(hostileText),
                  postalCode: nullable(hostileText),
                  country: nullable(country),
                },
                { requiredKeys: [] },
              ),
            ),
            team: nullable(fc.array(member, { maxLength: 3 })),
          },
          { requiredKeys: [] },
        ),
      ),
      details: nullable(
        fc.record(
          {
            dealValue: nullable(dealValue),
            currency: nullable(currency),
            closingDateTime: nullable(instant),
            notes: nullable(hostileText),
            requirements: nullable(
              fc.record({
                solutions: fc.array(fc.record({ id: nullable(hostileText) }), { maxLength: 3 }),
              }),
            ),
          },
          { requiredKeys: [] },
        ),
      ),
      team: nullable(fc.array(member, { maxLength: 3 })),
    },
    { requiredKeys: ['id'] },
  )
  // As it arrives on the wire: JSON, then the bridge's own zod boundary.
  .map((raw) => ReferralSchema.safeParse(JSON.parse(JSON.stringify(raw))))
  .filter((parsed) => parsed.success)
  .map((parsed) => parsed.data!);

const options = (multiCurrency: boolean): NewRecordOptions => ({
  orgCurrency: 'USD',
  multiCurrency,
  conversionRates: { USD: 1, EUR: 0.92, SEK: 10.5 },
  users: [{ id: '005000000000001AAA', email: 'seller@cosell.example' }],
  now: new Date('2026-11-30T00:00:00Z'),
});

const ISO_COUNTRIES = new Set<string>(ISO_3166_ALPHA2);
const ISO_CURRENCIES = new Set<string>(ISO_4217_CURRENCIES);
/** Salesforce Currency(16, 2): 14 digits before the point. */
const MAX_AMOUNT = 1e14;

describe('R18: a Microsoft-created referral always becomes records Salesforce accepts', () => {
  it('never throws, respects field limits and picklists, and is deterministic', () => {
    fc.assert(
      fc.property(referralArb, fc.boolean(), (referral, multi) => {
        const records = referralToNewRecords(referral, options(multi));
        const again = referralToNewRecords(referral, options(multi));
        expect(again).toEqual(records); // pure: no clock, no randomness

        const o = records.opportunity;
        expect(o.Partner_Center_Referral_Id__c).toBe(referral.id);
        expect(typeof o.Name === 'string' && o.Name.trim().length > 0).toBe(true);
        expect(String(o.Name).length).toBeLessThanOrEqual(120);
        if (o.Description !== undefined && o.Description !== null) {
          expect(String(o.Description).length).toBeLessThanOrEqual(32_000);
        }
        if (o.Amount !== undefined && o.Amount !== null) {
          expect(Number.isFinite(o.Amount)).toBe(true);
          expect(Math.abs(Number(o.Amount))).toBeLessThan(MAX_AMOUNT);
        }
        expect(String(o.CloseDate)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(Number.isNaN(Date.parse(`${String(o.CloseDate)}T00:00:00Z`))).toBe(false);
        expect(typeof o.StageName).toBe('string');
        if (o.Referral_Currency__c !== undefined && o.Referral_Currency__c !== null) {
          expect(ISO_CURRENCIES.has(String(o.Referral_Currency__c))).toBe(true);
        }

        const { account, contact } = records;
        expect(account.name.trim().length).toBeGreaterThan(0);
        expect(account.name.length).toBeLessThanOrEqual(255);
        if (account.country !== null) expect(ISO_COUNTRIES.has(account.country)).toBe(true);
        if (contact) {
          expect(contact.lastName.trim().length).toBeGreaterThan(0);
          expect(contact.lastName.length).toBeLessThanOrEqual(80);
        }
        for (const id of records.solutionIds) expect(id.trim()).toBe(id);
      }),
      RUNS,
    );
  });
});

describe('webhook input before authentication', () => {
  const ALLOWED = ['3psostorageacct.blob.core.windows.net', '127.0.0.1:4010'];
  const allowedHostnames = new Set(['3psostorageacct.blob.core.windows.net', '127.0.0.1']);

  const trickyUrl = fc.oneof(
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    fc.constantFrom(
      'https://3psostorageacct.blob.core.windows.net@evil.example/cert.cer',
      'https://evil.example/3psostorageacct.blob.core.windows.net/cert.cer',
      'https://3psostorageacct.blob.core.windows.net.evil.example/cert.cer',
      'https://3PSOSTORAGEACCT.BLOB.CORE.WINDOWS.NET./cert.cer',
      'https://user:pass@3psostorageacct.blob.core.windows.net/cert.cer',
      'http://3psostorageacct.blob.core.windows.net/cert.cer',
      'http://127.0.0.1:4011/cert.cer',
      'http://127.1:4010/cert.cer',
      'http://0x7f.0.0.1:4010/cert.cer',
      'http://[::ffff:127.0.0.1]:4010/cert.cer',
      'http://localhost:4010/cert.cer',
      'file:///etc/passwd',
      'gopher://127.0.0.1:4010/_x',
      'https://xn--3psostorageacct-xyz.blob.core.windows.net/cert.cer',
      'https://3psostorageacct.blob.core.windows.net%2f@evil.example/',
      '//3psostorageacct.blob.core.windows.net/cert.cer',
      '',
    ),
    fc.string({ maxLength: 80 }),
  );

  it('SSRF: a certificate URL is accepted only on an allow-listed host, over https or loopback http', () => {
    fc.assert(
      fc.property(trickyUrl, (raw) => {
        let url: URL;
        try {
          url = checkCertificateUrl(raw, ALLOWED);
        } catch (error) {
          expect(error).toBeInstanceOf(WebhookRejectedError);
          expect((error as WebhookRejectedError).status).toBe(401);
          return;
        }
        expect(allowedHostnames.has(url.hostname.toLowerCase())).toBe(true);
        expect(url.username + url.password).toBe('');
        if (url.hostname === '127.0.0.1') expect(url.port).toBe('4010');
        else expect(url.protocol).toBe('https:');
      }),
      { numRuns: 1_000 },
    );
  });

  it('the event parser rejects anything that is not an event with a 400, and never throws otherwise', () => {
    const bodies = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
      fc.json().map((text) => Buffer.from(text)),
      fc
        .record({
          EventName: fc.oneof(
            fc.constantFrom('referral-created', 'referral-updated', 'test-created', 'x'),
            fc.string(),
          ),
          ResourceUri: fc.oneof(
            fc.webUrl(),
            fc.constantFrom(
              'https://api.partnercenter.microsoft.com/engagements/v1/referrals/../../admin',
              'https://api.partnercenter.microsoft.com/engagements/v1/referrals/%2e%2e',
              'https://api.partnercenter.microsoft.com/engagements/v1/referrals/a%2Fb',
              'https://api.partnercenter.microsoft.com/engagements/v1/referrals/%E0%A4%A',
            ),
            fc.string(),
          ),
          ResourceChangeUtcDate: nullable(fc.string()),
        })
        .map((event) => Buffer.from(JSON.stringify(event))),
    );
    fc.assert(
      fc.property(bodies, (body) => {
        try {
          const event = parseWebhookEvent(body);
          if (event.kind === 'referral') {
            // The id later goes into a URL path and SQL parameters: it must be one safe segment.
            expect(event.referralId).toMatch(/^[A-Za-z0-9._~-]{1,128}$/);
            expect(['.', '..']).not.toContain(event.referralId);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(WebhookRejectedError);
          expect((error as WebhookRejectedError).status).toBe(400);
        }
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('the logger never writes a configured secret', () => {
  const secretArb = fc.oneof(
    fc.string({
      unit: fc.constantFrom(
        ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-.~!$%&*'.split(''),
      ),
      minLength: 8,
      maxLength: 64,
    }),
    fc
      .string({ unit: 'grapheme', minLength: 8, maxLength: 24 })
      .filter((s) => s.trim().length >= 8),
    fc.constantFrom('pa"ss\\word\n42', 'sécret-Ω-密码-🔑', '-----BEGIN PRIVATE KEY-----\nMIIE\n'),
  );

  it('wherever the secret is put (message, field, nested, error, URL), no written line contains it', () => {
    fc.assert(
      fc.property(secretArb, (secret) => {
        fc.pre(!'[REDACTED]'.includes(secret));
        const lines: string[] = [];
        const destination = new Writable({
          write(chunk: Buffer, _encoding, done) {
            lines.push(chunk.toString());
            done();
          },
        });
        const logger = createLogger(
          { level: 'trace', environment: 'emulator', secrets: [secret] },
          { destination },
        );
        logger.info(`token is ${secret}`);
        logger.warn({ detail: secret, nested: { deeper: [`x${secret}y`] } }, 'field');
        logger.error({ err: new Error(`login failed for ${secret}`) }, 'error');
        logger.debug(
          {
            url: `https://login.example/token?client_secret=${encodeURIComponent(secret)}&password=${secret}`,
          },
          'url',
        );
        const written = lines.join('');
        expect(lines.length).toBe(4);
        expect(written).not.toContain(secret);
        expect(written).not.toContain(JSON.stringify(secret).slice(1, -1));
      }),
      { numRuns: 200 },
    );
  });
});
