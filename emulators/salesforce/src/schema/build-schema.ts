import { field, objectDef, readOnly, systemFields } from './field-builder';
import type { ForceAppMetadata } from './metadata-loader';
import { currencyTypeObject, standardObjects } from './standard-objects';
import { sharingModelOf, type SharingModel } from '../data/sharing';
import { countryCodeFields } from '../data/country-picklists';
import { Schema } from './types';

/** Child relationship names of standard lookups (`Contact.AccountId` → `Account.Contacts`). */
const STANDARD_CHILD_RELATIONSHIPS: Record<string, string> = {
  'Contact.AccountId': 'Contacts',
  'Opportunity.AccountId': 'Opportunities',
  'OpportunityContactRole.OpportunityId': 'OpportunityContactRoles',
  'OpportunityTeamMember.OpportunityId': 'OpportunityTeamMembers',
  'PermissionSetAssignment.AssigneeId': 'PermissionSetAssignments',
  'PermissionSetAssignment.PermissionSetId': 'Assignments',
};

export interface SchemaOptions {
  /** Organization.IsSandbox (R5: sandbox vs production). */
  sandbox: boolean;
  multiCurrency: boolean;
  currencyCodes: string[];
  corporateCurrency: string;
  /**
   * Organization-wide defaults of standard objects (an org setting, not package metadata);
   * unset ones are Public Read/Write except Opportunity, which defaults to Private: the package
   * must work where sellers see only their own deals.
   */
  sharingModels?: Partial<Record<string, SharingModel>>;
  /**
   * State and Country/Territory Picklists: addresses gain `…StateCode`/`…CountryCode` picklists
   * of ISO codes, and `…State`/`…Country` hold the integration values (the names).
   */
  stateAndCountryPicklists?: boolean;
}

const STANDARD_SHARING: Record<string, SharingModel> = { Opportunity: 'Private' };

/** Standard objects merged with the force-app metadata; a pure function of its inputs. */
/**
 * The package's objects whose names end in `suffix`, in name order, each with what every kind
 * shares: labels and a key prefix `<lead>0`, `<lead>1`, … (stable ids for the same metadata).
 */
function packageObjects(meta: ForceAppMetadata, suffix: string, lead: string) {
  return [...meta.objects.keys()]
    .filter((name) => name.endsWith(suffix))
    .sort()
    .map((name, i) => {
      const info = meta.objects.get(name);
      const base = {
        name,
        label: info?.label ?? name,
        labelPlural: info?.labelPlural ?? name,
        keyPrefix: `${lead}${i.toString(36).toUpperCase()}`,
        permissionControlled: true,
      };
      return { base, info };
    });
}

