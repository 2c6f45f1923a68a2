import { restDateTime } from '../clock';
import type { EmulatorState } from '../emulator-state';
import { buildSchema } from '../schema/build-schema';
import { metadataFromComponents, type ForceAppMetadata } from '../schema/metadata-loader';
import type { Schema } from '../schema/types';
import type { Component } from './components';
import { deployPackage, type DeployMessage, type DeployOutcome } from './deploy';
import type { PackageFiles } from './package-files';

export const EMPTY_METADATA: ForceAppMetadata = metadataFromComponents([]);

/** The standard objects alone: what a package's references may rely on besides itself. */
export function standardSchema(settings: EmulatorState['config']['settings']): Schema {
  return buildSchema(EMPTY_METADATA, settings);
}

/** `DeployResult` (Metadata API), as both the REST and the SOAP deploy resources report it. */
export interface DeployResult {
  id: string;
  checkOnly: boolean;
  completedDate: string;
  createdBy: string;
  createdByName: string;
  createdDate: string;
  details: {
    componentSuccesses: DeployMessage[];
    componentFailures: DeployMessage[];
    runTestResult: { numFailures: number; numTestsRun: number; totalTime: number };
  };
  done: boolean;
  ignoreWarnings: boolean;
  lastModifiedDate: string;
  numberComponentErrors: number;
  numberComponentsDeployed: number;
  numberComponentsTotal: number;
  numberTestErrors: number;
  numberTestsCompleted: number;
  numberTestsTotal: number;
  rollbackOnError: boolean;
  runTestsEnabled: boolean;
  startDate: string;
  status: 'Succeeded' | 'Failed';
  success: boolean;
}

/** Deploys the org has run, by id (`0Af…`), so status polls find them. */
export class MetadataDeploys {
  private readonly results = new Map<string, DeployResult>();
  private seq = 0;

  get(id: string): DeployResult | undefined {
    return this.results.get(id);
  }

  /**
   * Runs one deploy to completion (a check-only deploy validates and changes nothing) and
   * records its result. The org's schema changes only when every component succeeds.
   */
  run(
    state: EmulatorState,
    files: PackageFiles,
    options: { userId: string; checkOnly?: boolean },
  ): DeployResult {
    const now = restDateTime(state.clock.now());
    const outcome = deployPackage(state.components, files, standardSchema(state.org.settings), now);
    const ok = outcome.failures.length === 0;
    if (ok && !options.checkOnly) applyComponents(state, outcome.components);
    this.seq += 1;
    const id = `0Af5g${String(this.seq).padStart(10, '0')}AAA`;
    const user = state.org.store.get(options.userId)?.fields;
    const result = deployResult(id, outcome, {
      now,
      checkOnly: options.checkOnly ?? false,
      userId: options.userId,
      userName: String(user?.Name ?? ''),
    });
    this.results.set(id, result);
    return result;
  }
}

/** Makes `components` the org's metadata: schema, permission sets, CDC selection. */
export function applyComponents(state: EmulatorState, components: Map<string, Component>): void {
  state.components = components;
  state.org.redeploy(metadataFromComponents([...components.values()]));
}

function deployResult(
  id: string,
  outcome: DeployOutcome,
  o: { now: string; checkOnly: boolean; userId: string; userName: string },
): DeployResult {
  const ok = outcome.failures.length === 0;
  return {
    id,
    checkOnly: o.checkOnly,
    completedDate: o.now,
    createdBy: o.userId,
    createdByName: o.userName,
    createdDate: o.now,
    details: {
      componentSuccesses: outcome.successes,
      componentFailures: outcome.failures,
      runTestResult: { numFailures: 0, numTestsRun: 0, totalTime: 0 },
    },
    done: true,
    ignoreWarnings: false,
    lastModifiedDate: o.now,
    numberComponentErrors: outcome.failures.length,
    numberComponentsDeployed: ok ? outcome.successes.length : 0,
    numberComponentsTotal: outcome.total,
    numberTestErrors: 0,
    numberTestsCompleted: 0,
    numberTestsTotal: 0,
    rollbackOnError: true,
    runTestsEnabled: false,
    startDate: o.now,
    status: ok ? 'Succeeded' : 'Failed',
    success: ok,
  };
}
