/**
 * The admin's field mapping (custom metadata type Co_Sell_Field_Map__mdt), as plain data. The
 * bridge reads the records at start and when they change (salesforce/field-map-reader.ts); this
 * module turns them into rules, and SHIPPED_FIELD_MAP is the package's own records, which
 * reproduce FIELD_OWNERSHIP exactly (a test parses force-app's records and compares). Pure.
 *
 * Two kinds of rule: a built-in rule (Handler__c set) is one FIELD_OWNERSHIP row, mapped by the
 * bridge's own code (currency conversion, stage ↔ status, deal type, …); an admin may narrow its
 * direction or timing, never widen it. A custom rule (no handler) copies one Salesforce field to
 * one referral path and back, through its picklist value map.
 */
import { FIELD_OWNERSHIP, type FieldOwnership, type Flow, type Owner } from './field-ownership';

export type Direction = 'Outbound' | 'Inbound' | 'Both';

export interface FieldMapRule {
  /** DeveloperName of the record. */
  name: string;
  label: string;
  /** 'Object.Field' paths; a custom rule has one, rooted at Opportunity. */
  salesforce: readonly string[];
  /** JSON pointers into the referral; a custom rule has one. */
  referral: readonly string[];
  direction: Direction;
  outbound: Flow;
  inbound: Flow;
  owner: Owner;
  /** [Salesforce value, Partner Center value] pairs; empty: values travel as they are. */
  valueMap: ReadonlyArray<readonly [string, string]>;
  /** Built-in handler (the FIELD_OWNERSHIP row it stands for), or null for a custom rule. */
  handler: string | null;
  why: string;
  order: number | null;
}

/** A Co_Sell_Field_Map__mdt row as SOQL returns it. */
export interface FieldMapRecord {
  DeveloperName: string;
  MasterLabel?: string | null;
  Salesforce_Field__c?: string | null;
  Referral_Path__c?: string | null;
  Direction__c?: string | null;
  Outbound_When__c?: string | null;
  Inbound_When__c?: string | null;
  Wins__c?: string | null;
  Value_Map__c?: string | null;
  Handler__c?: string | null;
  Why__c?: string | null;
  Sort_Order__c?: number | null;
}

/** The fields the reader selects, in this order. */
export const FIELD_MAP_TYPE = 'Co_Sell_Field_Map__mdt';
export const FIELD_MAP_RECORD_FIELDS = [
  'DeveloperName',
  'MasterLabel',
  'Salesforce_Field__c',
  'Referral_Path__c',
  'Direction__c',
  'Outbound_When__c',
  'Inbound_When__c',
  'Wins__c',
  'Value_Map__c',
  'Handler__c',
  'Why__c',
  'Sort_Order__c',
] as const;

/** A problem in one mapping record, in words an admin can act on in Setup. */
export interface FieldMapProblem {
  record: string;
  message: string;
}

/** Built-in handlers, one per FIELD_OWNERSHIP row (the names of the shipped records). */
export const BUILT_IN_HANDLERS: readonly string[] = Object.freeze([
  'ExternalReferenceId',
  'Name',
  'DealValue',
  'Currency',
  'CloseDate',
  'Notes',
  'Stage',
  'PartnerCenterStatus',
  'Visibility',
  'HelpNeeded',
  'Solutions',
  'CustomerContact',
  'Customer',
  'Owner',
  'ReferralIds',
  'MicrosoftCrmId',
]);

const HANDLER_ROWS: ReadonlyMap<string, FieldOwnership> = new Map(
  BUILT_IN_HANDLERS.map((h, i) => [h, FIELD_OWNERSHIP[i]!]),
);

/** The FIELD_OWNERSHIP row a built-in handler implements. */
export function builtInRow(handler: string): FieldOwnership | undefined {
  return HANDLER_ROWS.get(handler);
}

