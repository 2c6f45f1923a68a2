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
  if (isTerminal(current) && patch.length > 0) {
    // "No actions are permitted after any deal reaches a terminal state" (bulk-operations).
    allWarnings.push({
      code: 'referral-closed',
      field: 'Opportunity',
      message: `The referral is Closed/${current.substatus ?? ''} in Partner Center, which permits no further changes; ${patch
        .map((op) => op.path)
        .join(', ')} not sent.`,
    });
    patch = [];
  }
  return {
    ok: true,
    value: { patch, fingerprint: fingerprint(desired.value) },
    warnings: allWarnings,
  };
}
