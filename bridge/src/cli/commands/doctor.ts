import { ConfigError } from '../../errors';
import { createWebhookAdmin } from '../../runtime';
import { sqliteStoreCreationProblem } from '../../store/open-store';
import { allPassed, failed, skipped, type CheckResult } from '../check-result';
import {
  budgetCheck,
  environmentCheck,
  replayCursorCheck,
  storeCheck,
  unknownVariablesCheck,
} from '../checks/local-checks';
import {
  partnerCenterSignInCheck,
  referralsAccessCheck,
  webhookRegistrationCheck,
} from '../checks/partner-center-checks';
import { fieldMapCheck } from '../checks/field-map-check';
import { secretFilesCheck } from '../checks/secret-files-check';
import { envFileFor } from '../context';
import { salesforceSchemaChecks, salesforceSignInCheck } from '../checks/salesforce-checks';
import { EXIT, type ExitCode } from '../exit-codes';
import { renderChecks } from '../render';
import type { Session } from '../session';

/**
 * Every check from the troubleshooting FAQ, each ✓/✗ with the exact fix: R5 environment, R7
 * credentials on both sides, R2/R15 roles on both sides, R16 country field, R12 currency field,
 * R8 webhook registration, R1 budget, the store and the replay cursor. Read-only: it changes
 * nothing, so it is safe to run against production at any time.
 */
export async function doctorCommand(session: Session): Promise<ExitCode> {
  // doctor runs before the first `cosell run` too: it must not leave an empty store behind, so a
  // missing one is inspected in memory (the session's inspectMissingStore) and reported as such.
  const { config, logger, out, missingStore } = session;
  const bridge = session.bridge();
  const { salesforce, referrals, engine } = bridge.runtime;
  const results: CheckResult[] = [
    environmentCheck(config),
    unknownVariablesCheck(session.io.env),
    secretFilesCheck(config, envFileFor(session.io, session.options)),
  ];

  const salesforceSignIn = await salesforceSignInCheck(salesforce, config);
  results.push(salesforceSignIn);
  if (salesforceSignIn.state === 'ok') {
    results.push(...(await salesforceSchemaChecks(salesforce, config, logger)).results);
    results.push(await fieldMapCheck(salesforce));
  } else {
    for (const [id, title, requirement] of [
      ['salesforce-permissions', 'Salesforce schema and permission set', 'R2'],
      ['field-mapping', 'Field mapping (Co_Sell_Field_Map__mdt)', 'R2'],
      ['country-field', 'Customer country field', 'R16'],
      ['currency-field', 'Referral currency field', 'R12'],
    ] as const) {
      results.push(skipped(id, title, 'Salesforce sign-in failed', requirement));
    }
  }

  const partnerCenterSignIn = await partnerCenterSignInCheck(config);
  results.push(partnerCenterSignIn);
  if (partnerCenterSignIn.state === 'ok') {
    results.push(await referralsAccessCheck(referrals));
    results.push(await webhookCheck(session));
  } else {
    results.push(
      skipped(
        'referrals-access',
        'Partner Center role (Referrals admin)',
        'Partner Center sign-in failed',
        'R2',
      ),
    );
    results.push(skipped('webhook', 'Webhook registration', 'Partner Center sign-in failed', 'R8'));
  }

  const status = await engine.status();
  results.push(
    budgetCheck(status),
    storeCheck(
      config,
      status,
      missingStore,
      missingStore === undefined ? undefined : sqliteStoreCreationProblem(missingStore),
    ),
    replayCursorCheck(status),
  );

  const ok = allPassed(results);
  out.json({ ok, environment: config.environment, checks: results });
  for (const line of renderChecks(results)) out.line(line);
  return ok ? EXIT.ok : EXIT.failed;
}

async function webhookCheck(session: Session): Promise<CheckResult> {
  try {
    return await webhookRegistrationCheck(
      session.config,
      createWebhookAdmin(session.config, session.logger),
    );
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return failed(
      'webhook',
      'Webhook registration',
      error.message,
      'set BRIDGE_PUBLIC_URL to the HTTPS address Partner Center reaches this bridge at, then run `cosell setup`',
      'R8',
    );
  }
}
