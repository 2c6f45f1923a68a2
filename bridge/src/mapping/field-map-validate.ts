/**
 * `cosell doctor`'s check of the admin's field mapping: every problem names the record and what
 * to change in Setup. Pure: the caller passes what Salesforce describes.
 */
import { builtInRow, type FieldMapProblem, type FieldMapRule } from './field-map';
import type { Flow } from './field-ownership';
import { CUSTOM_REFERRAL_PATHS } from './referral-paths';

/** What Salesforce describes about a field (the doctor reads it with describe). */
export interface DescribedField {
  name: string;
  type: string;
  updateable: boolean;
  picklistValues?: readonly string[];
  relationshipName?: string | null;
  referenceTo?: readonly string[];
}

/** Fields of an object by lower-case API name, or undefined when the object is not visible. */
export type Describe = (object: string) => ReadonlyMap<string, DescribedField> | undefined;

const FLOW_RANK: Record<Flow, number> = { never: 0, create: 1, 'create-and-update': 2 };

/** Resolves `Opportunity.Account.Industry` through relationships to its field, or says why not. */
function resolveField(
  path: string,
  describe: Describe,
): { field: DescribedField; related: boolean } | string {
  const [root = '', ...rest] = path.split('.');
  if (root !== 'Opportunity' || rest.length === 0) {
    return `unknown field ${path}: a custom mapping names an opportunity field (Opportunity.Field) or a related record's field (Opportunity.Account.Field)`;
  }
  let object = root;
  for (const [i, segment] of rest.entries()) {
    const fields = describe(object);
    if (!fields) return `unknown field ${path}: the bridge's user cannot see ${object}`;
    if (i === rest.length - 1) {
      const field = fields.get(segment.toLowerCase());
      return field
        ? { field, related: rest.length > 1 }
        : `unknown field ${path}: ${object} has no field ${segment} the bridge's user can read (deploy it, or grant it to the bridge's user)`;
    }
    const lookup = [...fields.values()].find(
      (f) => f.relationshipName?.toLowerCase() === segment.toLowerCase(),
    );
    const to = lookup?.referenceTo?.[0];
    if (!lookup || !to) return `unknown field ${path}: ${object} has no relationship ${segment}`;
    object = to;
  }
  return `unknown field ${path}`;
}

function builtInProblems(rule: FieldMapRule): string[] {
  const row = builtInRow(rule.handler ?? '');
  if (!row) return [`Built-in Handler "${rule.handler}" is not one the bridge has`];
  const out: string[] = [];
  const plain = row.salesforce.map((f) => f.replace(' (BRIDGE_COUNTRY_FIELD)', ''));
  if (plain.join(',') !== rule.salesforce.join(',')) {
    out.push(
      `the built-in handler ${rule.handler} maps ${plain.join(', ')}; set Salesforce Field back to that (add a record without a handler to map another field)`,
    );
  }
  if (row.referral.join(',') !== rule.referral.join(',')) {
    out.push(
      `the built-in handler ${rule.handler} maps ${row.referral.join(', ')}; set Referral Path back to that`,
    );
  }
  for (const side of ['outbound', 'inbound'] as const) {
    if (FLOW_RANK[rule[side]] > FLOW_RANK[row[side]]) {
      out.push(
        `direction conflict: the built-in handler ${rule.handler} cannot go ${side} ${rule[side] === 'create' ? 'on create' : 'on every change'}; the shipped record is as far as it goes`,
      );
    }
  }
  return out;
}

function customProblems(rule: FieldMapRule, describe: Describe): string[] {
  const out: string[] = [];
  if (rule.salesforce.length !== 1 || rule.referral.length !== 1) {
    return ['a custom mapping names exactly one Salesforce Field and one Referral Path'];
  }
  const path = rule.referral[0]!;
  const info = CUSTOM_REFERRAL_PATHS[path];
  if (!info) {
    out.push(
      `unknown referral path ${path}: a custom mapping may use ${Object.keys(CUSTOM_REFERRAL_PATHS).join(', ')}`,
    );
  } else if (!info.writable && rule.outbound !== 'never') {
    out.push(`direction conflict: Partner Center sets ${path} itself, so it can only flow Inbound`);
  }
  if (rule.direction === 'Both' && rule.owner !== 'latest-change') {
    out.push(
      'direction conflict: a custom mapping that goes both ways is merged by the newer change; set Wins to Newer change or make Direction one-way',
    );
  }
  const resolved = resolveField(rule.salesforce[0]!, describe);
  if (typeof resolved === 'string') return [...out, resolved];
  if (rule.inbound !== 'never' && (resolved.related || !resolved.field.updateable)) {
    out.push(
      resolved.related
        ? `direction conflict: ${rule.salesforce[0]} is on a related record; the bridge writes only the opportunity's own fields, so Direction must be Outbound`
        : `direction conflict: ${rule.salesforce[0]} is not writable by the bridge's user (formula, read-only, or no edit access), so Direction must be Outbound`,
    );
  }
  const sfValues = resolved.field.picklistValues;
  for (const [sf, pc] of rule.valueMap) {
    if (sfValues && sfValues.length > 0 && !sfValues.includes(sf)) {
      out.push(
        `Value Map: "${sf}" is not a value of the picklist ${rule.salesforce[0]} (${sfValues.join(', ')})`,
      );
    }
    if (info?.enum && !info.enum.includes(pc)) {
      out.push(
        `Value Map: picklist value "${pc}" is not one Partner Center accepts for ${path} (${info.enum.join(', ')})`,
      );
    }
  }
  return out;
}

/** Every problem of the mapping; empty when the bridge may use it. */
export function validateFieldMap(
  rules: readonly FieldMapRule[],
  describe: Describe,
): FieldMapProblem[] {
  const problems: FieldMapProblem[] = [];
  for (const rule of rules) {
    const found = rule.handler === null ? customProblems(rule, describe) : builtInProblems(rule);
    problems.push(...found.map((message) => ({ record: rule.name, message })));
  }
  // Duplicate targets: one writer per referral path (outbound) and per Salesforce field (inbound).
  const writers = new Map<string, string>();
  for (const rule of rules) {
    const targets = [
      ...(rule.outbound !== 'never' ? rule.referral.map((p) => `referral path ${p}`) : []),
      ...(rule.inbound !== 'never' ? rule.salesforce.map((f) => `Salesforce field ${f}`) : []),
    ];
    for (const target of new Set(targets)) {
      const first = writers.get(target);
      // The Stage and status rules share /status and /substatus by design (one each way).
      if (first !== undefined && first !== rule.name) {
        problems.push({
          record: rule.name,
          message: `duplicate target: ${target} is already written by ${first}`,
        });
      } else writers.set(target, rule.name);
    }
  }
  return problems;
}
