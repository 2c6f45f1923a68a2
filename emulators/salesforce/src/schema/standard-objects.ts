import { field, objectDef, picklist, readOnly, reference, systemFields } from './field-builder';
import type { ObjectDef } from './types';

/** Opportunity stages of a new org: name → [probability, isClosed, isWon, forecast category]. */
export const OPPORTUNITY_STAGES: ReadonlyArray<[string, number, boolean, boolean, string]> = [
  ['Prospecting', 10, false, false, 'Pipeline'],
  ['Qualification', 10, false, false, 'Pipeline'],
  ['Needs Analysis', 20, false, false, 'Pipeline'],
  ['Value Proposition', 50, false, false, 'Pipeline'],
  ['Id. Decision Makers', 60, false, false, 'Pipeline'],
  ['Perception Analysis', 70, false, false, 'Pipeline'],
  ['Proposal/Price Quote', 75, false, false, 'Pipeline'],
  ['Negotiation/Review', 90, false, false, 'Pipeline'],
  ['Closed Won', 100, true, true, 'Closed'],
  ['Closed Lost', 0, true, false, 'Omitted'],
];

const address = (prefix: string) => [
  field(`${prefix}Street`, 'textarea', { length: 255 }),
  field(`${prefix}City`, 'string', { length: 40 }),
  field(`${prefix}State`, 'string', { length: 80 }),
  field(`${prefix}PostalCode`, 'string', { length: 20 }),
  field(`${prefix}Country`, 'string', { length: 80 }),
];

