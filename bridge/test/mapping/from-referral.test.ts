import {
  compareInstants,
  fromReferral,
  isNewer,
  matchTeam,
  referralToNewRecords,
  toReferralCreate,
} from '../../src/mapping';
import { referral, snapshot } from './fixtures';

const single = { orgCurrency: 'USD', multiCurrency: false } as const;

describe('fromReferral (existing opportunity)', () => {
  it('returns no updates when Partner Center matches Salesforce (duplicate delivery is a no-op)', () => {
    const s = snapshot({
      referralId: 'ref-0001',
      engagementId: 'eng-0001',
      partnerCenterStatus: 'Active',
      partnerCenterSubstatus: 'Accepted',
    });
    expect(fromReferral(referral(), s, single)).toEqual({ updates: {}, warnings: [] });
  });

  it('applies the fields Partner Center shares: deal value, closing date, notes, status', () => {
    const r = referral({
      status: 'Active',
      substatus: 'Accepted',
      details: {
        ...referral().details,
        dealValue: 62000.5,
        closingDateTime: '2026-05-01T00:00:00Z',
        notes: 'MS: expand',
      },
      trackingInfo: { microsoftMsxId: '7-ABCDEF' },
    });
    const { updates } = fromReferral(r, snapshot(), single);
    expect(updates).toEqual({
      Partner_Center_Referral_Id__c: 'ref-0001',
      Partner_Center_Referral_Link__c: expect.stringMatching(/ref-0001$/),
      Partner_Center_Engagement_Id__c: 'eng-0001',
      Partner_Center_Status__c: 'Active',
      Partner_Center_Substatus__c: 'Accepted',
      Microsoft_CRM_Id__c: '7-ABCDEF',
      Amount: 62000.5,
      CloseDate: '2026-05-01',
      Description: 'MS: expand',
    });
  });

  it('never writes fields Salesforce owns (name, help code) onto an existing opportunity', () => {
    const r = referral({
      name: 'Renamed in Partner Center',
      inviteContext: { assistanceRequestCode: 'GeneralOrOther' },
    });
    const { updates } = fromReferral(r, snapshot({ referralId: 'ref-0001' }), single);
    expect(updates).not.toHaveProperty('Name');
    expect(updates).not.toHaveProperty('Co_Sell_Help_Needed__c');
    // …but a referral shared in Partner Center marks the opportunity shared (one-way).
    expect(updates.Partner_Center_Visibility__c).toBe('Shared with Microsoft sellers');
  });

  it('R18: Closed/Won and Closed/Lost in Partner Center close the opportunity', () => {
    const won = fromReferral(
      referral({ status: 'Closed', substatus: 'Won' }),
      snapshot(),
      single,
    ).updates;
    expect(won).toMatchObject({
      StageName: 'Closed Won',
      Partner_Center_Status__c: 'Closed',
      Partner_Center_Substatus__c: 'Won',
    });
    const lost = fromReferral(referral({ status: 'Closed', substatus: 'Lost' }), snapshot(), {
      ...single,
      stageNames: { wonStage: 'Won', lostStage: 'Dead' },
    }).updates;
    expect(lost.StageName).toBe('Dead');
    const declined = fromReferral(
      referral({ status: 'Closed', substatus: 'Declined' }),
      snapshot(),
      single,
    ).updates;
    expect(declined).not.toHaveProperty('StageName');
    // Already won under the seller's own stage name: keep it.
    const alreadyWon = snapshot({ stageName: 'Signed', isClosed: true, isWon: true });
    expect(
      fromReferral(referral({ status: 'Closed', substatus: 'Won' }), alreadyWon, single).updates,
    ).not.toHaveProperty('StageName');
  });

  it('R3: in a single-currency org the deal value is taken as is in the referral currency', () => {
    const linked = {
      referralId: 'ref-0001',
      engagementId: 'eng-0001',
      partnerCenterStatus: 'Active',
      partnerCenterSubstatus: 'Accepted',
    };
    const r = referral({ details: { ...referral().details, dealValue: 900, currency: 'EUR' } });
    // Referral Currency names the currency the Amount is in: no rate is asked for or used.
    const result = fromReferral(r, snapshot({ ...linked, referralCurrency: null }), {
      ...single,
      conversionRates: { USD: 1, EUR: 0.9 },
    });
    expect(result).toEqual({
      updates: { Amount: 900, Referral_Currency__c: 'EUR' },
      warnings: [],
    });
    // Already in EUR with that amount: nothing to write.
    const same = snapshot({ ...linked, referralCurrency: 'EUR', amount: 900 });
    expect(fromReferral(r, same, single).updates).toEqual({});
    // No currency on the referral: the amount is in the currency the opportunity already names.
    const bare = referral({ details: { ...referral().details, dealValue: 70, currency: null } });
    expect(fromReferral(bare, same, single).updates).toEqual({ Amount: 70 });
  });

  it('R3: a new single-currency opportunity keeps the referral currency and its amount', () => {
    const r = referral({ details: { dealValue: 10, currency: 'SEK' } });
    const records = referralToNewRecords(r, { ...single, users: [], now: new Date() });
    expect(records.opportunity).toMatchObject({ Amount: 10, Referral_Currency__c: 'SEK' });
    expect(records.opportunity).not.toHaveProperty('CurrencyIsoCode');
    expect(records.warnings).not.toContainEqual(
      expect.objectContaining({ code: 'deal-value-not-applied' }),
    );
  });

  it('R3: in a multi-currency org the deal value is converted into CurrencyIsoCode, or left alone with a warning', () => {
    const r = referral({ details: { ...referral().details, dealValue: 900, currency: 'EUR' } });
    const inUsd = snapshot({ referralCurrency: null, currencyIsoCode: 'USD' });
    const multi = { orgCurrency: 'USD', multiCurrency: true } as const;
    const converted = fromReferral(r, inUsd, { ...multi, conversionRates: { USD: 1, EUR: 0.9 } });
    expect(converted.updates).toMatchObject({ Amount: 1000, Referral_Currency__c: 'EUR' });
    const unconverted = fromReferral(r, inUsd, multi);
    expect(unconverted.updates).not.toHaveProperty('Amount');
    expect(unconverted.warnings).toEqual([
      expect.objectContaining({ code: 'deal-value-not-applied' }),
    ]);
  });

  it('an echo of our own notes truncation does not shorten the description', () => {
    const long = 'x'.repeat(5000);
    const created = toReferralCreate(snapshot({ description: long }));
    if (!created.ok) throw new Error('fixture invalid');
    const echoed = referral({
      details: { ...referral().details, notes: created.value.details.notes },
    });
    expect(
      fromReferral(echoed, snapshot({ description: long }), single).updates,
    ).not.toHaveProperty('Description');
    // A real edit in Partner Center still comes through.
    const edited = referral({ details: { ...referral().details, notes: 'short now' } });
    expect(fromReferral(edited, snapshot({ description: long }), single).updates.Description).toBe(
      'short now',
    );
  });

  it('R3: an echo of our own currency conversion does not move Amount by a rounding cent', () => {
    const rates = { conversionRates: { USD: 1, EUR: 0.3 } };
    // Conversion happens only in a multi-currency org (Amount in the opportunity's USD).
    const s = snapshot({ amount: 0.05, referralCurrency: 'EUR', currencyIsoCode: 'USD' });
    const created = toReferralCreate(s, rates);
    if (!created.ok) throw new Error('fixture invalid');
    expect(created.value.details.dealValue).toBe(0.02); // converting 0.02 back would give 0.07
    const echoed = referral({
      details: { ...referral().details, dealValue: 0.02, currency: 'EUR' },
    });
    const multi = { orgCurrency: 'USD', multiCurrency: true, ...rates };
    expect(fromReferral(echoed, s, multi).updates).not.toHaveProperty('Amount');
    const changed = referral({ details: { ...referral().details, dealValue: 3, currency: 'EUR' } });
    expect(fromReferral(changed, s, multi).updates.Amount).toBe(10);
  });

  it('ignores garbage from the wire instead of writing it', () => {
    const r = referral({
      details: { ...referral().details, currency: 'DOLLARS', closingDateTime: 'soon' },
    });
    const { updates, warnings } = fromReferral(r, snapshot(), single);
    expect(updates).not.toHaveProperty('CloseDate');
    expect(updates).not.toHaveProperty('Amount');
    expect(warnings.map((w) => w.code)).toEqual(['invalid-inbound-value', 'invalid-inbound-value']);
  });
});

