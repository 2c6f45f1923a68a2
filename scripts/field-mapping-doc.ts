/**
 * Prints docs/FIELD-MAPPING.md from the shipped Co_Sell_Field_Map__mdt records:
 *   npx tsx scripts/field-mapping-doc.ts > docs/FIELD-MAPPING.md && npx prettier --write docs/FIELD-MAPPING.md
 * bridge/test/mapping/field-map.test.ts fails when the file is stale.
 */
import {
  fieldMapFromRecords,
  ownershipOf,
  renderFieldMappingMarkdown,
} from '../bridge/src/mapping';
import { shippedFieldMapRecords } from './field-map-records';

const { rules, problems } = fieldMapFromRecords(shippedFieldMapRecords());
if (problems.length > 0) {
  process.stderr.write(problems.map((p) => `${p.record}: ${p.message}`).join('\n') + '\n');
  process.exit(1);
}
process.stdout.write(renderFieldMappingMarkdown(rules.map(ownershipOf)));
