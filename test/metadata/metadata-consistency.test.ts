// Holds force-app, the LWCs and the bridge together: every field they name exists, the bridge's
// integration permission set grants exactly what the bridge reads and writes (R2), and the
// validation rules only use what exists and what the Salesforce emulator can evaluate.
import path from 'node:path';
import {
  DEFAULT_COUNTRY_FIELD,
  OPTIONAL_SALESFORCE_FIELDS,
  SALESFORCE_FIELDS,
} from '../../bridge/src/mapping/salesforce-fields';
import { changedSinceQuery, selectClause } from '../../bridge/src/salesforce/opportunity-snapshot';
import { findSoqlLiterals, queriedFields, type SoqlQuery } from './bridge-soql';
import {
  appTabs,
  customPermissionNames,
  customTabs,
  flexipageComponents,
  formulaParts,
  graphqlReferences,
  layoutFields,
  listViewFields,
  loadLwcSources,
  loadPermissionSet,
  loadSchema,
  loadValidationRules,
  lwcExposure,
  quotedFieldPaths,
  schemaImports,
  type PermissionSet,
} from './force-app-metadata';

const schema = loadSchema();
const lwcSources = loadLwcSources();
const bridgePermissions = loadPermissionSet('Co_Sell_Bridge_Integration');
const sellerPermissions = loadPermissionSet('Co_Sell_Seller');
const adminPermissions = loadPermissionSet('Co_Sell_Admin');

/**
 * Standard fields the package relies on, listed explicitly (they are not in force-app).
 * Anything else that is not a custom field in force-app is a typo or an undeclared dependency.
 */
const STANDARD_FIELDS: Record<string, readonly string[]> = {
  // Every custom metadata type has these.
  Co_Sell_Field_Map__mdt: ['DeveloperName', 'MasterLabel'],
  Opportunity: [
    'Id',
    'Name',
    'Amount',
    'CloseDate',
    'StageName',
    'IsClosed',
    'IsWon',
    'Description',
    'AccountId',
    'OwnerId',
    'CreatedDate',
    'LastModifiedDate',
    'SystemModstamp',
    // shown on the Co-Sell Opportunity Layout only
    'Type',
    'LeadSource',
    'NextStep',
    'Probability',
    'CreatedById',
    'LastModifiedById',
  ],
  Account: [
    'Id',
    'Name',
    'CreatedDate',
    'BillingCountry',
    'BillingStreet',
    'BillingCity',
    'BillingState',
    'BillingPostalCode',
  ],
  Contact: ['Id', 'AccountId', 'FirstName', 'LastName', 'Email', 'Phone'],
  User: ['Id', 'Name', 'Email', 'IsActive'],
  // the package's custom notification types, looked up by DeveloperName (issue 19)
  CustomNotificationType: ['Id', 'DeveloperName'],
};
/**
 * Objects every API user reads without an object permission (no permission set can grant one):
 * users, and setup objects such as the custom notification types.
 */
const READABLE_BY_EVERY_USER = new Set(['User', 'CustomNotificationType']);
/** System fields every custom object has. */
const CUSTOM_OBJECT_SYSTEM_FIELDS = [
  'Id',
  'Name',
  'OwnerId',
  'CreatedDate',
  'LastModifiedDate',
  'SystemModstamp',
  'CreatedById',
  'LastModifiedById',
];
/** Standard lookups the package follows, relationship name → target object. */
const STANDARD_RELATIONSHIPS: Record<string, string> = {
  'Opportunity.Account': 'Account',
  'Opportunity.Owner': 'User',
  'Contact.Account': 'Account',
};

/**
 * Fields whose access does not come from field-level security, so a permission set cannot (and
 * need not) list them: ids, names and system stamps, required fields and master-detail fields
 * (access follows the object permission), and User fields (readable by every internal user).
 */
