/**
 * Whether the bridge reaches what it depends on: Salesforce's REST API, its change stream
 * (CometD) and Partner Center. Fed by every call's outcome; an outage is one warning when it
 * starts (not one per retry, and not silence), one info line when it ends, a gauge
 * (`cosell_dependency_up`) and a failed `/readyz` check for as long as it lasts.
 */
import type { Logger } from 'pino';

export const DEPENDENCIES = ['salesforce-api', 'salesforce-stream', 'partner-center'] as const;
export type Dependency = (typeof DEPENDENCIES)[number];

export interface DependencyState {
  dependency: Dependency;
  /** `unknown` until the first call: nothing has been tried, so nothing is known to be wrong. */
  state: 'unknown' | 'up' | 'down';
  /** ISO time of the last change of state. */
  since: string | null;
  /** The cause of the outage, e.g. `connect ECONNREFUSED 127.0.0.1:443`. */
  lastError: string | null;
  /** Failures in a row (0 while up). */
  consecutiveFailures: number;
}

export interface DependencyHealth {
  succeeded(dependency: Dependency): void;
  failed(dependency: Dependency, cause: string): void;
  snapshot(): DependencyState[];
}

const LABEL: Record<Dependency, string> = {
  'salesforce-api': 'Salesforce API',
  'salesforce-stream': 'Salesforce change stream',
  'partner-center': 'Partner Center',
};

export function describeDependency(dependency: Dependency): string {
  return LABEL[dependency];
}

export function createDependencyHealth(options: {
  logger: Logger;
  now?: () => Date;
  onChange?: (dependency: Dependency, up: boolean) => void;
}): DependencyHealth {
  const now = options.now ?? (() => new Date());
  const states = new Map<Dependency, DependencyState>(
    DEPENDENCIES.map((dependency) => [
      dependency,
      { dependency, state: 'unknown', since: null, lastError: null, consecutiveFailures: 0 },
    ]),
  );

  return {
    succeeded(dependency) {
      const current = states.get(dependency)!;
      if (current.state === 'up') return;
      const at = now();
      if (current.state === 'down') {
        const downMs = current.since ? at.getTime() - Date.parse(current.since) : 0;
        options.logger.info(
          { event: 'dependency.recovered', dependency, downSeconds: Math.round(downMs / 1000) },
          `${LABEL[dependency]} reachable again after ${Math.round(downMs / 1000)} s`,
        );
      }
      states.set(dependency, {
        dependency,
        state: 'up',
        since: at.toISOString(),
        lastError: null,
        consecutiveFailures: 0,
      });
      options.onChange?.(dependency, true);
    },
    failed(dependency, cause) {
      const current = states.get(dependency)!;
      if (current.state === 'down') {
        states.set(dependency, {
          ...current,
          lastError: cause,
          consecutiveFailures: current.consecutiveFailures + 1,
        });
        return;
      }
      const at = now();
      options.logger.warn(
        { event: 'dependency.down', dependency, cause },
        `${LABEL[dependency]} unreachable: ${cause}; work waits and resumes by itself when it answers again`,
      );
      states.set(dependency, {
        dependency,
        state: 'down',
        since: at.toISOString(),
        lastError: cause,
        consecutiveFailures: 1,
      });
      options.onChange?.(dependency, false);
    },
    snapshot() {
      return DEPENDENCIES.map((dependency) => ({ ...states.get(dependency)! }));
    },
  };
}