/** The standard objects the product touches, with the fields it reads or writes. */
export function standardObjects(): ObjectDef[] {
  const user = objectDef({ name: 'User', label: 'User', labelPlural: 'Users', keyPrefix: '005' }, [
    ...systemFields({ hasOwner: false }),
    field('Username', 'string', { length: 80, required: true, unique: true }),
    field('FirstName', 'string', { length: 40 }),
    field('LastName', 'string', { length: 80, required: true }),
    field('Name', 'string', { length: 121, ...readOnly, calculated: true }),
    field('Email', 'email', { required: true }),
    field('Alias', 'string', { length: 8 }),
    field('IsActive', 'boolean', { defaultValue: true }),
    field('UserType', 'string', { ...readOnly, length: 40 }),
    field('TimeZoneSidKey', 'string', { length: 40 }),
    field('LanguageLocaleKey', 'string', { length: 40 }),
  ]);
  const account = objectDef(
    { name: 'Account', label: 'Account', labelPlural: 'Accounts', keyPrefix: '001' },
    [
      ...systemFields({ hasOwner: true }),
      field('Name', 'string', { length: 255, required: true }),
      field('Type', 'picklist', {
        picklistValues: picklist(['Prospect', 'Customer - Direct', 'Customer - Channel', 'Other']),
      }),
      ...address('Billing'),
      ...address('Shipping'),
      field('Phone', 'phone'),
      field('Website', 'url'),
      field('Industry', 'picklist', {
        picklistValues: picklist(['Technology', 'Finance', 'Healthcare', 'Retail', 'Other']),
      }),
      field('Description', 'textarea'),
    ],
  );
  const contact = objectDef(
    { name: 'Contact', label: 'Contact', labelPlural: 'Contacts', keyPrefix: '003' },
    [
      ...systemFields({ hasOwner: true }),
      reference('AccountId', 'Account', 'Account'),
      field('FirstName', 'string', { length: 40 }),
      field('LastName', 'string', { length: 80, required: true }),
      field('Name', 'string', { length: 121, ...readOnly, calculated: true }),
      field('Email', 'email'),
      field('Phone', 'phone'),
      field('Title', 'string', { length: 128 }),
    ],
  );
  const opportunity = objectDef(
    { name: 'Opportunity', label: 'Opportunity', labelPlural: 'Opportunities', keyPrefix: '006' },
    [
      ...systemFields({ hasOwner: true }),
      field('Name', 'string', { length: 120, required: true }),
      reference('AccountId', 'Account', 'Account'),
      field('Amount', 'currency'),
      field('CloseDate', 'date', { required: true }),
      field('StageName', 'picklist', {
        required: true,
        restrictedPicklist: true,
        picklistValues: picklist(OPPORTUNITY_STAGES.map(([s]) => s)),
      }),
      field('Probability', 'percent', { precision: 3, scale: 0 }),
      field('IsClosed', 'boolean', { ...readOnly, calculated: true }),
      field('IsWon', 'boolean', { ...readOnly, calculated: true }),
      field('ForecastCategoryName', 'picklist', {
        picklistValues: picklist(['Omitted', 'Pipeline', 'Best Case', 'Commit', 'Closed']),
      }),
      field('Description', 'textarea'),
      field('Type', 'picklist', {
        picklistValues: picklist(['Existing Customer - Upgrade', 'New Customer']),
      }),
      field('LeadSource', 'picklist', { picklistValues: picklist(['Web', 'Partner', 'Other']) }),
      field('NextStep', 'string', { length: 255 }),
    ],
  );
  const contactRole = objectDef(
    {
      name: 'OpportunityContactRole',
      label: 'Opportunity Contact Role',
      labelPlural: 'Opportunity Contact Role',
      keyPrefix: '00K',
      hasOwner: false,
    },
    [
      ...systemFields({ hasOwner: false }),
      reference('OpportunityId', 'Opportunity', 'Opportunity', { required: true }),
      reference('ContactId', 'Contact', 'Contact', { required: true }),
      field('Role', 'picklist', {
        picklistValues: picklist(['Business User', 'Decision Maker', 'Technical Buyer', 'Other']),
      }),
      field('IsPrimary', 'boolean', { defaultValue: false }),
    ],
  );
  const teamMember = objectDef(
    {
      name: 'OpportunityTeamMember',
      label: 'Opportunity Team Member',
      labelPlural: 'Opportunity Team Members',
      keyPrefix: '00q',
      hasOwner: false,
    },
    [
      ...systemFields({ hasOwner: false }),
      reference('OpportunityId', 'Opportunity', 'Opportunity', { required: true }),
      reference('UserId', 'User', 'User', { required: true }),
      field('TeamMemberRole', 'picklist', {
        picklistValues: picklist(['Account Manager', 'Sales Rep', 'Pre-Sales Consultant']),
      }),
      field('OpportunityAccessLevel', 'picklist', { picklistValues: picklist(['Read', 'Edit']) }),
    ],
  );
  // Setup object for the package's custom notification types: read-only through the API, one
  // record per deployed CustomNotificationType (its Id is the action's customNotifTypeId).
  const notificationType = objectDef(
    {
      name: 'CustomNotificationType',
      label: 'Custom Notification Type',
      labelPlural: 'Custom Notification Types',
      keyPrefix: '0ML',
      hasOwner: false,
      createable: false,
      deletable: false,
      adminWrite: true,
    },
    [
      ...systemFields({ hasOwner: false }),
      field('DeveloperName', 'string', { length: 80, ...readOnly }),
      field('MasterLabel', 'string', { length: 80, ...readOnly }),
      field('CustomNotifTypeName', 'string', { length: 80, ...readOnly }),
      field('Description', 'string', { length: 255, ...readOnly }),
      field('Desktop', 'boolean', readOnly),
      field('Mobile', 'boolean', readOnly),
    ],
  );
  const organization = objectDef(
    {
      name: 'Organization',
      label: 'Organization',
      labelPlural: 'Organizations',
      keyPrefix: '00D',
      hasOwner: false,
      createable: false,
      deletable: false,
      adminWrite: true,
    },
    [
      ...systemFields({ hasOwner: false }),
      field('Name', 'string', { length: 80, ...readOnly }),
      field('IsSandbox', 'boolean', readOnly),
      field('DefaultCurrencyIsoCode', 'string', { length: 3, ...readOnly }),
      field('OrganizationType', 'string', { length: 40, ...readOnly }),
      field('InstanceName', 'string', { length: 5, ...readOnly }),
      field('DefaultLocaleSidKey', 'string', { length: 40, ...readOnly }),
      field('TimeZoneSidKey', 'string', { length: 40, ...readOnly }),
      field('LanguageLocaleKey', 'string', { length: 40, ...readOnly }),
      // What the Salesforce CLI reads when it authorises an org (`sf org login`).
      field('TrialExpirationDate', 'datetime', readOnly),
      field('NamespacePrefix', 'string', { length: 15, ...readOnly }),
    ],
  );
  const permissionSet = objectDef(
    {
      name: 'PermissionSet',
      label: 'Permission Set',
      labelPlural: 'Permission Sets',
      keyPrefix: '0PS',
      hasOwner: false,
      adminWrite: true,
    },
    [
      ...systemFields({ hasOwner: false }),
      field('Name', 'string', { length: 80, required: true, unique: true }),
      field('Label', 'string', { length: 80, required: true }),
      field('Description', 'textarea', { length: 255 }),
      field('IsOwnedByProfile', 'boolean', readOnly),
    ],
  );
  const assignment = objectDef(
    {
      name: 'PermissionSetAssignment',
      label: 'Permission Set Assignment',
      labelPlural: 'Permission Set Assignments',
      keyPrefix: '0Pa',
      hasOwner: false,
      adminWrite: true,
    },
    [
      ...systemFields({ hasOwner: false }),
      reference('AssigneeId', 'User', 'Assignee', { required: true, updateable: false }),
      reference('PermissionSetId', 'PermissionSet', 'PermissionSet', {
        required: true,
        updateable: false,
      }),
    ],
  );
  return [
    user,
    account,
    contact,
    opportunity,
    contactRole,
    teamMember,
    organization,
    notificationType,
    permissionSet,
    assignment,
  ];
}

/** Exists only in multi-currency orgs. */
export function currencyTypeObject(): ObjectDef {
  return objectDef(
    {
      name: 'CurrencyType',
      label: 'Currency Type',
      labelPlural: 'Currency Types',
      keyPrefix: '02B',
      hasOwner: false,
    },
    [
      ...systemFields({ hasOwner: false }),
      field('IsoCode', 'string', { length: 3, required: true, unique: true }),
      field('ConversionRate', 'double', { precision: 18, scale: 6, required: true }),
      field('DecimalPlaces', 'int', { precision: 2 }),
      field('IsActive', 'boolean', { defaultValue: true }),
      field('IsCorporate', 'boolean', { defaultValue: false, ...readOnly }),
    ],
  );
}
