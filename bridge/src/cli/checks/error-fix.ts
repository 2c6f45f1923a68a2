import { describeError } from '../../errors';

/**
 * Pure: the bridge's errors carry their remedy after "Fix:" / "; fix:". Split it off so the
 * CLI shows what is wrong and what to do on separate lines; fall back to the check's own fix.
 */
export function splitFix(error: unknown, fallbackFix: string): { detail: string; fix: string } {
  const text = describeError(error);
  const match = /(?:[.;]\s*|\s)fix:\s*/i.exec(text);
  if (!match) return { detail: text, fix: fallbackFix };
  return {
    detail: text.slice(0, match.index).trim(),
    fix: text.slice(match.index + match[0].length).trim(),
  };
}
