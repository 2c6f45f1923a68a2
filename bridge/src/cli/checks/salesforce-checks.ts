import type { Logger } from 'pino';
import type { Config } from '../../config';
import {
  checkSchema,
  createCdcSubscriber,
  INTEGRATION_PERMISSION_SET,
  type SalesforceConnection,
  type SchemaReport,
} from '../../salesforce';
import { CDC_CHANNELS } from '../../sync';
import { failed, passed, skipped, type CheckResult } from '../check-result';
import { splitFix } from './error-fix';

/** R7: the connected app and integration user can sign in. */
export async function salesforceSignInCheck(
  salesforce: SalesforceConnection,
  config: Config,
): Promise<CheckResult> {
  const title = 'Salesforce sign-in';
  try {
    await salesforce.authorize();
    const user =
      config.salesforce.auth.mode === 'jwt'
        ? config.salesforce.auth.username
        : 'the connected app run-as user';
    return passed(
      'salesforce-sign-in',
      title,
      `signed in to ${salesforce.connection.instanceUrl} as ${user} (${config.salesforce.auth.mode})`,
      'R7',
    );
  } catch (error) {
    const { detail, fix } = splitFix(
      error,
      'check SALESFORCE_LOGIN_URL, SALESFORCE_CLIENT_ID and the secret or key of the connected app',
    );
    return failed('salesforce-sign-in', title, detail, fix, 'R7');
  }
}

export interface SchemaChecks {
  report: SchemaReport | undefined;
  results: CheckResult[];
}

/**
 * R2 (permission set), R12 (referral currency field), R16 (country field): describe every object
 * the bridge touches as the integration user; a field it cannot see is not deployed or not granted.
 */
export async function salesforceSchemaChecks(
  salesforce: SalesforceConnection,
  config: Config,
  logger: Logger,
): Promise<SchemaChecks> {
  const countryPath = config.salesforce.countryField.path;
  let report: SchemaReport;
  try {
    report = await checkSchema({ salesforce, countryField: countryPath, logger });
  } catch (error) {
    const { detail, fix } = splitFix(
      error,
      `assign ${INTEGRATION_PERMISSION_SET} to the integration user`,
    );
    return {
      report: undefined,
      results: [
        failed('salesforce-permissions', 'Salesforce schema and permission set', detail, fix, 'R2'),
      ],
    };
  }
  const byName = (name: string) =>
    report.problems.find((p) => p.name.toLowerCase() === name.toLowerCase());
  const country = byName(countryPath);
  const currency = byName('Opportunity.Referral_Currency__c');
  const others = report.problems.filter((p) => p !== country && p !== currency);
  const results: CheckResult[] = [
    others.length === 0
      ? passed(
          'salesforce-permissions',
          'Salesforce schema and permission set',
          `the integration user sees and can write every field on ${report.checkedObjects.join(', ')}`,
          'R2',
        )
      : failed(
          'salesforce-permissions',
          'Salesforce schema and permission set',
          `${others.length} problem(s): ${others
            .slice(0, 5)
            .map((p) => `${p.name} (${p.kind})`)
            .join(', ')}${others.length > 5 ? ', …' : ''}`,
          others[0]!.fix,
          'R2',
        ),
    country
      ? failed(
          'country-field',
          'Customer country field',
          `BRIDGE_COUNTRY_FIELD=${countryPath} is not visible to the integration user`,
          `create ${countryPath} holding the two-letter ISO code, or set BRIDGE_COUNTRY_FIELD to the Account field that does; then ${country.fix}`,
          'R16',
        )
      : passed(
          'country-field',
          'Customer country field',
          `BRIDGE_COUNTRY_FIELD=${countryPath} is present and readable`,
          'R16',
        ),
    currency
      ? failed(
          'currency-field',
          'Referral currency field',
          'Opportunity.Referral_Currency__c is not visible',
          currency.fix,
          'R12',
        )
      : passed(
          'currency-field',
          'Referral currency field',
          `Opportunity.Referral_Currency__c is present (${report.multiCurrency ? 'multi-currency org' : 'single-currency org'})`,
          'R12',
        ),
  ];
  return { report, results };
}

/**
 * Setup step (R6): the integration user can subscribe to the CDC channels. Subscribes for new
 * events only and disconnects; nothing is recorded (the running bridge keeps its own cursor).
 */
export async function cdcSubscriptionCheck(
  salesforce: SalesforceConnection,
  logger: Logger,
  timeoutMs = 15_000,
): Promise<CheckResult> {
  const title = 'Change Data Capture channels';
  const subscriber = createCdcSubscriber({
    connection: salesforce,
    channels: [...CDC_CHANNELS],
    getReplayId: () => Promise.resolve(undefined),
    onEvents: () => Promise.resolve(),
    onReplayInvalid: () => Promise.resolve(),
    onGap: () => Promise.resolve(),
    logger,
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const started = await Promise.race([
      subscriber.start().then(() => true),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
    const channels = subscriber.status();
    const missing = channels.filter((c) => !c.subscribed).map((c) => c.channel);
    if (started && missing.length === 0) {
      return passed(
        'cdc',
        title,
        `subscribed to ${channels.map((c) => c.channel).join(' and ')}`,
        'R6',
      );
    }
    return failed(
      'cdc',
      title,
      `could not subscribe to ${(missing.length ? missing : CDC_CHANNELS).join(', ')}`,
      `select Opportunity and Co-Sell Solution in Setup → Change Data Capture (the package's platformEventChannelMembers do this) and assign ${INTEGRATION_PERMISSION_SET} (it grants View All on both)`,
      'R6',
    );
  } finally {
    clearTimeout(timer);
    await subscriber.stop();
  }
}

export const skippedAfter = (id: string, title: string, step: string, requirement?: string) =>
  skipped(id, title, `${step} failed`, requirement);
