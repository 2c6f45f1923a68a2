import { EXIT, type ExitCode } from '../exit-codes';
import { renderStatus } from '../render';
import type { Session } from '../session';

/** Local state only (store, budget, cursors): answers even while Salesforce is unreachable. */
export async function statusCommand(session: Session): Promise<ExitCode> {
  const status = await session.bridge().runtime.engine.status();
  session.out.json({ environment: session.config.environment, ...status });
  for (const line of renderStatus(session.config.environment, status)) session.out.line(line);
  return EXIT.ok;
}
