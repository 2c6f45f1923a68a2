import type { FieldIssue } from './api-error';

/**
 * RFC 6902 as patch-a-referral documents it: only `replace` and `add`. `add` with a final `-`
 * appends to an array. `replace` may set a missing property whose parent object exists, because
 * Partner Center's own sample replaces optional fields that a referral may not have yet.
 * Pure: returns a patched copy, or the issues that stopped it.
 */
export interface PatchOperation {
  op: string;
  path: string;
  value?: unknown;
}

export type PatchResult =
  | { ok: true; document: Record<string, unknown>; touched: string[] }
  | { ok: false; issues: FieldIssue[] };

export function parsePatch(body: unknown): PatchOperation[] | FieldIssue[] {
  if (!Array.isArray(body)) {
    return [
      { target: 'body', message: 'The request body must be a JSON Patch array of operations.' },
    ];
  }
  const issues: FieldIssue[] = [];
  body.forEach((raw, i) => {
    const op = raw as Partial<PatchOperation> | null;
    if (!op || typeof op !== 'object')
      issues.push({ target: `[${i}]`, message: 'Each patch operation must be an object.' });
    else if (op.op !== 'replace' && op.op !== 'add') {
      issues.push({
        target: `[${i}].op`,
        message: `Operation '${String(op.op)}' is not supported; only 'replace' and 'add' are.`,
      });
    } else if (typeof op.path !== 'string' || !op.path.startsWith('/')) {
      issues.push({
        target: `[${i}].path`,
        message: 'Each patch operation needs a JSON Pointer path starting with "/".',
      });
    } else if (!('value' in op)) {
      issues.push({ target: `[${i}].value`, message: `Operation '${op.op}' needs a value.` });
    }
  });
  return issues.length > 0 ? issues : (body as PatchOperation[]);
}

export function pointerSegments(path: string): string[] {
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function applyPatch(
  document: Record<string, unknown>,
  operations: PatchOperation[],
): PatchResult {
  const copy = structuredClone(document);
  const issues: FieldIssue[] = [];
  for (const operation of operations) {
    const segments = pointerSegments(operation.path);
    const last = segments.pop();
    let parent: unknown = copy;
    for (const segment of segments) {
      parent = child(parent, segment);
      if (parent === undefined) break;
    }
    if (
      last === undefined ||
      parent === undefined ||
      parent === null ||
      typeof parent !== 'object'
    ) {
      issues.push({
        target: operation.path,
        message: `Path '${operation.path}' does not exist on the referral.`,
      });
      continue;
    }
    const value = structuredClone(operation.value);
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last);
      if (
        !Number.isInteger(index) ||
        index < 0 ||
        index > parent.length ||
        (operation.op === 'replace' && index >= parent.length)
      ) {
        issues.push({ target: operation.path, message: `Array index '${last}' is out of range.` });
        continue;
      }
      if (operation.op === 'add') parent.splice(index, 0, value);
      else parent[index] = value;
    } else {
      (parent as Record<string, unknown>)[last] = value;
    }
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, document: copy, touched: operations.map((o) => o.path) };
}

function child(node: unknown, segment: string): unknown {
  if (Array.isArray(node)) {
    const index = Number(segment);
    return Number.isInteger(index) ? node[index] : undefined;
  }
  if (node !== null && typeof node === 'object') return (node as Record<string, unknown>)[segment];
  return undefined;
}
