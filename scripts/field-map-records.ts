/**
 * The package's shipped Co_Sell_Field_Map__mdt records, read from force-app as the bridge would
 * read them with SOQL (one FieldMapRecord per file), for the doc generator and its test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { FieldMapRecord } from '../bridge/src/mapping';

export const CUSTOM_METADATA_DIR = path.join(__dirname, '../force-app/main/default/customMetadata');

const parser = new XMLParser({
  ignoreAttributes: false,
  parseTagValue: false,
  isArray: (name) => name === 'values',
});

export function shippedFieldMapRecords(dir = CUSTOM_METADATA_DIR): FieldMapRecord[] {
  return readdirSync(dir)
    .filter((f) => f.startsWith('Co_Sell_Field_Map.') && f.endsWith('.md-meta.xml'))
    .sort()
    .map((file) => {
      const doc = parser.parse(readFileSync(path.join(dir, file), 'utf8')) as {
        CustomMetadata: { label: string; values: Array<{ field: string; value: unknown }> };
      };
      const record: Record<string, unknown> = {
        DeveloperName: file.slice('Co_Sell_Field_Map.'.length, -'.md-meta.xml'.length),
        MasterLabel: doc.CustomMetadata.label,
      };
      for (const v of doc.CustomMetadata.values) {
        const value = v.value as { '#text'?: string; '@_xsi:type'?: string } | string;
        const text = typeof value === 'string' ? value : (value?.['#text'] ?? null);
        const numeric = typeof value === 'object' && value?.['@_xsi:type'] === 'xsd:double';
        record[v.field] = text === null ? null : numeric ? Number(text) : text;
      }
      return record as unknown as FieldMapRecord;
    });
}