const NOT_FLS_CONTROLLED = new Set([
  'Opportunity.OwnerId',
  'Opportunity.Id',
  'Opportunity.Name',
  'Opportunity.CloseDate',
  'Opportunity.StageName',
  'Opportunity.IsClosed',
  'Opportunity.IsWon',
  'Opportunity.CreatedDate',
  'Opportunity.LastModifiedDate',
  'Opportunity.SystemModstamp',
  'Account.Id',
  'Account.Name',
  'Account.CreatedDate',
  'Contact.Id',
  'Contact.FirstName',
  'Contact.LastName',
  'User.Id',
  'User.Name',
  'User.Email',
  'User.IsActive',
]);
/** Standard fields never writable through the API (formula or system maintained). */
const READ_ONLY_STANDARD = new Set([
  'Opportunity.Id',
  'Opportunity.IsClosed',
  'Opportunity.IsWon',
  'Opportunity.CreatedDate',
  'Opportunity.LastModifiedDate',
  'Opportunity.SystemModstamp',
  'Account.Id',
  'Account.CreatedDate',
  'Contact.Id',
  'User.Id',
  'User.Name',
  'User.IsActive',
]);
/** Account address parts are secured through their compound field. */
const COMPOUND_FIELD: Record<string, string> = {
  'Account.BillingCountry': 'Account.BillingAddress',
  'Account.BillingStreet': 'Account.BillingAddress',
  'Account.BillingCity': 'Account.BillingAddress',
  'Account.BillingState': 'Account.BillingAddress',
  'Account.BillingPostalCode': 'Account.BillingAddress',
};
const READ_ONLY_CUSTOM_TYPES = new Set(['Summary', 'AutoNumber', 'Formula']);

function splitField(qualified: string): [string, string] {
  const index = qualified.indexOf('.');
  return [qualified.slice(0, index), qualified.slice(index + 1)];
}

/** Why `object.path` does not resolve, or undefined when it does. */
function unresolved(object: string, path: string): string | undefined {
  const [head, ...rest] = path.split('.');
  if (!head) return `empty field path on ${object}`;
  if (rest.length === 0) {
    if (schema.fields.has(`${object}.${head}`)) return undefined;
    if ((STANDARD_FIELDS[object] ?? []).includes(head)) return undefined;
    if (schema.objects.has(object) && CUSTOM_OBJECT_SYSTEM_FIELDS.includes(head)) return undefined;
    return `${object}.${head} is neither a custom field in force-app nor a listed standard field`;
  }
  let target: string | undefined;
  if (head.endsWith('__r')) {
    const lookup = schema.fields.get(`${object}.${head.replace(/__r$/, '__c')}`);
    target = lookup?.referenceTo;
  } else {
    target = STANDARD_RELATIONSHIPS[`${object}.${head}`];
  }
  if (!target) return `${object}.${head} is not a known relationship`;
  return unresolved(target, rest.join('.'));
}

/** `Opportunity` + `Owner.Email` → `User.Email`: the object and field a query path ends on. */
function qualify(object: string, fieldPath: string): string {
  const [head = '', ...rest] = fieldPath.split('.');
  if (rest.length === 0) return `${object}.${head}`;
  const target = head.endsWith('__r')
    ? schema.fields.get(`${object}.${head.replace(/__r$/, '__c')}`)?.referenceTo
    : STANDARD_RELATIONSHIPS[`${object}.${head}`];
  return target ? qualify(target, rest.join('.')) : `${object}.${fieldPath} (unknown relationship)`;
}

/** The child object behind a sub-select's relationship name (`Co_Sell_Solutions__r`). */
function childObject(parent: string, relationship: string): string | undefined {
  return [...schema.fields.values()].find(
    (f) => f.referenceTo === parent && `${f.relationshipName}__r` === relationship,
  )?.object;
}

/** Platform events (`…__e`): field-level security does not apply; the object permission decides. */
const isPlatformEvent = (object: string) => object.endsWith('__e');
/** Custom metadata records change only by deploy: no object or field permissions apply. */
const isCustomMetadataType = (object: string) => object.endsWith('__mdt');

function isImplicitlyAccessible(field: string): boolean {
  if (isPlatformEvent(splitField(field)[0])) return true;
  const custom = schema.fields.get(field);
  if (custom) return custom.required || custom.type === 'MasterDetail';
  const [object, name] = splitField(field);
  return (
    NOT_FLS_CONTROLLED.has(field) ||
    // setup objects have no field-level security
    object === 'CustomNotificationType' ||
    (schema.objects.has(object) && CUSTOM_OBJECT_SYSTEM_FIELDS.includes(name))
  );
}

function fieldPermission(permissions: PermissionSet, field: string) {
  return permissions.fields.get(COMPOUND_FIELD[field] ?? field);
}

