/**
 * One line of `setup` / `doctor`: what was checked, whether it holds, and the exact fix when it
 * does not. `requirement` names the R-id the check proves (shown to operators and in JSON).
 */
export interface CheckResult {
  id: string;
  title: string;
  requirement?: string;
  /** `skipped` when an earlier step it depends on failed. */
  state: 'ok' | 'failed' | 'skipped' | 'info';
  detail: string;
  fix?: string;
}

export const passed = (
  id: string,
  title: string,
  detail: string,
  requirement?: string,
): CheckResult => ({ id, title, state: 'ok', detail, ...(requirement ? { requirement } : {}) });

export const failed = (
  id: string,
  title: string,
  detail: string,
  fix: string,
  requirement?: string,
): CheckResult => ({
  id,
  title,
  state: 'failed',
  detail,
  fix,
  ...(requirement ? { requirement } : {}),
});

export const skipped = (
  id: string,
  title: string,
  because: string,
  requirement?: string,
): CheckResult => ({
  id,
  title,
  state: 'skipped',
  detail: `skipped: ${because}`,
  ...(requirement ? { requirement } : {}),
});

export function allPassed(results: readonly CheckResult[]): boolean {
  return results.every((r) => r.state === 'ok' || r.state === 'info');
}
