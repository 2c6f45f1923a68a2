import {
  classifySalesforceHost,
  findUnknownVariables,
  redactedDatabaseUrl,
  type Config,
} from '../../config';
import type { SyncStatus } from '../../sync';
import { CDC_RETENTION_SECONDS } from '../../runtime';
import { failed, passed, type CheckResult } from '../check-result';

/** R5: which world this bridge talks to; loading the config already passed the environment guard. */
export function environmentCheck(config: Config): CheckResult {
  const salesforceHost = new URL(config.salesforce.loginUrl).host;
  const kind = classifySalesforceHost(new URL(config.salesforce.loginUrl).hostname);
  const partnerCenterHost = new URL(config.partnerCenter.apiUrl).host;
  return passed(
    'environment',
    'Environment',
    `BRIDGE_ENVIRONMENT=${config.environment}: Salesforce ${salesforceHost} (${kind}), Partner Center ${partnerCenterHost}, tenant ${config.partnerCenter.tenantId}; the guard allows this combination`,
    'R5',
  );
}

/** Variables that look like ours but are not in the contract are usually typos. */
export function unknownVariablesCheck(
  env: Readonly<Record<string, string | undefined>>,
): CheckResult {
  const unknown = findUnknownVariables(env);
  return unknown.length === 0
    ? passed(
        'variables',
        'Configuration variables',
        'no unknown BRIDGE_/SALESFORCE_/PARTNER_CENTER_ variables',
      )
    : failed(
        'variables',
        'Configuration variables',
        `not recognised: ${unknown.join(', ')}`,
        'remove or correct them (see the Configuration table in README.md); a typo means the intended value is not used',
      );
}

export function budgetCheck(status: SyncStatus): CheckResult {
  const { budget } = status;
  const detail = `${budget.used} of ${budget.budget} Partner Center calls used today (${budget.day}), ${budget.left} left; resets ${budget.resetsAt}`;
  return budget.paused
    ? failed(
        'budget',
        'Daily Partner Center call budget',
        `${detail}; sync is paused`,
        'wait for the reset, or raise PARTNER_CENTER_DAILY_CALL_BUDGET if your agreement allows more calls',
        'R1',
      )
    : passed('budget', 'Daily Partner Center call budget', detail, 'R1');
}

export function storeCheck(
  config: Config,
  status: SyncStatus,
  /** The absolute path of a SQLite store that does not exist yet, if so. */
  missingStore?: string,
  /** Why the first `cosell run` could not create that store (sqliteStoreCreationProblem). */
  creationProblem?: string,
): CheckResult {
  if (missingStore !== undefined && creationProblem !== undefined) {
    return failed(
      'store',
      'State store and queues',
      `no store at ${missingStore} yet, and the first \`cosell run\` cannot create it: ${creationProblem}`,
      "set BRIDGE_DATABASE_URL to a path in a folder the bridge's user may write in (docs/DEPLOY.md: /var/lib/cosell, owned by the cosell user), and run doctor as that user",
      'R14',
    );
  }
  if (missingStore !== undefined) {
    return passed(
      'store',
      'State store and queues',
      `no store at ${missingStore} yet: the first \`cosell run\` in this folder creates it (if the bridge already runs elsewhere, run doctor in its folder or set BRIDGE_DATABASE_URL to its store)`,
      'R14',
    );
  }
  const q = status.queues;
  const detail = `${redactedDatabaseUrl(config.bridge.databaseUrl)}: ${q.outboundPending} outbound pending, ${q.inboxPending} inbound pending, ${q.auditPending} audit events to write, ${status.failures.total} failures (${status.failures.permanent} waiting for a fix)`;
  return status.failures.permanent > 0
    ? failed(
        'store',
        'State store and queues',
        detail,
        'run `cosell failures list` to see what failed and why; fix the data, then `cosell failures retry --all`',
        'R14',
      )
    : passed('store', 'State store and queues', detail, 'R14');
}

export function replayCursorCheck(status: SyncStatus): CheckResult {
  if (status.replayCursors.length === 0) {
    return passed(
      'replay-cursor',
      'CDC replay cursor',
      'no cursor stored yet: the first run subscribes for new events and reconciles the rest',
      'R13',
    );
  }
  const ages = status.replayCursors.map((c) => `${c.channel} #${c.replayId}, ${c.ageSeconds}s old`);
  const stale = status.replayCursors.filter((c) => c.ageSeconds > CDC_RETENTION_SECONDS);
  return stale.length === 0
    ? passed('replay-cursor', 'CDC replay cursor', ages.join('; '), 'R13')
    : failed(
        'replay-cursor',
        'CDC replay cursor',
        `${ages.join('; ')}: older than the 72 h event retention`,
        'start the bridge (`cosell run`): it detects the expired window and reconciles by SystemModstamp; or run `cosell resync --since <last run>`',
        'R13',
      );
}
