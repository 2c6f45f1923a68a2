/**
 * FIELD OWNERSHIP: which side wins for each mapped field, and why. The mappers read this table
 * (outbound updates send only `outbound: 'create-and-update'` paths; inbound updates write only
 * `inbound: 'create-and-update'` fields), and docs/FIELD-MAPPING.md is rendered from it, so the
 * documentation cannot drift from the behaviour.
 */
import { CUSTOM_REFERRAL_PATHS } from './referral-paths';

export type Owner = 'salesforce' | 'partner-center' | 'latest-change';
/** When a side sends the field: never, only when the record is first created, or on every change. */
export type Flow = 'never' | 'create' | 'create-and-update';

export interface FieldOwnership {
  /** Salesforce field(s), 'Object.Field'. */
  salesforce: readonly string[];
  /** Referral JSON pointer(s). */
  referral: readonly string[];
  owner: Owner;
  /** Salesforce → Partner Center. */
  outbound: Flow;
  /** Partner Center → Salesforce. */
  inbound: Flow;
  why: string;
}

export const FIELD_OWNERSHIP: readonly FieldOwnership[] = Object.freeze([
  {
    salesforce: ['Opportunity.Id'],
    referral: ['/externalReferenceId'],
    owner: 'salesforce',
    outbound: 'create-and-update',
    inbound: 'never',
    why: 'The CRM id is the idempotency key: set at create and written back to Microsoft-created referrals (R18), so a retry finds the referral instead of duplicating it.',
  },
  {
    salesforce: ['Opportunity.Name'],
    referral: ['/name'],
    owner: 'salesforce',
    outbound: 'create-and-update',
    inbound: 'create',
    why: "The seller names the deal in the CRM (Microsoft's connector syncs the name CRM → Partner Center only); a Partner Center name is used only to create a new opportunity.",
  },
  {
    salesforce: ['Opportunity.Amount'],
    referral: ['/details/dealValue'],
    owner: 'latest-change',
    outbound: 'create-and-update',
    inbound: 'create-and-update',
    why: 'Either seller may revise the deal value; the newer change wins (inbound compares updatedDateTime, our own writes are not echoed back). In a single-currency org the Amount is in Referral Currency and travels unconverted both ways; only a multi-currency org converts, between the referral currency and CurrencyIsoCode (R3).',
  },
  {
    salesforce: ['Opportunity.Referral_Currency__c'],
    referral: ['/details/currency'],
    owner: 'latest-change',
    outbound: 'create-and-update',
    inbound: 'create-and-update',
    why: 'The deal value is meaningless without its currency, so it travels with the amount (R3).',
  },
  {
    salesforce: ['Opportunity.CloseDate'],
    referral: ['/details/closingDateTime'],
    owner: 'latest-change',
    outbound: 'create-and-update',
    inbound: 'create-and-update',
    why: 'Both connectors sync the closing date both ways; the newer change wins.',
  },
  {
    salesforce: ['Opportunity.Description'],
    referral: ['/details/notes'],
    owner: 'latest-change',
    outbound: 'create-and-update',
    inbound: 'create-and-update',
    why: 'Notes are the shared conversation about the deal; the newer change wins.',
  },
  {
    salesforce: ['Opportunity.StageName'],
    referral: ['/status', '/substatus'],
    owner: 'latest-change',
    outbound: 'create-and-update',
    inbound: 'create-and-update',
    why: "Only closing crosses over: Closed Won/Lost → Closed/Won|Lost and back. Open stages never move the referral (acceptance is Microsoft's move) and Declined/Expired never close the opportunity (Microsoft declining to co-sell is not the customer saying no). Closed is terminal in Partner Center.",
  },
  {
    salesforce: ['Opportunity.Partner_Center_Status__c', 'Opportunity.Partner_Center_Substatus__c'],
    referral: ['/status', '/substatus'],
    owner: 'partner-center',
    outbound: 'never',
    inbound: 'create-and-update',
    why: "Read-only mirror of Partner Center's own status, so the seller sees what Microsoft sees.",
  },
  {
    salesforce: ['Opportunity.Partner_Center_Visibility__c'],
    referral: ['/consent/consentToShareReferralWithMicrosoftSellers'],
    owner: 'salesforce',
    outbound: 'create-and-update',
    inbound: 'create-and-update',
    why: 'The seller decides to share; sharing is one-way, so Private never overwrites a shared referral, and a referral shared in Partner Center marks the opportunity shared.',
  },
  {
    salesforce: ['Opportunity.Co_Sell_Help_Needed__c'],
    referral: ['/inviteContext/assistanceRequestCode'],
    owner: 'salesforce',
    outbound: 'create-and-update',
    inbound: 'create',
    why: "Asking Microsoft for help is the seller's decision (Co-sell deal type); once asked it cannot be withdrawn.",
  },
  {
    salesforce: [
      'Co_Sell_Solution__c.Microsoft_Solution__c',
      'Microsoft_Solution__c.Solution_Id__c',
    ],
    referral: ['/details/requirements/solutions'],
    owner: 'salesforce',
    outbound: 'create-and-update',
    inbound: 'create',
    why: 'The partner picks which of its co-sell-ready solutions the deal is for (R17).',
  },
  {
    salesforce: [
      'Opportunity.Co_Sell_Customer_Contact__c',
      'Contact.FirstName',
      'Contact.LastName',
      'Contact.Email',
      'Contact.Phone',
    ],
    referral: ['/customerProfile/team'],
    owner: 'salesforce',
    outbound: 'create',
    inbound: 'create',
    why: 'Sent once at create; afterwards Microsoft may add its own customer contacts, which a replace would erase.',
  },
  {
    salesforce: [
      'Account.Name',
      'Account.BillingCountry (BRIDGE_COUNTRY_FIELD)',
      'Account.BillingStreet',
      'Account.BillingCity',
      'Account.BillingState',
      'Account.BillingPostalCode',
    ],
    referral: ['/customerProfile/name', '/customerProfile/address'],
    owner: 'salesforce',
    outbound: 'create',
    inbound: 'create',
    why: 'The customer is identified once at create (Microsoft matches it to its own account records); inbound creates or links an Account by name + country (R18).',
  },
  {
    salesforce: ['Opportunity.OwnerId', 'User.Email'],
    referral: ['/team'],
    owner: 'salesforce',
    outbound: 'create',
    inbound: 'create',
    why: 'The owner is sent as the partner sales team at create; inbound team members that match a Salesforce user by email become the owner of a new opportunity, the rest are recorded (R4).',
  },
  {
    salesforce: [
      'Opportunity.Partner_Center_Referral_Id__c',
      'Opportunity.Partner_Center_Engagement_Id__c',
      'Opportunity.Partner_Center_Referral_Link__c',
    ],
    referral: ['/id', '/engagementId'],
    owner: 'partner-center',
    outbound: 'never',
    inbound: 'create-and-update',
    why: 'Identifiers Partner Center assigns; the link is built from the referral id.',
  },
  {
    salesforce: ['Opportunity.Microsoft_CRM_Id__c'],
    referral: ['/trackingInfo/microsoftMsxId'],
    owner: 'partner-center',
    outbound: 'never',
    inbound: 'create-and-update',
    why: "Microsoft's own CRM id, set when a Microsoft seller engages.",
  },
] satisfies FieldOwnership[]);