export function buildSchema(meta: ForceAppMetadata, options: SchemaOptions): Schema {
  const schema = new Schema();
  for (const obj of standardObjects()) {
    const model = options.sharingModels?.[obj.name] ?? STANDARD_SHARING[obj.name];
    schema.add(model ? { ...obj, sharingModel: model } : obj);
  }
  if (options.multiCurrency) schema.add(currencyTypeObject());
  const account = schema.object('Account');
  if (options.stateAndCountryPicklists && account) {
    for (const f of countryCodeFields(['Billing', 'Shipping']))
      account.fields.set(f.name.toLowerCase(), f);
  }

  // Custom objects: key prefixes a00, a01, ….
  for (const { base, info } of packageObjects(meta, '__c', 'a0')) {
    const hasMaster = (meta.fields.get(base.name) ?? []).some((f) => f.masterDetail);
    schema.add(
      objectDef(
        {
          ...base,
          hasOwner: !hasMaster,
          sharingModel:
            sharingModelOf(info?.sharingModel) ?? (hasMaster ? 'ControlledByParent' : 'ReadWrite'),
        },
        [...systemFields({ hasOwner: !hasMaster }), info?.nameField ?? field('Name', 'string')],
      ),
    );
  }

  // Platform events: key prefixes e00, e01, … (Salesforce's event ids start with `e0`).
  for (const { base, info } of packageObjects(meta, '__e', 'e0')) {
    schema.add(
      objectDef(
        {
          ...base,
          custom: true,
          hasOwner: false,
          updateable: false,
          deletable: false,
          platformEvent: { publishBehavior: info?.publishBehavior ?? 'PublishImmediately' },
        },
        eventSystemFields(),
      ),
    );
  }

  // Custom metadata types: key prefixes m00, m01, …; read-only to the data APIs.
  for (const { base } of packageObjects(meta, '__mdt', 'm0')) {
    schema.add(
      objectDef(
        {
          ...base,
          custom: true,
          hasOwner: false,
          createable: false,
          updateable: false,
          deletable: false,
          customMetadata: true,
        },
        customMetadataSystemFields(),
      ),
    );
  }

  for (const [objectName, fields] of meta.fields) {
    const obj = schema.object(objectName);
    if (!obj) continue; // fields of an object this emulator does not model
    for (const f of fields) {
      // Field-level security does not apply to platform event fields: the message carries all.
      // Custom metadata fields follow the type's access, and records change only by deploy.
      const own = obj.platformEvent
        ? { ...f, permissionControlled: false, updateable: false }
        : obj.customMetadata
          ? { ...f, permissionControlled: false, createable: false, updateable: false }
          : f;
      obj.fields.set(f.name.toLowerCase(), own);
    }
  }
  for (const [objectName, rules] of meta.validationRules) {
    schema.object(objectName)?.validationRules.push(...rules);
  }
  for (const ps of meta.permissionSets) schema.permissionSets.set(ps.name.toLowerCase(), ps);

  if (options.multiCurrency) addCurrencyIsoCode(schema, options);
  linkChildRelationships(schema);

  // Only entities a PlatformEventChannelMember selects publish change events.
  for (const name of meta.cdcEntities) {
    const obj = schema.object(name);
    if (obj) obj.cdcEnabled = true;
  }
  return schema;
}

/** The standard fields of every custom metadata type (`CustomMetadataType__mdt`). */
function customMetadataSystemFields() {
  return [
    field('Id', 'id', { ...readOnly, nillable: false }),
    field('DeveloperName', 'string', { ...readOnly, length: 40 }),
    field('MasterLabel', 'string', { ...readOnly, length: 40 }),
    field('Label', 'string', { ...readOnly, length: 40 }),
    field('Language', 'picklist', { ...readOnly, length: 40 }),
    field('NamespacePrefix', 'string', { ...readOnly, length: 15 }),
    field('QualifiedApiName', 'string', { ...readOnly, length: 70 }),
  ];
}

/** The standard fields of every platform event ("Platform Event Fields"). */
function eventSystemFields() {
  return [
    field('ReplayId', 'string', { ...readOnly, length: 255 }),
    field('CreatedDate', 'datetime', readOnly),
    field('CreatedById', 'reference', { ...readOnly, referenceTo: ['User'] }),
    field('EventUuid', 'string', { ...readOnly, length: 36 }),
  ];
}

function addCurrencyIsoCode(schema: Schema, options: SchemaOptions): void {
  for (const obj of schema.list()) {
    if (obj.name === 'CurrencyType' || obj.platformEvent) continue;
    obj.fields.set(
      'currencyisocode',
      field('CurrencyIsoCode', 'picklist', {
        label: `${obj.label} Currency`,
        length: 3,
        restrictedPicklist: true,
        defaultValue: options.corporateCurrency,
        picklistValues: options.currencyCodes.map((c) => ({
          value: c,
          label: c,
          active: true,
          defaultValue: c === options.corporateCurrency,
        })),
      }),
    );
  }
}

function linkChildRelationships(schema: Schema): void {
  for (const child of schema.list()) {
    for (const f of child.fields.values()) {
      if (f.type !== 'reference' || !f.referenceTo) continue;
      const relName = f.custom
        ? f.childRelationshipName
        : STANDARD_CHILD_RELATIONSHIPS[`${child.name}.${f.name}`];
      if (!relName) continue;
      for (const parentName of f.referenceTo) {
        schema.object(parentName)?.childRelationships.push({
          relationshipName: relName,
          childSObject: child.name,
          field: f.name,
          cascadeDelete: f.cascadeDelete,
        });
      }
    }
  }
}
