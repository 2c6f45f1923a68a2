/**
 * Applies the bridge's own JSON Patch (replace/add of object members, as diffReferral builds
 * it) to a copy of a referral. After Partner Center's documented 204 No Content this is how the
 * bridge knows the referral's new state without reading it back. Pure.
 */
import type { JsonPatchOperation, Referral } from '../schemas';
import { parsePointer, setAt } from './json-pointer';

export function applyPatchOperations(
  referral: Referral,
  operations: readonly JsonPatchOperation[],
): Referral {
  const copy = structuredClone(referral) as Record<string, unknown>;
  for (const operation of operations) {
    const tokens = parsePointer(operation.path);
    if (tokens.at(-1) === '-') {
      // Append (`add …/-`): the array the pointer's parent names.
      const parent = tokens.slice(0, -1);
      let node: unknown = copy;
      for (const token of parent) node = (node as Record<string, unknown> | undefined)?.[token];
      if (Array.isArray(node)) node.push(structuredClone(operation.value));
      else setAt(copy, parent, [structuredClone(operation.value)]);
      continue;
    }
    setAt(copy, tokens, structuredClone(operation.value));
  }
  return copy as Referral;
}
