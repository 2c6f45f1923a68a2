import { fieldMapFromRecords, validateFieldMap } from '../../mapping';
import {
  describeForFieldMap,
  readFieldMapRecords,
  type SalesforceConnection,
} from '../../salesforce';
import { failed, passed, type CheckResult } from '../check-result';
import { splitFix } from './error-fix';

const ID = 'field-mapping';
const TITLE = 'Field mapping (Co_Sell_Field_Map__mdt)';

/**
 * The admin's field mapping: every record readable and valid (R2 for the fields it names). Each
 * problem names the record and what to change in Setup → Custom Metadata Types.
 */
export async function fieldMapCheck(salesforce: SalesforceConnection): Promise<CheckResult> {
  try {
    const { rules, problems: parseProblems } = fieldMapFromRecords(
      await readFieldMapRecords(salesforce),
    );
    const problems = [
      ...parseProblems,
      ...validateFieldMap(rules, await describeForFieldMap(salesforce, rules)),
    ];
    if (problems.length === 0) {
      const custom = rules.filter((r) => r.handler === null).length;
      return passed(
        ID,
        TITLE,
        `${rules.length} mapping record(s), ${custom} of them added by an admin; all valid`,
        'R2',
      );
    }
    return failed(
      ID,
      TITLE,
      problems.map((p) => `${p.record}: ${p.message}`).join('; '),
      'correct the named record(s) in Setup → Custom Metadata Types → Co-Sell Field Map → Manage Records; the bridge keeps its last valid mapping until then',
      'R2',
    );
  } catch (error) {
    const { detail, fix } = splitFix(
      error,
      'deploy the package (it holds the Co_Sell_Field_Map__mdt records) and assign Co_Sell_Bridge_Integration, which grants read on them',
    );
    return failed(ID, TITLE, detail, fix, 'R2');
  }
}
