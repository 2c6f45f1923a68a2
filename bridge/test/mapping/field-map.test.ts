// The admin's field mapping (Co_Sell_Field_Map__mdt): the shipped records are today's mapping,
// the doc is rendered from them, and doctor's validation names each kind of invalid record.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type DescribedField,
  type FieldMapRecord,
  FIELD_OWNERSHIP,
  SHIPPED_FIELD_MAP,
  customInboundUpdates,
  customOutboundState,
  fieldMapFromRecords,
  narrowedInboundFields,
  narrowedOutboundPaths,
  ownershipOf,
  renderFieldMappingMarkdown,
  validateFieldMap,
  withPaths,
} from '../../src/mapping';
import { shippedFieldMapRecords } from '../../../scripts/field-map-records';

const DOC = join(__dirname, '../../../docs/FIELD-MAPPING.md');
const squash = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((l) => (l.startsWith('|') ? l.replace(/\s*\|\s*/g, '|').replace(/-{3,}/g, '---') : l))
    .join('\n');

const shipped = () => fieldMapFromRecords(shippedFieldMapRecords());

const OPPORTUNITY = new Map<string, DescribedField>([
  [
    'customer_size__c',
    {
      name: 'Customer_Size__c',
      type: 'picklist',
      updateable: true,
      picklistValues: ['Small', 'Medium'],
    },
  ],
  [
    'lead_quality__c',
    {
      name: 'Lead_Quality__c',
      type: 'picklist',
      updateable: true,
      picklistValues: ['Hot', 'Cold'],
    },
  ],
  ['score__c', { name: 'Score__c', type: 'double', updateable: false }],
  [
    'accountid',
    {
      name: 'AccountId',
      type: 'reference',
      updateable: true,
      relationshipName: 'Account',
      referenceTo: ['Account'],
    },
  ],
]);
const ACCOUNT = new Map<string, DescribedField>([
  ['industry', { name: 'Industry', type: 'picklist', updateable: true }],
]);
const describeObject = (object: string) =>
  object === 'Opportunity' ? OPPORTUNITY : object === 'Account' ? ACCOUNT : undefined;

const custom = (over: Partial<FieldMapRecord> = {}): FieldMapRecord => ({
  DeveloperName: 'CustomerSize',
  Salesforce_Field__c: 'Opportunity.Customer_Size__c',
  Referral_Path__c: '/customerProfile/size',
  Direction__c: 'Both',
  Value_Map__c: 'Small=10to50employees\nMedium=50to1000employees',
  ...over,
});
const problemsOf = (...records: FieldMapRecord[]) => {
  const parsed = fieldMapFromRecords([...shippedFieldMapRecords(), ...records]);
  return [...parsed.problems, ...validateFieldMap(parsed.rules, describeObject)].map(
    (p) => `${p.record}: ${p.message}`,
  );
};