/** Referral paths Salesforce may change on an existing referral. */
export const OUTBOUND_UPDATE_PATHS: ReadonlySet<string> = new Set(
  FIELD_OWNERSHIP.filter((r) => r.outbound === 'create-and-update').flatMap((r) => r.referral),
);

/** Opportunity fields (API names without the object) Partner Center may change on an existing opportunity. */
export const INBOUND_UPDATE_FIELDS: ReadonlySet<string> = new Set(
  FIELD_OWNERSHIP.filter((r) => r.inbound === 'create-and-update')
    .flatMap((r) => r.salesforce)
    .filter((f) => f.startsWith('Opportunity.'))
    .map((f) => f.slice('Opportunity.'.length)),
);

const OWNER_TEXT: Record<Owner, string> = {
  salesforce: 'Salesforce',
  'partner-center': 'Partner Center',
  'latest-change': 'newer change',
};
const FLOW_TEXT: Record<Flow, string> = {
  never: '—',
  create: 'on create',
  'create-and-update': 'always',
};

/**
 * docs/FIELD-MAPPING.md, rendered from the rows of a field mapping: by default FIELD_OWNERSHIP,
 * which the package's shipped Co_Sell_Field_Map__mdt records reproduce (scripts/field-mapping-doc.ts
 * renders the records; a test keeps the file in step).
 */
