/**
 * Custom rules of the admin's field mapping (field-map.ts) applied to data: what the referral
 * should hold for the mapped Salesforce values, and which Salesforce fields to update for a
 * referral. Values go through the rule's value map; a value the map does not know is a warning
 * and is not sent, so a typo never reaches the other side. Pure.
 */
import { getAt, parsePointer, withValueAt } from './json-pointer';
import { customRules, type FieldMapRule } from './field-map';
import type { Warning } from './result';

/** Mapped Salesforce values, keyed by the Opportunity-relative path (`Customer_Tier__c`, `Account.Industry`). */
export type MappedValues = Readonly<Record<string, unknown>>;

const relative = (field: string) => field.replace(/^Opportunity\./, '');
const blank = (v: unknown) => v === undefined || v === null || v === '';

function through(
  rule: FieldMapRule,
  value: unknown,
  from: 0 | 1,
): { ok: true; value: unknown } | { ok: false } {
  if (blank(value) || rule.valueMap.length === 0)
    return { ok: true, value: blank(value) ? null : value };
  const pair = rule.valueMap.find((p) => p[from] === String(value));
  return pair ? { ok: true, value: pair[from === 0 ? 1 : 0] } : { ok: false };
}

/**
 * The referral paths the custom rules send, with their values (JSON pointer → value). `create`:
 * for a new referral (rules sent on create too); otherwise only rules sent on every change.
 */
export function customOutboundState(
  rules: readonly FieldMapRule[],
  values: MappedValues,
  create: boolean,
): { state: Record<string, unknown>; warnings: Warning[] } {
  const state: Record<string, unknown> = {};
  const warnings: Warning[] = [];
  for (const rule of customRules(rules)) {
    if (rule.outbound === 'never' || (!create && rule.outbound !== 'create-and-update')) continue;
    const field = rule.salesforce[0];
    const path = rule.referral[0];
    if (field === undefined || path === undefined) continue;
    const raw = values[relative(field)];
    const mapped = through(rule, raw, 0);
    if (!mapped.ok) {
      warnings.push({
        code: 'unmapped-value',
        field,
        message: `${field} "${String(raw)}" has no Partner Center value in the field map ${rule.name}; ${path} not sent.`,
      });
      continue;
    }
    if (create && mapped.value === null) continue;
    state[path] = mapped.value;
  }
  return { state, warnings };
}

/** Sets `state`'s pointers on a copy of `body` (a create body), creating objects on the way. */
export function withPaths<T extends object>(body: T, state: Record<string, unknown>): T {
  let copy = body as Record<string, unknown>;
  for (const [path, value] of Object.entries(state)) {
    copy = withValueAt(copy, parsePointer(path), value);
  }
  return copy as T;
}

/**
 * Opportunity field updates from the custom inbound rules: for a new opportunity (`current`
 * null) every rule that applies on create, otherwise those applied on every change, and only
 * values that differ from `current`.
 */
export function customInboundUpdates(
  rules: readonly FieldMapRule[],
  referral: unknown,
  current: MappedValues | null,
): { updates: Record<string, unknown>; warnings: Warning[] } {
  const updates: Record<string, unknown> = {};
  const warnings: Warning[] = [];
  for (const rule of customRules(rules)) {
    if (rule.inbound === 'never' || (current !== null && rule.inbound !== 'create-and-update'))
      continue;
    const field = rule.salesforce[0];
    const path = rule.referral[0];
    // Inbound writes only the opportunity's own fields (validation refuses related paths).
    if (field === undefined || path === undefined || relative(field).includes('.')) continue;
    const raw = getAt(referral, parsePointer(path));
    if (raw === undefined) continue;
    const mapped = through(rule, raw, 1);
    if (!mapped.ok) {
      warnings.push({
        code: 'unmapped-value',
        field,
        message: `Partner Center ${path} "${String(raw)}" has no Salesforce value in the field map ${rule.name}; ${field} left unchanged.`,
      });
      continue;
    }
    const name = relative(field);
    if (current !== null && sameValue(current[name], mapped.value)) continue;
    if (current === null && mapped.value === null) continue;
    updates[name] = mapped.value;
  }
  return { updates, warnings };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (blank(a) && blank(b)) return true;
  return typeof a === 'number' || typeof b === 'number' ? Number(a) === Number(b) : a === b;
}
