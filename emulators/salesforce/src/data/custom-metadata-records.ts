import type { CustomMetadataRecord } from '../schema/metadata-loader';
import type { Schema } from '../schema/types';
import type { RecordStore } from './record-store';

/**
 * Makes the org's custom metadata records those of the deployed metadata: new ones are added,
 * changed ones updated in place (same Id), removed ones dropped. A record keeps its Id across
 * deploys as Salesforce keeps it, so a reader can compare what it read before.
 */
export function syncCustomMetadataRecords(
  store: RecordStore,
  schema: Schema,
  records: readonly CustomMetadataRecord[],
): void {
  const wanted = new Map(records.map((r) => [key(r.type, r.developerName), r]));
  const existing = new Map<string, string>();
  for (const obj of schema.list()) {
    if (!obj.customMetadata) continue;
    for (const stored of [...store.ofObject(obj.name)]) {
      const k = key(obj.name, String(stored.fields.DeveloperName));
      if (wanted.has(k)) existing.set(k, String(stored.fields.Id));
      else store.remove(String(stored.fields.Id));
    }
  }
  for (const [k, record] of wanted) {
    const obj = schema.object(record.type);
    if (!obj?.customMetadata) continue;
    const fields: Record<string, unknown> = {
      Id: existing.get(k) ?? store.nextId(obj.keyPrefix),
      DeveloperName: record.developerName,
      MasterLabel: record.label,
      Label: record.label,
      Language: 'en_US',
      NamespacePrefix: null,
      QualifiedApiName: record.developerName,
    };
    for (const f of obj.fields.values()) {
      if (!f.custom) continue;
      const raw = record.values.get(f.name) ?? null;
      fields[f.name] = typed(raw, f.type);
    }
    store.put({ object: obj.name, deleted: false, fields });
  }
}

function typed(raw: string | null, type: string): unknown {
  if (type === 'boolean') return raw === 'true';
  if (raw === null) return null;
  if (type === 'double' || type === 'currency' || type === 'percent') return Number(raw);
  return raw;
}

const key = (type: string, name: string) => `${type}.${name}`.toLowerCase();
