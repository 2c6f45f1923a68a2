// Deploy-time validation: runs the name rules and the per-type checks over a deploy's components
// against the org as it will be after the deploy. The rules themselves live in validate-names.ts,
// validate-checks.ts and validate-formulas.ts; the org's shape in org-view.ts.
import type { Schema } from '../schema/types';
import type { Component } from './components';
import type { Failure } from './deploy';
import { OrgView } from './org-view';
import { CHECKS } from './validate-checks';
import { nameProblem } from './validate-names';

/**
 * Deploy-time checks, one per rule Salesforce applies to the types this package uses
 * (Metadata API Developer Guide; messages in Salesforce's words). `deployed` are the package's
 * components; `all` is the org after the deploy, so references may point either way.
 */
export function validateDeploy(
  deployed: Component[],
  all: Component[],
  standard: Schema,
): Failure[] {
  const org = new OrgView(all, standard);
  const failures: Failure[] = [];
  for (const c of deployed) {
    const fail = (problem: string) => failures.push({ component: c, problem });
    const name = nameProblem(c);
    if (name) {
      fail(name);
      continue;
    }
    CHECKS[c.type]?.(c, org, fail);
  }
  return failures;
}