/** Problems with reading `field` under `permissions`; empty when it can be read. */
function readProblems(permissions: PermissionSet, field: string): string[] {
  const [object] = splitField(field);
  const problems: string[] = [];
  // A custom metadata type is read whole ("Custom Metadata Types" access); its fields have no FLS.
  if (isCustomMetadataType(object)) {
    return permissions.customMetadataTypes.has(object)
      ? []
      : [`${field}: no Custom Metadata Types access to ${object}`];
  }
  if (!READABLE_BY_EVERY_USER.has(object) && !permissions.objects.get(object)?.allowRead) {
    problems.push(`${field}: no Read on ${object}`);
  }
  if (!isImplicitlyAccessible(field) && !fieldPermission(permissions, field)?.readable) {
    problems.push(`${field}: field not readable`);
  }
  return problems;
}

/** Problems with writing `field` under `permissions`; empty when it can be written. */
function writeProblems(permissions: PermissionSet, field: string): string[] {
  const [object, name] = splitField(field);
  const problems: string[] = [];
  const access = permissions.objects.get(object);
  if (!access?.allowCreate && !access?.allowEdit)
    problems.push(`${field}: no Create or Edit on ${object}`);
  const custom = schema.fields.get(field);
  if (custom && READ_ONLY_CUSTOM_TYPES.has(custom.type)) {
    problems.push(`${field}: a ${custom.type} field cannot be written`);
  } else if (READ_ONLY_STANDARD.has(field)) {
    problems.push(`${field}: read-only standard field`);
  } else if (name === 'OwnerId') {
    if (!permissions.userPermissions.has('TransferAnyEntity')) {
      problems.push(`${field}: changing owners needs Transfer Record (TransferAnyEntity)`);
    }
  } else if (!isImplicitlyAccessible(field) && !fieldPermission(permissions, field)?.editable) {
    problems.push(`${field}: field not editable`);
  }
  return problems;
}

