/**
 * One outbound decision for an opportunity that already has a referral: validate, apply the
 * one-way and terminal-state rules, and return the minimal patch with its fingerprint. An empty
 * patch means "make no call".
 */
import type { JsonPatchOperation, OpportunitySnapshot, Referral } from '../schemas';
import { oneWayDealSettings } from './deal-type';
import { diffReferral } from './diff';
import { fingerprint } from './fingerprint';
import type { MappingResult } from './result';
import { isTerminal } from './status';
import { desiredReferralState, type OutboundOptions } from './to-referral';

/** What a closed (terminal) referral still accepts. */
export const CLOSED_REFERRAL_EDITABLE_PATHS: ReadonlySet<string> = new Set([
  '/externalReferenceId',
  '/details/notes',
]);

export interface ReferralUpdatePlan {
  patch: JsonPatchOperation[];
  /** Stable serialisation of the desired state; hash it for the idempotency key. */
  fingerprint: string;
}

export function planReferralUpdate(
  current: Referral,
  snapshot: OpportunitySnapshot,
  options: OutboundOptions = {},
): MappingResult<ReferralUpdatePlan> {
  const { settings, warnings } = oneWayDealSettings(snapshot, current);
  const desired = desiredReferralState(snapshot, current, options, settings);
  if (!desired.ok)
    return { ok: false, problems: desired.problems, warnings: [...warnings, ...desired.warnings] };
  const allWarnings = [...warnings, ...desired.warnings];
  let patch = diffReferral(current, desired.value);
  if (isTerminal(current)) {
    // "Only a subset of fields can be modified … No actions are permitted after any deal reaches a
    // terminal state" (bulk-operations): only the CRM id write-back and notes still go through.
    const refused = patch.filter((op) => !CLOSED_REFERRAL_EDITABLE_PATHS.has(op.path));
    if (refused.length > 0) {
      allWarnings.push({
        code: 'referral-closed',
        field: 'Opportunity',
        message: `The referral is Closed/${current.substatus ?? ''} in Partner Center, which permits no further changes; ${refused
          .map((op) => op.path)
          .join(', ')} not sent.`,
      });
    }
    patch = patch.filter((op) => CLOSED_REFERRAL_EDITABLE_PATHS.has(op.path));
  }
  return {
    ok: true,
    value: { patch, fingerprint: fingerprint(desired.value) },
    warnings: allWarnings,
  };
}