describe('referralToNewRecords (R18)', () => {
  const microsoftReferral = referral({
    id: 'ref-ms-1',
    externalReferenceId: null,
    name: 'Fabrikam data platform',
    status: 'New',
    substatus: 'Received',
    customerProfile: {
      name: 'Fabrikam Inc',
      address: {
        addressLine1: '1 Main St',
        addressLine2: 'Floor 2',
        city: 'Seattle',
        state: 'WA',
        country: 'US',
      },
      team: [
        { firstName: 'Pat', lastName: 'Buyer', email: 'pat@fabrikam.example', phoneNumber: '555' },
      ],
    },
    inviteContext: {
      assistanceRequestCode: 'GeneralOrOther',
      invitedBy: { organizationId: 'msft' },
    },
    team: [
      { firstName: 'Sam', lastName: 'Microsoft', email: 'sam@microsoft.example' },
      { firstName: 'Ada', lastName: 'Seller', email: 'ADA.Seller@Partner.Example' },
    ],
  });
  const users = [
    { id: '005A', email: 'someone@partner.example' },
    { id: '005B', email: 'ada.seller@partner.example' },
  ];

  it('builds account (name + country), contact and a synced opportunity', () => {
    const records = referralToNewRecords(microsoftReferral, {
      ...single,
      users,
      now: new Date('2026-01-01T00:00:00Z'),
    });
    expect(records.account).toEqual({
      name: 'Fabrikam Inc',
      country: 'US',
      street: '1 Main St\nFloor 2',
      city: 'Seattle',
      state: 'WA',
      postalCode: null,
    });
    expect(records.contact).toEqual({
      firstName: 'Pat',
      lastName: 'Buyer',
      email: 'pat@fabrikam.example',
      phone: '555',
    });
    expect(records.opportunity).toMatchObject({
      Name: 'Fabrikam data platform',
      Sync_with_Partner_Center__c: true,
      Partner_Center_Referral_Id__c: 'ref-ms-1',
      Partner_Center_Status__c: 'New',
      Partner_Center_Substatus__c: 'Received',
      StageName: 'Prospecting',
      CloseDate: '2026-03-31',
      Amount: 50000,
      Referral_Currency__c: 'USD',
      Co_Sell_Help_Needed__c: 'GeneralOrOther',
      Partner_Center_Visibility__c: 'Shared with Microsoft sellers',
    });
    expect(records.solutionIds).toEqual(['SOL-15974-MQF']);
  });

  it('R4: the team member who is a Salesforce user becomes owner; the other is kept and reported', () => {
    const records = referralToNewRecords(microsoftReferral, {
      ...single,
      users,
      now: new Date('2026-01-01T00:00:00Z'),
    });
    expect(records.team.ownerId).toBe('005B');
    expect(records.team.unmatched).toEqual([
      expect.objectContaining({ email: 'sam@microsoft.example' }),
    ]);
    expect(records.warnings).toEqual([
      expect.objectContaining({
        code: 'team-member-unmatched',
        message: expect.stringContaining('sam@microsoft.example'),
      }),
    ]);
  });

  it('uses the passed-in clock for a missing closing date and sets the currency in multi-currency orgs', () => {
    const noDate = referral({ details: { dealValue: 10, currency: 'SEK' } });
    const records = referralToNewRecords(noDate, {
      orgCurrency: 'USD',
      multiCurrency: true,
      users: [],
      now: new Date('2026-12-15T12:00:00Z'),
    });
    expect(records.opportunity).toMatchObject({
      CloseDate: '2027-03-15',
      CurrencyIsoCode: 'SEK',
      Amount: 10,
    });
  });
});

