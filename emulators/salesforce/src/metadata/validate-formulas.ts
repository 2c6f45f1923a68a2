import type { OrgView } from './org-view';

const KEYWORDS = new Set(['true', 'false', 'null', 'and', 'or', 'not']);

/**
 * Field references of a formula (validation rule condition, formula field) that do not resolve
 * on `object`, in the formula editor's words. Functions, literals and `$` globals other than
 * `$Permission` (which must name a custom permission) are not field references.
 */
export function formulaFailures(
  formula: string | undefined,
  object: string,
  org: OrgView,
): string[] {
  if (!formula) return [];
  const code = formula
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"/g, ' ');
  const problems = new Set<string>();
  for (const m of code.matchAll(/[$A-Za-z_][\w.$]*/g)) {
    const ref = m[0];
    const after = code.slice((m.index ?? 0) + ref.length).trimStart();
    if (after.startsWith('(') || KEYWORDS.has(ref.toLowerCase())) continue;
    if (ref.startsWith('$')) {
      const [global = '', name = ''] = ref.split('.');
      if (global === '$Permission' && !org.has('CustomPermission', name)) {
        problems.add(`Field ${ref} does not exist. Check spelling.`);
      }
      continue;
    }
    if (!resolves(org, object, ref.split('.'))) {
      problems.add(`Field ${ref} does not exist. Check spelling.`);
    }
  }
  return [...problems];
}

function resolves(org: OrgView, object: string, parts: string[]): boolean {
  let current: string | undefined = object;
  for (const [i, part] of parts.entries()) {
    if (!current) return false;
    if (i === parts.length - 1) return org.field(current, part) !== undefined;
    current = org.relationship(current, part)?.referenceTo[0];
  }
  return false;
}
