/**
 * Binds the pure mapping functions (mapping/) to the options of this deployment, giving the engine
 * the few decisions it needs. Mapping returns problems instead of throwing; only a create body
 * that fails after validation passed (a mapping bug) becomes an error.
 */
import { PermanentError } from '../errors';
import {
  type ConversionRates,
  type FieldMapRule,
  type NewRecords,
  SHIPPED_FIELD_MAP,
  customInboundUpdates,
  customOutboundState,
  customRules,
  diffReferral,
  isTerminal,
  mappedSnapshotFields,
  narrowedInboundFields,
  narrowedOutboundPaths,
  withPaths,
  type Problem,
  type SalesforceUserRef,
  type Warning,
  DEFAULT_REFERRAL_LINK_BASE,
  describeProblems,
  fromReferral,
  planReferralUpdate,
  referralToNewRecords,
  closeDateWarnings,
  toReferralCreate,
  validateForSubmit,
} from '../mapping';
import type { JsonPatchOperation, OpportunitySnapshot, Referral, ReferralCreate } from '../schemas';

export interface NewRecordsContext {
  users: readonly SalesforceUserRef[];
  orgCurrency: string | null;
  multiCurrency: boolean;
  now: Date;
}

/** The mapping decisions the engine needs; createSyncMapping builds it from mapping/. */
export interface SyncMapping {
  validateForSubmit(snapshot: OpportunitySnapshot): readonly Problem[];
  /**
   * The create body and what the seller should know about it (text cut to Partner Center's
   * limits, a converted currency, a Close Date in the past): audited and shown on the record.
   */
  toReferralCreate(
    snapshot: OpportunitySnapshot,
    today: string,
  ): { body: ReferralCreate; warnings: readonly Warning[] };
  /**
   * The minimal JSON Patch from the referral as we last saw it to what the opportunity says now
   * (empty = nothing to send, R1), or the problem that forbids it (illegal status transition).
   */
  planUpdate(
    current: Referral,
    snapshot: OpportunitySnapshot,
  ): {
    operations: JsonPatchOperation[];
    problems: readonly Problem[];
    warnings: readonly Warning[];
  };
  /** Opportunity field updates for a referral change, per the field-ownership table (R4, R18). */
  planInbound(
    referral: Referral,
    snapshot: OpportunitySnapshot,
  ): { updates: Record<string, unknown>; warnings: readonly Warning[] };
  /** R18: account/contact/opportunity for a referral that has no CRM id yet. */
  newRecords(referral: Referral, context: NewRecordsContext): NewRecords;
  /** Deep link to the referral in Partner Center, for Partner_Center_Referral_Link__c. */
  referralLink(referral: Referral): string | null;
  /** Opportunity fields the admin's field mapping sends beyond the built-in ones (CDC triage). */
  mappedTriggerFields?(): ReadonlySet<string>;
}

export interface MappingOptions {
  /** BRIDGE_COUNTRY_FIELD, e.g. Account.BillingCountry. */
  countryField: string;
  conversionRates?: ConversionRates;
  referralLinkBase?: string;
  /** BRIDGE_INBOUND_HOLD_STAGE: a referral Microsoft sent waits here; leaving it accepts. */
  holdStage?: string;
  /**
   * The admin's field mapping as it stands now (Co_Sell_Field_Map__mdt, sync/field-map-source.ts);
   * absent: the shipped mapping, which is exactly the built-in behaviour.
   */
  fieldMap?: () => readonly FieldMapRule[];
}

function currencyFacts(snapshot: OpportunitySnapshot) {
  // CurrencyIsoCode is read only in multi-currency orgs, so its presence says which kind it is.
  return { orgCurrency: snapshot.orgCurrency, multiCurrency: snapshot.currencyIsoCode !== null };
}

export function createSyncMapping(options: MappingOptions): SyncMapping {
  const outbound = {
    countryField: options.countryField,
    conversionRates: options.conversionRates,
    holdStage: options.holdStage,
  };
  const linkBase = options.referralLinkBase ?? DEFAULT_REFERRAL_LINK_BASE;
  const rules = options.fieldMap ?? (() => SHIPPED_FIELD_MAP);
  return {
    validateForSubmit: (snapshot) => validateForSubmit(snapshot, outbound),
    toReferralCreate(snapshot, today) {
      const result = toReferralCreate(snapshot, outbound);
      if (!result.ok) {
        throw new PermanentError(describeProblems(result.problems), 'bridge', 'mapping');
      }
      const custom = customOutboundState(rules(), snapshot.mapped ?? {}, true);
      return {
        body: withPaths(result.value, custom.state),
        warnings: [...result.warnings, ...custom.warnings, ...closeDateWarnings(snapshot, today)],
      };
    },
    planUpdate(current, snapshot) {
      const result = planReferralUpdate(current, snapshot, outbound);
      if (!result.ok)
        return { operations: [], problems: result.problems, warnings: result.warnings };
      const mapped = mappedUpdate(rules(), current, snapshot);
      return {
        operations: [...withoutNarrowed(result.value.patch, rules()), ...mapped.operations],
        problems: [],
        warnings: [...result.warnings, ...mapped.warnings],
      };
    },
    planInbound(referral, snapshot) {
      const builtIn = fromReferral(referral, snapshot, {
        ...currencyFacts(snapshot),
        conversionRates: options.conversionRates,
        referralLinkBase: linkBase,
      });
      const narrowed = narrowedInboundFields(rules(), true);
      const custom = customInboundUpdates(rules(), referral, snapshot.mapped ?? {});
      return {
        updates: {
          ...Object.fromEntries(Object.entries(builtIn.updates).filter(([f]) => !narrowed.has(f))),
          ...custom.updates,
        },
        warnings: [...builtIn.warnings, ...custom.warnings],
      };
    },
    newRecords(referral, context) {
      const records = referralToNewRecords(referral, {
        ...context,
        ...(options.holdStage ? { openStage: options.holdStage } : {}),
        conversionRates: options.conversionRates,
        referralLinkBase: linkBase,
      });
      const custom = customInboundUpdates(rules(), referral, null);
      return {
        ...records,
        opportunity: { ...records.opportunity, ...(custom.updates as NewRecords['opportunity']) },
        warnings: [...records.warnings, ...custom.warnings],
      };
    },
    referralLink: (referral) => linkBase + encodeURIComponent(referral.id),
    mappedTriggerFields: () =>
      new Set(
        mappedSnapshotFields(
          customRules(rules()).filter((r) => r.outbound === 'create-and-update'),
        ).filter((f) => !f.includes('.')),
      ),
  };
}

/** Drops patch operations on paths an admin narrowed out of a shipped rule (none by default). */
function withoutNarrowed(
  patch: readonly JsonPatchOperation[],
  rules: readonly FieldMapRule[],
): JsonPatchOperation[] {
  const narrowed = [...narrowedOutboundPaths(rules, true)];
  if (narrowed.length === 0) return [...patch];
  return patch.filter((op) => !narrowed.some((p) => op.path === p || op.path.startsWith(`${p}/`)));
}

/** The custom rules' operations on an existing referral; none once it is closed (terminal). */
function mappedUpdate(
  rules: readonly FieldMapRule[],
  current: Referral,
  snapshot: OpportunitySnapshot,
): { operations: JsonPatchOperation[]; warnings: Warning[] } {
  const custom = customOutboundState(rules, snapshot.mapped ?? {}, false);
  if (Object.keys(custom.state).length === 0 || isTerminal(current))
    return { operations: [], warnings: custom.warnings };
  return { operations: diffReferral(current, custom.state), warnings: custom.warnings };
}