export function renderFieldMappingMarkdown(
  mapping: readonly FieldOwnership[] = FIELD_OWNERSHIP,
): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const rows = mapping.map(
    (r) =>
      `| ${r.salesforce.map((f) => `\`${f}\``).join('<br>')} | ${r.referral.map((p) => `\`${p}\``).join('<br>')} | ${OWNER_TEXT[r.owner]} | ${FLOW_TEXT[r.outbound]} | ${FLOW_TEXT[r.inbound]} | ${cell(r.why)} |`,
  );
  return [
    '# Field mapping and ownership',
    '',
    '<!-- Generated from the shipped Co_Sell_Field_Map__mdt records (force-app/main/default/customMetadata), which',
    '     reproduce FIELD_OWNERSHIP in bridge/src/mapping/field-ownership.ts; after changing them run',
    '     npx tsx scripts/field-mapping-doc.ts > docs/FIELD-MAPPING.md && npx prettier --write docs/FIELD-MAPPING.md -->',
    '',
    'Which side wins for each field the bridge maps between a Salesforce opportunity and a Partner Center referral,',
    'and when each side sends it. **SF → PC** is outbound (Change Data Capture → Referrals API), **PC → SF** inbound',
    '(webhook or catch-up → Salesforce). "on create" means only when the other side\'s record is first created;',
    '"always" means on create and on every later change. "newer change" fields are merged field by field against',
    'the referral both sides last agreed on (three-way): a field only one side changed takes that change, so edits',
    'of different fields on the two sides both survive; a field both sides changed before either synced takes the',
    'newer change by record time. An inbound referral is applied only when its `updatedDateTime` is newer than the',
    "last one applied, and the bridge's own writes are not echoed back.",
    '',
    '| Salesforce | Referral (JSON pointer) | Wins | SF → PC | PC → SF | Why |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    '## Deal types',
    '',
    '| Deal | How Can Microsoft Help | Visibility | Referral |',
    '|---|---|---|---|',
    '| Private | blank | Private (or blank) | `type: Independent`, `consentToShareReferralWithMicrosoftSellers: false` |',
    '| Partner-led | blank | Shared with Microsoft sellers | `type: Independent`, `consentToShareReferralWithMicrosoftSellers: true` |',
    '| Co-sell | a value | (implied shared) | `type: Shared`, sharing consent `true`, `inviteContext.assistanceRequestCode` |',
    '',
    'Sharing and asking for help are one-way: once Partner Center has them, a later Private or blank in Salesforce',
    'is reported as a warning and not sent.',
    '',
    '## Stage and status',
    '',
    '| Salesforce | Partner Center |',
    '|---|---|',
    '| any open stage | unchanged (New/Pending, Active/Accepted … as Microsoft sets them) |',
    '| Closed Won | Closed / Won |',
    '| Closed Lost | Closed / Lost |',
    '| unchanged | Closed / Declined, Closed / Expired (status mirrored only) |',
    '',
    'Closed referrals are terminal: a Salesforce change that would reopen or flip them is reported as an',
    '`illegal-transition` problem and not retried.',
    '',
    '## Changing the mapping (no code)',
    '',
    'Each row above is a record of the custom metadata type **Co-Sell Field Map** (`Co_Sell_Field_Map__mdt`):',
    'Setup → Custom Metadata Types → Co-Sell Field Map → Manage Records. The bridge reads the records at start',
    'and polls them (`BRIDGE_FIELD_MAP_REFRESH_SECONDS`); `cosell doctor` names every invalid record and what to',
    'change. A shipped row (Built-in Handler set) may be narrowed (Direction, Outbound/Inbound When), never',
    'widened. A new record without a handler maps one more field: Salesforce Field `Opportunity.<Field>` (or',
    '`Opportunity.<Relationship>.<Field>`, outbound only), one Referral Path below, Direction, and for picklists a',
    "Value Map with one `SalesforceValue=PartnerCenterValue` pair a line. Grant the field to the bridge's",
    'integration user (read, and edit when it flows inbound).',
    '',
    '| Referral path | Type | Partner may write | Values | What |',
    '|---|---|---|---|---|',
    ...Object.entries(CUSTOM_REFERRAL_PATHS).map(
      ([path, info]) =>
        `| \`${path}\` | ${info.type} | ${info.writable ? 'yes' : 'no (inbound only)'} | ${info.enum ? info.enum.join(', ') : 'any'} | ${info.description} |`,
    ),
    '',
  ].join('\n');
}
