import { createWebhookAdmin } from '../../runtime';
import { registerWebhookStep } from '../checks/partner-center-checks';
import { EXIT, type ExitCode } from '../exit-codes';
import { renderChecks } from '../render';
import type { Session } from '../session';

/** R8: register <BRIDGE_PUBLIC_URL>/webhooks/partner-center for the four referral events (overwrites). */
export async function webhookRegisterCommand(session: Session): Promise<ExitCode> {
  const result = await registerWebhookStep(
    session.config,
    createWebhookAdmin(session.config, session.logger),
  );
  session.out.json({ ok: result.state === 'ok', ...result });
  for (const line of renderChecks([result]).slice(0, -2)) session.out.line(line);
  return result.state === 'ok' ? EXIT.ok : EXIT.failed;
}