describe('matchTeam (R4)', () => {
  it('matches case-insensitively, keeps order, and never drops a member', () => {
    const team = [
      { email: ' X@Y.example ' },
      { email: null, firstName: 'No', lastName: 'Email' },
      { email: 'z@y.example' },
    ];
    const result = matchTeam(team, [
      { id: 'u1', email: 'x@y.example' },
      { id: 'u2', email: 'X@y.example' },
      { id: 'u3', email: null },
    ]);
    expect(result.ownerId).toBe('u1');
    expect(result.matched).toEqual([{ member: team[0], userId: 'u1' }]);
    expect(result.unmatched).toEqual([team[1], team[2]]);
    expect(matchTeam(null, [])).toEqual({ ownerId: null, matched: [], unmatched: [] });
  });
});

describe('isNewer: out-of-order and duplicate deliveries', () => {
  const last = { updatedDateTime: '2026-01-10T09:00:05.1234567Z', eTag: '"e1"' };

  it('orders by updatedDateTime at full 7-digit precision', () => {
    expect(isNewer({ updatedDateTime: '2026-01-10T09:00:05.1234568Z', eTag: '"e2"' }, last)).toBe(
      true,
    );
    expect(isNewer({ updatedDateTime: '2026-01-10T09:00:05.1234566Z', eTag: '"e2"' }, last)).toBe(
      false,
    );
    expect(
      isNewer({ updatedDateTime: '2026-01-10T10:00:05.1234567+01:00', eTag: '"e1"' }, last),
    ).toBe(false);
    expect(compareInstants('2026-01-10T09:00:05Z', '2026-01-10T09:00:05.0000000Z')).toBe(0);
  });

  it('treats the same time + same eTag as a duplicate and a first delivery as new', () => {
    expect(isNewer({ updatedDateTime: last.updatedDateTime, eTag: '"e1"' }, last)).toBe(false);
    expect(isNewer({ updatedDateTime: last.updatedDateTime, eTag: '"e9"' }, last)).toBe(true);
    expect(isNewer({ updatedDateTime: null, eTag: null }, null)).toBe(true);
  });
});

describe('round trip', () => {
  it('what we create reads back to the same Salesforce values (no inbound churn)', () => {
    const s = snapshot();
    const created = toReferralCreate(s);
    if (!created.ok) throw new Error('fixture invalid');
    const echoed = referral({ ...created.value, id: 'ref-0001' } as never);
    const { updates } = fromReferral(
      echoed,
      {
        ...s,
        referralId: 'ref-0001',
        engagementId: 'eng-0001',
        partnerCenterStatus: 'Active',
        partnerCenterSubstatus: 'Accepted',
      },
      single,
    );
    expect(updates).toEqual({});
  });
});
