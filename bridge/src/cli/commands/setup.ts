import { createWebhookAdmin, webhookUrl } from '../../runtime';
import { WEBHOOK_ROUTE } from '../../webhook';
import { allPassed, skipped, type CheckResult } from '../check-result';
import {
  partnerCenterSignInCheck,
  referralsAccessCheck,
  registerWebhookStep,
  verifyWebhookStep,
} from '../checks/partner-center-checks';
import {
  cdcSubscriptionCheck,
  salesforceSchemaChecks,
  salesforceSignInCheck,
} from '../checks/salesforce-checks';
import { EXIT, type ExitCode } from '../exit-codes';
import { renderChecks } from '../render';
import type { Session } from '../session';

export interface SetupOptions {
  verifyTimeoutMs: number;
}

interface Step {
  id: string;
  title: string;
  requirement?: string;
  run(): Promise<CheckResult | CheckResult[]>;
}

/**
 * R6/R8: one idempotent command that checks and creates everything in dependency order. A step
 * that fails stops the later ones (they would fail for the same reason); re-running is safe:
 * nothing is created twice and the webhook registration is overwritten, not duplicated.
 */
export async function setupCommand(session: Session, options: SetupOptions): Promise<ExitCode> {
  const { config, logger, out } = session;
  // Bad configuration is exit 2 before anything is attempted.
  const url = webhookUrl(config);
  const bridge = session.bridge();
  const { salesforce, referrals } = bridge.runtime;
  const webhooks = createWebhookAdmin(config, logger);

  const steps: Step[] = [
    {
      id: 'salesforce-sign-in',
      title: 'Salesforce sign-in',
      requirement: 'R7',
      run: () => salesforceSignInCheck(salesforce, config),
    },
    {
      id: 'partner-center-sign-in',
      title: 'Partner Center sign-in',
      requirement: 'R7',
      run: () => partnerCenterSignInCheck(config),
    },
    {
      id: 'salesforce-permissions',
      title: 'Salesforce schema and permission set',
      requirement: 'R2',
      run: async () => (await salesforceSchemaChecks(salesforce, config, logger)).results,
    },
    {
      id: 'cdc',
      title: 'Change Data Capture channels',
      requirement: 'R6',
      run: () => cdcSubscriptionCheck(salesforce, logger),
    },
    {
      id: 'referrals-access',
      title: 'Partner Center role (Referrals admin)',
      requirement: 'R2',
      run: () => referralsAccessCheck(referrals),
    },
    {
      id: 'webhook-register',
      title: 'Webhook registration',
      requirement: 'R8',
      run: () => registerWebhookStep(config, webhooks),
    },
    {
      id: 'webhook-verify',
      title: 'Webhook test event round-trip',
      requirement: 'R8',
      run: async () => {
        // Partner Center must reach a bridge at the public URL. If none answers, this process
        // receives the test event itself on BRIDGE_PORT (verify and answer only; nothing stored).
        const publicBase = url.slice(0, -WEBHOOK_ROUTE.length);
        if (!(await bridgeAnswers(publicBase))) {
          out.note(
            `setup: no bridge answers at ${publicBase}; receiving the test event on port ${config.bridge.port}`,
          );
          await bridge.listen(config.bridge.port);
        }
        return verifyWebhookStep(config, webhooks, options.verifyTimeoutMs);
      },
    },
  ];

  const results: CheckResult[] = [];
  let blockedBy: string | undefined;
  for (const step of steps) {
    if (blockedBy) {
      results.push(
        skipped(step.id, step.title, `needs "${blockedBy}" to pass first`, step.requirement),
      );
      continue;
    }
    out.note(`setup: ${step.title}…`);
    const outcome = await step.run();
    const list = Array.isArray(outcome) ? outcome : [outcome];
    results.push(...list);
    if (!allPassed(list)) blockedBy = step.title;
  }

  const ok = allPassed(results);
  out.json({ ok, webhookUrl: url, steps: results });
  for (const line of renderChecks(results)) out.line(line);
  return ok ? EXIT.ok : EXIT.failed;
}

async function bridgeAnswers(publicUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${publicUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
    return response.ok;
  } catch {
    return false;
  }
}
