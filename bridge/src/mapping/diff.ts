/**
 * Minimal JSON Patch from a referral's current state to the desired state of the fields we own.
 * Only `replace` and `add` (all the Referrals API accepts), only changed leaves, and an empty
 * patch when nothing changed so the caller skips the call entirely (R1).
 */
import type { JsonPatchOperation, Referral } from '../schemas';
import {
  existingObjectDepth,
  getAt,
  parsePointer,
  setAt,
  toPointer,
  withValueAt,
} from './json-pointer';
import type { DesiredReferralState } from './to-referral';

type Comparator = (current: unknown, desired: unknown) => boolean;

const blank = (v: unknown) => v === undefined || v === null || v === '';

/** Deep equality that treats absent, null and '' as the same "no value". */
export const sameValue: Comparator = (a, b) => {
  if (blank(a) && blank(b)) return true;
  if (typeof a === 'number' && typeof b === 'number')
    return a === b || (Number.isNaN(a) && Number.isNaN(b));
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => sameValue(a[k], b[k]));
  }
  return a === b;
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Numbers equal to the cent; the API may echo "10000" for 10000. */
const sameAmount: Comparator = (a, b) => {
  const x = typeof a === 'string' ? Number(a) : a;
  const y = typeof b === 'string' ? Number(b) : b;
  if (typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y)) {
    return Math.round(x * 100) === Math.round(y * 100);
  }
  return sameValue(a, b);
};

/** Same UTC calendar day: "2024-11-14T00:00:00Z" equals "2024-11-14T00:00:00.000Z". */
const sameDay: Comparator = (a, b) => {
  const day = (v: unknown) =>
    typeof v === 'string' && !Number.isNaN(Date.parse(v))
      ? new Date(v).toISOString().slice(0, 10)
      : v;
  return sameValue(day(a), day(b));
};

/** Same set of solution ids; Partner Center adds publisherName/solutionType we never send. */
const sameSolutions: Comparator = (a, b) => {
  const ids = (v: unknown) =>
    Array.isArray(v)
      ? v
          .map((s: unknown) => (isRecord(s) ? s.id : undefined))
          .filter((id): id is string => typeof id === 'string')
          .sort()
      : [];
  return sameValue(ids(a), ids(b));
};

const sameText: Comparator = (a, b) =>
  sameValue(typeof a === 'string' ? a.trim() : a, typeof b === 'string' ? b.trim() : b);

const COMPARATORS: Readonly<Record<string, Comparator>> = {
  '/details/dealValue': sameAmount,
  '/details/closingDateTime': sameDay,
  '/details/requirements/solutions': sameSolutions,
  '/details/notes': sameText,
  '/name': sameText,
};

/** Status must be applied before substatus so each step is a documented pair. */
const ORDER = ['/status', '/substatus'];

export function diffReferral(
  current: Referral,
  desired: DesiredReferralState,
): JsonPatchOperation[] {
  // What the referral becomes as the operations so far apply (never `current` itself).
  let working = current as Record<string, unknown>;
  const paths = Object.keys(desired).sort((a, b) => rank(a) - rank(b));
  const patch: JsonPatchOperation[] = [];
  for (const path of paths) {
    const value = desired[path];
    const tokens = parsePointer(path);
    const compare = COMPARATORS[path] ?? sameValue;
    if (compare(getAt(working, tokens), value)) continue;
    const depth = existingObjectDepth(working, tokens.slice(0, -1));
    if (depth === tokens.length - 1) {
      const parent = getAt(working, tokens.slice(0, -1)) as Record<string, unknown>;
      const key = tokens[tokens.length - 1]!;
      patch.push({ op: present(parent, key) ? 'replace' : 'add', path, value });
    } else {
      // A missing parent: `add` needs an existing container, so add the first missing object whole.
      const head = tokens.slice(0, depth + 1);
      const nested: Record<string, unknown> = {};
      setAt(nested, tokens.slice(depth + 1), value);
      const parent = getAt(working, tokens.slice(0, depth)) as Record<string, unknown>;
      patch.push({
        op: present(parent, head[depth]!) ? 'replace' : 'add',
        path: toPointer(head),
        value: nested,
      });
    }
    working = withValueAt(working, tokens, value);
  }
  return patch;
}

/** JSON has no undefined: a key holding undefined is absent and needs `add`, not `replace`. */
function present(parent: Record<string, unknown>, key: string): boolean {
  return Object.hasOwn(parent, key) && parent[key] !== undefined;
}

function rank(path: string): number {
  const i = ORDER.indexOf(path);
  return i < 0 ? -1 : i;
}
