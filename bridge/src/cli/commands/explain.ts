import { EXIT, type ExitCode } from '../exit-codes';
import { isKnown, renderExplanation } from '../render';
import type { Session } from '../session';

/** R18: the timeline of one opportunity or referral from the local journal, and why. */
export async function explainCommand(session: Session, id: string): Promise<ExitCode> {
  const explanation = await session.bridge().runtime.engine.explain(id.trim());
  const known = isKnown(explanation);
  session.out.json({ known, ...explanation });
  if (!known) {
    session.out.line(
      `Nothing is recorded about ${id}: no link, queued work, failure or sync attempt. If it is an opportunity, check that "Sync with Partner Center" is on, then run \`cosell resync ${id}\`.`,
    );
    return EXIT.failed;
  }
  for (const line of renderExplanation(explanation)) session.out.line(line);
  return EXIT.ok;
}
