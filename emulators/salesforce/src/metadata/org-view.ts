// The org as it will be after a deploy: standard objects and fields plus the deployed custom
// ones, with the lookups the checks need (fields, relationships, restricted picklist values).
// Separate because every per-type check and the formula check resolve names through it.
import type { Schema } from '../schema/types';
import { list, str, type Component } from './components';

export interface FieldInfo {
  object: string;
  name: string;
  type: string;
  required: boolean;
  referenceTo: string[];
  relationshipName?: string;
}

/** Objects and fields as the org will have them: standard schema plus the merged components. */
export class OrgView {
  private readonly objects = new Map<string, string>();
  private readonly fields = new Map<string, FieldInfo>();
  readonly components: Component[];

  constructor(all: Component[], standard: Schema) {
    this.components = all;
    for (const o of standard.list()) {
      this.objects.set(o.name.toLowerCase(), o.name);
      for (const f of o.fields.values()) {
        this.fields.set(`${o.name}.${f.name}`.toLowerCase(), {
          object: o.name,
          name: f.name,
          type: f.type,
          required: f.required || f.masterDetail,
          referenceTo: f.referenceTo ?? [],
          ...(f.relationshipName ? { relationshipName: f.relationshipName } : {}),
        });
      }
    }
    const system = (object: string, name: string, type: string) =>
      this.fields.set(`${object}.${name}`.toLowerCase(), {
        object,
        name,
        type,
        required: false,
        referenceTo: type === 'Lookup' ? ['User'] : [],
      });
    for (const c of all) {
      if (c.type === 'CustomObject') {
        this.objects.set(c.fullName.toLowerCase(), c.fullName);
        // Every custom object has these (OwnerId only without a master: checked loosely).
        for (const f of ['Id', 'IsDeleted', 'CreatedDate', 'LastModifiedDate', 'SystemModstamp'])
          system(c.fullName, f, 'Text');
        for (const f of ['OwnerId', 'CreatedById', 'LastModifiedById'])
          system(c.fullName, f, 'Lookup');
        this.fields.set(`${c.fullName}.Name`.toLowerCase(), {
          object: c.fullName,
          name: 'Name',
          type: 'Text',
          required: str(list(c.xml.nameField)[0]?.type) !== 'AutoNumber',
          referenceTo: [],
        });
      }
    }
    for (const c of all) {
      if (c.type !== 'CustomField') continue;
      const [object = '', name = ''] = c.fullName.split('.');
      const type = str(c.xml.type) ?? 'Text';
      this.fields.set(c.fullName.toLowerCase(), {
        object,
        name,
        type,
        required: type === 'MasterDetail' || str(c.xml.required) === 'true',
        referenceTo: list(c.xml.referenceTo).map(String),
        ...(type === 'Lookup' || type === 'MasterDetail'
          ? { relationshipName: name.replace(/__c$/, '__r') }
          : {}),
      });
    }
  }

  object(name: string): string | undefined {
    return this.objects.get(name.toLowerCase());
  }

  field(object: string, name: string): FieldInfo | undefined {
    const found = this.fields.get(`${object}.${name}`.toLowerCase());
    if (found) return found;
    // Compound address fields (`BillingAddress`) stand for their parts (`BillingStreet`, …).
    const m = /^(\w*)Address$/.exec(name);
    const street = m ? this.fields.get(`${object}.${m[1]}Street`.toLowerCase()) : undefined;
    return street ? { ...street, name, type: 'Address' } : undefined;
  }

  /** `Account` on Opportunity → the AccountId lookup; `Opportunity__r` → `Opportunity__c`. */
  relationship(object: string, rel: string): FieldInfo | undefined {
    const lower = rel.toLowerCase();
    for (const f of this.fields.values()) {
      if (
        f.object.toLowerCase() === object.toLowerCase() &&
        f.relationshipName?.toLowerCase() === lower
      )
        return f;
    }
    return undefined;
  }

  /** The values of a restricted picklist field among the deployed components, else undefined. */
  picklistValues(object: string, name: string): string[] | undefined {
    const lower = `${object}.${name}`.toLowerCase();
    const c = this.components.find(
      (x) => x.type === 'CustomField' && x.fullName.toLowerCase() === lower,
    );
    const valueSet = list(c?.xml.valueSet)[0];
    if (!valueSet || str(valueSet.restricted) !== 'true') return undefined;
    const definition = list(valueSet.valueSetDefinition)[0];
    return list(definition?.value).map((v) => str(v.fullName) ?? '');
  }

  has(type: string, fullName: string): boolean {
    const lower = fullName.toLowerCase();
    return this.components.some((c) => c.type === type && c.fullName.toLowerCase() === lower);
  }
}
