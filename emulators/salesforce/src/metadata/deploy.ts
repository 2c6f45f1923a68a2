import type { Schema } from '../schema/types';
import { componentKey, PackageError, packageComponents, type Component } from './components';
import type { PackageFiles } from './package-files';
import { validateDeploy } from './validate';

/** A `DeployMessage` of the Metadata API (one per component, success or failure). */
export interface DeployMessage {
  changed: boolean;
  columnNumber?: number;
  componentType: string;
  created: boolean;
  createdDate: string;
  deleted: boolean;
  fileName: string;
  fullName: string;
  lineNumber?: number;
  problem?: string;
  problemType?: 'Error' | 'Warning';
  success: boolean;
}

export interface DeployOutcome {
  /** The org's components after the deploy (unchanged when it failed: rollbackOnError). */
  components: Map<string, Component>;
  successes: DeployMessage[];
  failures: DeployMessage[];
  /** Components whose type this org does not model: accepted and kept, nothing else. */
  total: number;
}

export interface Failure {
  component: Pick<Component, 'type' | 'fullName' | 'fileName'>;
  problem: string;
}

/**
 * Deploys a metadata-format package into the org's component set: every component is
 * validated as Salesforce validates it against the merged result (standard objects from
 * `standard`), and any failure fails the whole deploy without changing anything, as a deploy
 * with `rollbackOnError` (always on for production orgs) does.
 */
export function deployPackage(
  current: ReadonlyMap<string, Component>,
  files: PackageFiles,
  standard: Schema,
  now: string,
): DeployOutcome {
  let deployed: Component[];
  try {
    deployed = packageComponents(files);
  } catch (error) {
    if (!(error instanceof PackageError)) throw error;
    const failure: Failure = {
      component: { type: '', fullName: error.fileName, fileName: error.fileName },
      problem: error.message,
    };
    return {
      components: new Map(current),
      successes: [],
      failures: [message(failure, now)],
      total: 1,
    };
  }
  const merged = new Map(current);
  for (const c of deployed) merged.set(componentKey(c), c);
  const failures = validateDeploy(deployed, [...merged.values()], standard).map((f) =>
    message(f, now),
  );
  if (failures.length) {
    return { components: new Map(current), successes: [], failures, total: deployed.length };
  }
  const successes = deployed.map((c) => ({
    changed: current.has(componentKey(c)),
    componentType: c.type,
    created: !current.has(componentKey(c)),
    createdDate: now,
    deleted: false,
    fileName: c.fileName,
    fullName: c.fullName,
    success: true,
  }));
  return { components: merged, successes, failures: [], total: deployed.length };
}

function message(f: Failure, now: string): DeployMessage {
  return {
    changed: false,
    componentType: f.component.type,
    created: false,
    createdDate: now,
    deleted: false,
    fileName: f.component.fileName,
    fullName: f.component.fullName,
    problem: f.problem,
    problemType: 'Error',
    success: false,
  };
}