describe('Co_Sell_Field_Map__mdt', () => {
  it("the shipped records reproduce today's mapping (FIELD_OWNERSHIP) row by row", () => {
    const { rules, problems } = shipped();
    expect(problems).toEqual([]);
    expect(rules.map(ownershipOf)).toEqual(FIELD_OWNERSHIP);
    expect(rules.map((r) => ({ ...r, label: r.name }))).toEqual(SHIPPED_FIELD_MAP);
    expect(validateFieldMap(rules, describeObject)).toEqual([]);
  });

  it('docs/FIELD-MAPPING.md is the rendering of the shipped records (regenerate: see its header)', () => {
    expect(squash(readFileSync(DOC, 'utf8'))).toBe(
      squash(renderFieldMappingMarkdown(shipped().rules.map(ownershipOf))),
    );
  });

  it('the shipped mapping narrows nothing; a narrowed built-in drops its fields', () => {
    expect([...narrowedOutboundPaths(SHIPPED_FIELD_MAP, true)]).toEqual([]);
    expect([...narrowedInboundFields(SHIPPED_FIELD_MAP, true)]).toEqual([]);
    const records = shippedFieldMapRecords().map((r) =>
      r.DeveloperName === 'Notes' ? { ...r, Direction__c: 'Outbound' } : r,
    );
    const { rules } = fieldMapFromRecords(records);
    expect([...narrowedInboundFields(rules, true)]).toEqual(['Description']);
    expect([...narrowedOutboundPaths(rules, true)]).toEqual([]);
  });

  it('a valid custom mapping passes', () => {
    expect(problemsOf(custom())).toEqual([]);
  });

  it.each([
    [
      'unknown field',
      custom({ Salesforce_Field__c: 'Opportunity.Nope__c' }),
      "CustomerSize: unknown field Opportunity.Nope__c: Opportunity has no field Nope__c the bridge's user can read (deploy it, or grant it to the bridge's user)",
    ],
    [
      'unknown referral path',
      custom({ Referral_Path__c: '/details/favouriteColour' }),
      'CustomerSize: unknown referral path /details/favouriteColour: a custom mapping may use /customerProfile/size, /customerProfile/address/region, /qualification, /statusReason, /inviteContext/notes, /organizationName, /expirationDateTime, /acceptedDateTime',
    ],
    [
      'picklist value not in the Partner Center enum',
      custom({
        DeveloperName: 'LeadQuality',
        Salesforce_Field__c: 'Opportunity.Lead_Quality__c',
        Referral_Path__c: '/qualification',
        Direction__c: 'Outbound',
        Value_Map__c: 'Hot=SalesQualified\nCold=Lukewarm',
      }),
      'LeadQuality: Value Map: picklist value "Lukewarm" is not one Partner Center accepts for /qualification (None, Direct, MarketingQualified, SalesQualified)',
    ],
    [
      'a referral path a built-in mapping owns',
      custom({
        DeveloperName: 'SizeAgain',
        Referral_Path__c: '/details/notes',
        Direction__c: 'Outbound',
      }),
      'SizeAgain: unknown referral path /details/notes: a custom mapping may use /customerProfile/size, /customerProfile/address/region, /qualification, /statusReason, /inviteContext/notes, /organizationName, /expirationDateTime, /acceptedDateTime',
    ],
    [
      'direction conflict (inbound into a related record)',
      custom({ Salesforce_Field__c: 'Opportunity.Account.Industry', Value_Map__c: null }),
      "CustomerSize: direction conflict: Opportunity.Account.Industry is on a related record; the bridge writes only the opportunity's own fields, so Direction must be Outbound",
    ],
    [
      'direction conflict (outbound to a path Partner Center sets)',
      custom({ Referral_Path__c: '/statusReason', Value_Map__c: null }),
      'CustomerSize: direction conflict: Partner Center sets /statusReason itself, so it can only flow Inbound',
    ],
    [
      'direction conflict (a built-in widened)',
      null,
      'Name: direction conflict: the built-in handler Name cannot go inbound on every change; the shipped record is as far as it goes',
    ],
  ])('%s is refused with a precise message', (_what, record, message) => {
    if (record === null) {
      const records = shippedFieldMapRecords().map((r) =>
        r.DeveloperName === 'Name' ? { ...r, Inbound_When__c: null } : r,
      );
      const { rules } = fieldMapFromRecords(records);
      expect(
        validateFieldMap(rules, describeObject).map((p) => `${p.record}: ${p.message}`),
      ).toEqual([message]);
      return;
    }
    expect(problemsOf(record)).toContain(message);
  });

  it('two custom mappings writing one Salesforce field are a duplicate target', () => {
    expect(
      problemsOf(
        custom(),
        custom({
          DeveloperName: 'SizeTwo',
          Referral_Path__c: '/customerProfile/address/region',
          Value_Map__c: null,
        }),
      ),
    ).toContain(
      'SizeTwo: duplicate target: Salesforce field Opportunity.Customer_Size__c is already written by CustomerSize',
    );
  });

  it('a custom mapping travels through its value map both ways', () => {
    const { rules } = fieldMapFromRecords([custom()]);
    const out = customOutboundState(rules, { Customer_Size__c: 'Medium' }, true);
    expect(out).toEqual({ state: { '/customerProfile/size': '50to1000employees' }, warnings: [] });
    expect(withPaths({ customerProfile: { name: 'X' } }, out.state)).toEqual({
      customerProfile: { name: 'X', size: '50to1000employees' },
    });
    const unknown = customOutboundState(rules, { Customer_Size__c: 'Huge' }, false);
    expect(unknown.state).toEqual({});
    expect(unknown.warnings[0]?.code).toBe('unmapped-value');
    const referral = { customerProfile: { size: '10to50employees' } };
    expect(customInboundUpdates(rules, referral, { Customer_Size__c: 'Medium' }).updates).toEqual({
      Customer_Size__c: 'Small',
    });
    expect(customInboundUpdates(rules, referral, { Customer_Size__c: 'Small' }).updates).toEqual(
      {},
    );
  });
});
