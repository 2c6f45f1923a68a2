import { describeError } from '../../errors';
import { readOpportunitySyncState } from '../../salesforce';
import {
  isOpportunityId,
  isSalesforceId,
  OPPORTUNITY_KEY_PREFIX,
  toSalesforceId18,
} from '../../schemas';
import type { Explanation } from '../../sync';
import { EXIT, type ExitCode } from '../exit-codes';
import { isKnown, renderExplanation, type SalesforceSide } from '../render';
import type { Session } from '../session';

/**
 * R18: the timeline of one opportunity or referral from the local journal, and why, next to what
 * the seller sees on the opportunity right now (its sync status and message, read via jsforce).
 */
export async function explainCommand(session: Session, id: string): Promise<ExitCode> {
  const { runtime } = session.bridge();
  // A 15-character opportunity id (as in a Salesforce URL) is the 18-character one the store keys by.
  const explanation = await runtime.engine.explain(toSalesforceId18(id.trim()));
  const salesforce = await currentSalesforceState(session, explanation);
  const known = isKnown(explanation) || salesforce.state !== null;
  session.out.json({ known, ...explanation, salesforce });
  if (!known) {
    session.out.line(unknownIdLine(id));
    return EXIT.failed;
  }
  for (const line of renderExplanation(explanation, salesforce)) session.out.line(line);
  return EXIT.ok;
}

/** Why nothing is known about the id, and what to type instead. */
function unknownIdLine(id: string): string {
  const trimmed = id.trim();
  const copy = "Copy the id from the opportunity's URL or from `cosell failures list`.";
  if (isOpportunityId(trimmed))
    return `Nothing is recorded about ${id}: no link, queued work, failure or sync attempt. Check that "Sync with Partner Center" is on, then run \`cosell resync ${id}\`.`;
  // Suggesting `cosell resync` for an account id sent the operator to a command that refuses it.
  if (isSalesforceId(trimmed))
    return `Nothing is recorded about ${id}: it is no referral id the bridge has seen, and not an opportunity id (opportunity ids begin with ${OPPORTUNITY_KEY_PREFIX}). ${copy}`;
  return `Nothing is recorded about ${id}: it is no referral id the bridge has seen, and not a Salesforce record id (15 or 18 letters and digits). ${copy}`;
}

/**
 * The linked opportunity, or the id itself when nothing links it (it may be an opportunity the
 * bridge never saw). Salesforce being unreachable does not hide the local story: it is reported.
 */
async function currentSalesforceState(
  session: Session,
  explanation: Explanation,
): Promise<SalesforceSide> {
  const opportunityId = explanation.link?.opportunityId ?? explanation.id;
  const { salesforce } = session.bridge().runtime;
  try {
    await salesforce.authorize();
    const state = await readOpportunitySyncState(salesforce, opportunityId);
    return { state, error: null };
  } catch (error) {
    return { state: null, error: describeError(error) };
  }
}