/** The country field note the shipped Customer row carries in FIELD_OWNERSHIP and the doc. */
const COUNTRY_NOTE = ' (BRIDGE_COUNTRY_FIELD)';

const OWNER_OF: Record<string, Owner> = {
  Salesforce: 'salesforce',
  'Partner Center': 'partner-center',
  'Newer change': 'latest-change',
};
const DEFAULT_OWNER: Record<Direction, Owner> = {
  Outbound: 'salesforce',
  Inbound: 'partner-center',
  Both: 'latest-change',
};

const list = (text: string | null | undefined): string[] =>
  (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** `Small=10to50employees` lines → pairs; a line without `=` is a problem. */
export function parseValueMap(
  text: string | null | undefined,
  record: string,
): { pairs: Array<[string, string]>; problems: FieldMapProblem[] } {
  const pairs: Array<[string, string]> = [];
  const problems: FieldMapProblem[] = [];
  for (const [i, raw] of (text ?? '').split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const at = line.indexOf('=');
    if (at <= 0 || at === line.length - 1) {
      problems.push({
        record,
        message: `Value Map line ${i + 1} "${line}" is not SalesforceValue=PartnerCenterValue`,
      });
      continue;
    }
    pairs.push([line.slice(0, at).trim(), line.slice(at + 1).trim()]);
  }
  return { pairs, problems };
}

function flowOf(
  when: string | null | undefined,
  included: boolean,
  side: 'Outbound' | 'Inbound',
  record: string,
  problems: FieldMapProblem[],
): Flow {
  const value = when ?? '';
  if (!included) {
    if (value !== '') {
      problems.push({
        record,
        message: `direction conflict: ${side} When is "${value}" but Direction excludes ${side}; clear ${side} When or change Direction`,
      });
    }
    return 'never';
  }
  if (value === '' || value === 'Always') return 'create-and-update';
  if (value === 'On create') return 'create';
  problems.push({ record, message: `${side} When "${value}" is not Always or On create` });
  return 'create-and-update';
}

/** Records → rules, sorted by Sort Order then name; malformed records are problems. */
export function fieldMapFromRecords(records: readonly FieldMapRecord[]): {
  rules: FieldMapRule[];
  problems: FieldMapProblem[];
} {
  const problems: FieldMapProblem[] = [];
  const rules: FieldMapRule[] = [];
  for (const r of records) {
    const name = r.DeveloperName;
    const direction = r.Direction__c ?? 'Both';
    if (direction !== 'Outbound' && direction !== 'Inbound' && direction !== 'Both') {
      problems.push({
        record: name,
        message: `Direction "${direction}" is not Outbound, Inbound or Both`,
      });
      continue;
    }
    const outbound = flowOf(
      r.Outbound_When__c,
      direction !== 'Inbound',
      'Outbound',
      name,
      problems,
    );
    const inbound = flowOf(r.Inbound_When__c, direction !== 'Outbound', 'Inbound', name, problems);
    const wins = r.Wins__c ?? null;
    const owner = wins === null ? DEFAULT_OWNER[direction] : OWNER_OF[wins];
    if (owner === undefined) {
      problems.push({
        record: name,
        message: `Wins "${wins}" is not Salesforce, Partner Center or Newer change`,
      });
      continue;
    }
    const valueMap = parseValueMap(r.Value_Map__c, name);
    problems.push(...valueMap.problems);
    const handler = r.Handler__c ?? null;
    rules.push({
      name,
      label: r.MasterLabel ?? name,
      salesforce: list(r.Salesforce_Field__c),
      referral: list(r.Referral_Path__c),
      direction,
      outbound,
      inbound,
      owner,
      valueMap: valueMap.pairs,
      handler,
      why: r.Why__c ?? '',
      order: typeof r.Sort_Order__c === 'number' ? r.Sort_Order__c : null,
    });
  }
  rules.sort(
    (a, b) =>
      (a.order ?? Number.MAX_SAFE_INTEGER) - (b.order ?? Number.MAX_SAFE_INTEGER) ||
      a.name.localeCompare(b.name),
  );
  return { rules, problems };
}

/** A rule as a FIELD_OWNERSHIP row (the doc's table and the equivalence test read this). */
export function ownershipOf(rule: FieldMapRule): FieldOwnership {
  return {
    salesforce: rule.salesforce.map((f) =>
      rule.handler === 'Customer' && f === 'Account.BillingCountry' ? f + COUNTRY_NOTE : f,
    ),
    referral: rule.referral,
    owner: rule.owner,
    outbound: rule.outbound,
    inbound: rule.inbound,
    why: rule.why,
  };
}

/** The package's shipped records as rules: today's mapping, FIELD_OWNERSHIP row by row. */
export const SHIPPED_FIELD_MAP: readonly FieldMapRule[] = Object.freeze(
  FIELD_OWNERSHIP.map((row, i): FieldMapRule => {
    const handler = BUILT_IN_HANDLERS[i]!;
    const direction: Direction =
      row.outbound !== 'never' && row.inbound !== 'never'
        ? 'Both'
        : row.outbound !== 'never'
          ? 'Outbound'
          : 'Inbound';
    return {
      name: handler,
      label: handler,
      salesforce: row.salesforce.map((f) => f.replace(COUNTRY_NOTE, '')),
      referral: row.referral,
      direction,
      outbound: row.outbound,
      inbound: row.inbound,
      owner: row.owner,
      valueMap: [],
      handler,
      why: row.why,
      order: (i + 1) * 10,
    };
  }),
);

/** Custom rules (those the bridge copies field by field), for the mappers and the reader. */
export function customRules(rules: readonly FieldMapRule[]): FieldMapRule[] {
  return rules.filter((r) => r.handler === null);
}

/**
 * The Opportunity-relative SOQL paths the snapshot must read for the custom rules:
 * `Opportunity.Customer_Tier__c` → `Customer_Tier__c`, `Opportunity.Account.Industry` →
 * `Account.Industry`.
 */
export function mappedSnapshotFields(rules: readonly FieldMapRule[]): string[] {
  return [
    ...new Set(
      customRules(rules)
        .flatMap((r) => r.salesforce)
        .filter((f) => f.startsWith('Opportunity.'))
        .map((f) => f.slice('Opportunity.'.length)),
    ),
  ];
}

const flows = (flow: Flow, update: boolean) =>
  update ? flow === 'create-and-update' : flow !== 'never';

/**
 * Referral paths a built-in rule of the shipped mapping sends that the admin's mapping no
 * longer sends (on update, or on create): the mappers drop them. Empty for the shipped mapping.
 */
export function narrowedOutboundPaths(
  rules: readonly FieldMapRule[],
  update: boolean,
): Set<string> {
  const allowed = new Set(
    rules.filter((r) => r.handler !== null && flows(r.outbound, update)).flatMap((r) => r.referral),
  );
  return new Set(
    SHIPPED_FIELD_MAP.filter((r) => flows(r.outbound, update))
      .flatMap((r) => r.referral)
      .filter((p) => !allowed.has(p)),
  );
}

/** Opportunity fields (API names) a shipped built-in rule writes inbound that the admin's mapping no longer does. */
export function narrowedInboundFields(
  rules: readonly FieldMapRule[],
  update: boolean,
): Set<string> {
  const opportunityFields = (rs: readonly FieldMapRule[]) =>
    rs
      .flatMap((r) => r.salesforce)
      .filter((f) => f.startsWith('Opportunity.'))
      .map((f) => f.slice('Opportunity.'.length));
  const allowed = new Set(
    opportunityFields(rules.filter((r) => r.handler !== null && flows(r.inbound, update))),
  );
  return new Set(
    opportunityFields(SHIPPED_FIELD_MAP.filter((r) => flows(r.inbound, update))).filter(
      (f) => !allowed.has(f),
    ),
  );
}