describe('metadata consistency', () => {
  describe('fields the Lightning web components use', () => {
    const references: Array<{ bundle: string; object: string; path: string }> = [];
    for (const [bundle, source] of lwcSources) {
      for (const imported of schemaImports(source)) {
        const [object, ...path] = imported.split('.');
        if (path.length > 0)
          references.push({ bundle, object: object ?? '', path: path.join('.') });
        else references.push({ bundle, object: object ?? '', path: '' });
      }
      for (const quoted of quotedFieldPaths(source)) {
        if (OPTIONAL_SALESFORCE_FIELDS.includes(quoted)) continue;
        const [object, ...path] = quoted.split('.');
        references.push({ bundle, object: object ?? '', path: path.join('.') });
      }
      const graphql = graphqlReferences(source);
      for (const object of graphql.objects) references.push({ bundle, object, path: '' });
      for (const field of graphql.fields) references.push({ bundle, ...field });
    }

    it('finds the references it checks (schema imports and GraphQL queries)', () => {
      const bundles = new Set(references.map((r) => r.bundle));
      expect([...bundles].sort()).toEqual(
        expect.arrayContaining([
          'coSellActivityTimeline',
          'coSellDetailsEditor',
          'coSellSyncPanel',
        ]),
      );
      expect(references).toEqual(
        expect.arrayContaining([
          {
            bundle: 'coSellActivityTimeline',
            object: 'Co_Sell_Sync_Event__c',
            path: 'Occurred_At__c',
          },
          { bundle: 'coSellDetailsEditor', object: 'Microsoft_Solution__c', path: 'Is_Active__c' },
          { bundle: 'coSellSyncPanel', object: 'Opportunity', path: 'Sync_with_Partner_Center__c' },
        ]),
      );
    });

    it('R10/R11: every object and field an LWC names exists in force-app or is a listed standard field', () => {
      const problems = references
        .map((r) => {
          if (r.path === '') {
            return schema.objects.has(r.object) || r.object in STANDARD_FIELDS
              ? undefined
              : `${r.bundle}: object ${r.object} does not exist`;
          }
          const why = unresolved(r.object, r.path);
          return why ? `${r.bundle}: ${why}` : undefined;
        })
        .filter(Boolean);
      expect(problems).toEqual([]);
    });

    it('R10: sellers can read every custom field the components show', () => {
      const problems = references
        .filter((r) => r.path !== '' && !r.path.includes('.'))
        .map((r) => `${r.object}.${r.path}`)
        .filter((field) => schema.fields.has(field))
        .flatMap((field) => readProblems(sellerPermissions, field));
      expect([...new Set(problems)]).toEqual([]);
    });

    it('R11/R17: sellers can edit what the components save', () => {
      // The sync toggle (coSellSyncPanel) and the details editor's fields and junction rows.
      const sellerWrites = [
        'Opportunity.Sync_with_Partner_Center__c',
        'Opportunity.Referral_Currency__c',
        'Opportunity.Co_Sell_Help_Needed__c',
        'Opportunity.Partner_Center_Visibility__c',
        'Opportunity.Co_Sell_Customer_Contact__c',
        'Co_Sell_Solution__c.Opportunity__c',
        'Co_Sell_Solution__c.Microsoft_Solution__c',
      ];
      for (const field of sellerWrites) {
        expect(
          lwcSources.get('coSellSyncPanel')! + lwcSources.get('coSellDetailsEditor')!,
        ).toContain(splitField(field)[1]);
      }
      expect(sellerWrites.flatMap((f) => writeProblems(sellerPermissions, f))).toEqual([]);
      expect(sellerPermissions.objects.get('Co_Sell_Solution__c')?.allowDelete).toBe(true);
    });

    it('R10: sellers cannot edit what only the bridge writes', () => {
      const bridgeOwned = [...schema.fields.keys()].filter((f) =>
        /^Opportunity\.(Partner_Center_(Referral_Id|Engagement_Id|Referral_Link|Status|Substatus|Sync_Status|Sync_Message|Last_Synced)__c|Microsoft_CRM_Id__c)$/.test(
          f,
        ),
      );
      expect(bridgeOwned).toHaveLength(9);
      for (const field of bridgeOwned) {
        expect({ field, permission: sellerPermissions.fields.get(field) }).toEqual({
          field,
          permission: { readable: true, editable: false },
        });
      }
      expect(sellerPermissions.objects.get('Co_Sell_Sync_Event__c')).toMatchObject({
        allowRead: true,
        allowCreate: false,
        allowEdit: false,
        allowDelete: false,
      });
    });
  });

  describe('fields the bridge reads and writes (bridge/src/mapping/salesforce-fields.ts)', () => {
    const allBridgeFields = [...new Set([...SALESFORCE_FIELDS.read, ...SALESFORCE_FIELDS.written])];

    it('R2: every field exists (custom in force-app, standard in the explicit list)', () => {
      const problems = allBridgeFields
        .map((field) => {
          const [object, name] = splitField(field);
          return unresolved(object, name);
        })
        .filter(Boolean);
      expect(problems).toEqual([]);
    });

    it('R2: every field a bridge SOQL query names is in the list (a new query cannot bypass it)', () => {
      const root = path.resolve(__dirname, '../..');
      const literals = findSoqlLiterals(path.join(root, 'bridge/src'), root);
      // The builders that interpolate field names are checked by calling them.
      const built: SoqlQuery[] = [
        selectClause({ countryField: DEFAULT_COUNTRY_FIELD, multiCurrency: false }),
        changedSinceQuery('2026-01-01T00:00:00Z'),
      ].map((text) => ({ source: 'salesforce/opportunity-snapshot.ts (built)', text }));
      const readable = new Set([...SALESFORCE_FIELDS.read, ...OPTIONAL_SALESFORCE_FIELDS]);
      const fields = [...literals, ...built].flatMap((q) => queriedFields(q, childObject));
      const qualified = fields.map((f) => ({ source: f.source, field: qualify(f.object, f.path) }));

      // The scan sees what it should: the inbound user and account lookups among them.
      expect(qualified.map((q) => q.field)).toEqual(
        expect.arrayContaining([
          'User.IsActive',
          'Account.CreatedDate',
          'Account.Partner_Center_Referral_Id__c',
          'Microsoft_Solution__c.Solution_Id__c',
          'Opportunity.Co_Sell_Solution_Count__c',
        ]),
      );
      expect(qualified.filter((q) => !readable.has(q.field))).toEqual([]);
    });

    it('R2: the integration permission set grants read on every field the bridge reads', () => {
      expect(SALESFORCE_FIELDS.read.flatMap((f) => readProblems(bridgePermissions, f))).toEqual([]);
    });

    it('R2: the integration permission set grants edit on every field the bridge writes', () => {
      expect(SALESFORCE_FIELDS.written.flatMap((f) => writeProblems(bridgePermissions, f))).toEqual(
        [],
      );
    });

    it('R2: grants nothing more: every field permission is one the bridge uses, editable only if written', () => {
      const used = new Set(allBridgeFields.map((f) => COMPOUND_FIELD[f] ?? f));
      const written = new Set(SALESFORCE_FIELDS.written.map((f) => COMPOUND_FIELD[f] ?? f));
      const extra = [...bridgePermissions.fields]
        .filter(([field, p]) => !used.has(field) || (p.editable && !written.has(field)))
        .map(([field, p]) => `${field} (${p.editable ? 'edit' : 'read'})`);
      expect(extra).toEqual([]);
      const objectsUsed = new Set(allBridgeFields.map((f) => splitField(f)[0]));
      expect([...bridgePermissions.objects.keys()].filter((o) => !objectsUsed.has(o))).toEqual([]);
    });

    it('R2: no org-wide power: no View All Data / Modify All Data, Modify All only on Opportunity', () => {
      expect(bridgePermissions.userPermissions.has('ViewAllData')).toBe(false);
      expect(bridgePermissions.userPermissions.has('ModifyAllData')).toBe(false);
      // Where Opportunity is Private the bridge must still write back to (and audit, a
      // master-detail child) every synced deal; nothing grants that declaratively but Modify All.
      for (const [object, access] of bridgePermissions.objects) {
        expect({ object, modifyAllRecords: access.modifyAllRecords }).toEqual({
          object,
          modifyAllRecords: object === 'Opportunity',
        });
      }
    });

    it('R13: can receive Change Data Capture for Opportunity and Co-Sell Solution (View All Records)', () => {
      expect(bridgePermissions.objects.get('Opportunity')?.viewAllRecords).toBe(true);
      expect(bridgePermissions.objects.get('Co_Sell_Solution__c')?.viewAllRecords).toBe(true);
      expect(bridgePermissions.userPermissions.has('ApiEnabled')).toBe(true);
    });
  });

  describe('the admin permission set', () => {
    it('grants edit on every editable custom field and full access to the package objects', () => {
      const problems = [...schema.fields.values()]
        .filter(
          (f) =>
            !READ_ONLY_CUSTOM_TYPES.has(f.type) &&
            !isPlatformEvent(f.object) &&
            !isCustomMetadataType(f.object),
        )
        .flatMap((f) => writeProblems(adminPermissions, `${f.object}.${f.name}`));
      expect(problems).toEqual([]);
      for (const object of schema.objects) {
        if (isCustomMetadataType(object)) {
          // Admins edit the records in Setup (Customize Application); the set lets them read.
          expect({ object, read: adminPermissions.customMetadataTypes.has(object) }).toEqual({
            object,
            read: true,
          });
          continue;
        }
        // A platform event is published by the bridge and only read (subscribed to) by people.
        if (isPlatformEvent(object)) {
          expect({ object, read: adminPermissions.objects.get(object)?.allowRead }).toEqual({
            object,
            read: true,
          });
          continue;
        }
        expect({ object, access: adminPermissions.objects.get(object) }).toMatchObject({
          object,
          access: { allowCreate: true, allowRead: true, allowEdit: true, allowDelete: true },
        });
      }
    });
  });

  describe('validation rules on Opportunity', () => {
    const rules = loadValidationRules('Opportunity');
    // R11's readiness rules; the decision rules (issue 19) guard Co_Sell_Decision__c instead.
    const readinessRules = rules.filter((r) => r.name.startsWith('Co_Sell_Requires_'));
    const decisionRules = rules.filter((r) => !r.name.startsWith('Co_Sell_Requires_'));
    // The subset the Salesforce emulator evaluates (agreed in DESIGN decisions).
    const SUPPORTED_FUNCTIONS = new Set([
      'AND',
      'OR',
      'NOT',
      'IF',
      'ISBLANK',
      'ISNULL',
      'ISPICKVAL',
      'TEXT',
      'LEN',
      'REGEX',
      'BEGINS',
    ]);

    it('R11: every rule uses only functions the emulator evaluates', () => {
      const unsupported = rules.flatMap((rule) =>
        formulaParts(rule.formula)
          .functions.filter((fn) => !SUPPORTED_FUNCTIONS.has(fn.toUpperCase()))
          .map((fn) => `${rule.name}: ${fn}`),
      );
      expect(unsupported).toEqual([]);
    });

    it('R11: every field a rule references exists', () => {
      const problems = rules.flatMap((rule) =>
        formulaParts(rule.formula)
          .fieldReferences.map((ref) => unresolved('Opportunity', ref))
          .filter(Boolean)
          .map((why) => `${rule.name}: ${why}`),
      );
      expect(problems).toEqual([]);
    });

    it('R11: rules exempt only the bridge, through a custom permission that exists and only its permission set enables', () => {
      const defined = new Set(customPermissionNames());
      for (const rule of readinessRules) {
        expect({
          rule: rule.name,
          exemption: formulaParts(rule.formula).customPermissions,
        }).toEqual({
          rule: rule.name,
          exemption: ['Co_Sell_Bridge_Writes'],
        });
        // No rule switches off for a status: a record in Error must still meet them (issue 14).
        expect({ rule: rule.name, status: /Sync_Status__c/.test(rule.formula) }).toEqual({
          rule: rule.name,
          status: false,
        });
      }
      expect(defined.has('Co_Sell_Bridge_Writes')).toBe(true);
      expect(bridgePermissions.customPermissions.has('Co_Sell_Bridge_Writes')).toBe(true);
      expect(sellerPermissions.customPermissions.size).toBe(0);
      expect(adminPermissions.customPermissions.size).toBe(0);
    });

    it('decision rules: a decline needs a reason; a decision only on a referral waiting for one (locked after)', () => {
      expect(decisionRules.map((r) => r.name).sort()).toEqual([
        'Co_Sell_Decision_Only_While_Waiting',
        'Co_Sell_Decline_Requires_Reason',
      ]);
      for (const rule of decisionRules) {
        expect(rule.formula).toContain('Co_Sell_Decision__c');
        expect(rule.errorMessage.length).toBeLessThanOrEqual(255);
        expect(rule.errorDisplayField).toBeDefined();
      }
      const waiting = decisionRules.find((r) => r.name === 'Co_Sell_Decision_Only_While_Waiting');
      // The bridge clears the decision on a referral that has moved on: it must stay exempt.
      expect(formulaParts(waiting!.formula).customPermissions).toEqual(['Co_Sell_Bridge_Writes']);
    });

    it('R11/R16: every rule applies only while sync is on, and says what to fix within 255 characters', () => {
      for (const rule of readinessRules) {
        expect({
          rule: rule.name,
          guarded: rule.formula.includes('Sync_with_Partner_Center__c'),
        }).toEqual({
          rule: rule.name,
          guarded: true,
        });
        expect(rule.errorMessage.length).toBeGreaterThan(20);
        expect(rule.errorMessage.length).toBeLessThanOrEqual(255);
        if (rule.errorDisplayField)
          expect(unresolved('Opportunity', rule.errorDisplayField)).toBeUndefined();
      }
      const country = rules.find((r) => r.name === 'Co_Sell_Requires_Account_Country');
      expect(country?.formula).toContain('Account.BillingCountry');
      expect(country?.errorMessage).toContain('Billing Country');
    });
  });
  describe('admin surfaces that must deploy', () => {
    it('R10: the record page places only existing components exposed for that object', () => {
      const placed = flexipageComponents();
      expect(placed.map((p) => p.component)).toEqual(
        expect.arrayContaining([
          'coSellSyncPanel',
          'coSellDetailsEditor',
          'coSellActivityTimeline',
        ]),
      );
      for (const { page, sobjectType, component } of placed) {
        const exposure = lwcExposure(component);
        expect({ page, component, exposure }).toEqual({
          page,
          component,
          exposure: {
            exposed: true,
            targets: expect.arrayContaining(['lightning__RecordPage']),
            objects: expect.arrayContaining([sobjectType]),
          },
        });
      }
    });

    it('every field on a layout or related list exists', () => {
      expect(layoutFields().length).toBeGreaterThan(30);
      const problems = layoutFields()
        .map(({ layout, object, field }) => {
          const why = unresolved(object, field);
          return why ? `${layout}: ${why}` : undefined;
        })
        .filter(Boolean);
      expect(problems).toEqual([]);
    });

    it('every custom field a list view shows or filters on exists', () => {
      expect(listViewFields().length).toBeGreaterThan(10);
      const problems = listViewFields()
        .map(({ listView, object, field }) => {
          const why = unresolved(object, field);
          return why ? `${listView}: ${why}` : undefined;
        })
        .filter(Boolean);
      expect(problems).toEqual([]);
    });

    it('the Co-Sell Sync app lists only standard tabs or tabs defined in force-app', () => {
      const tabs = new Set(customTabs());
      const missing = appTabs().filter(({ tab }) => !tab.startsWith('standard-') && !tabs.has(tab));
      expect(missing).toEqual([]);
      expect(appTabs().map((t) => t.tab)).toEqual(
        expect.arrayContaining(['Microsoft_Solution__c', 'Co_Sell_Sync_Event__c']),
      );
    });
  });
});
