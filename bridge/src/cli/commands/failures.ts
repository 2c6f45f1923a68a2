import { EXIT, type ExitCode } from '../exit-codes';
import { renderFailures } from '../render';
import type { Session } from '../session';
import { toSalesforceId18 } from '../../schemas';
import { UsageError } from '../usage-error';

export async function failuresListCommand(session: Session): Promise<ExitCode> {
  // The store alone: listing failures needs neither Salesforce nor Partner Center.
  const failures = await session.store().listFailures();
  session.out.json({ failures });
  for (const line of renderFailures(failures)) session.out.line(line);
  return EXIT.ok;
}

/**
 * R14: make failures due now. Ids are failure numbers (`#12`), opportunity ids or referral ids.
 * The running bridge picks them up on its next poll; nothing is sent from this process.
 */
export async function failuresRetryCommand(
  session: Session,
  ids: readonly string[],
  options: { all?: boolean },
): Promise<ExitCode> {
  if (options.all && ids.length > 0)
    throw new UsageError('give either --all or failure ids, not both');
  if (!options.all && ids.length === 0) {
    throw new UsageError(
      'say what to retry: `cosell failures retry --all` or `cosell failures retry <id>…`',
    );
  }
  const selection = options.all
    ? { all: true }
    : {
        ids: ids.map((id) =>
          /^#?\d+$/.test(id) ? Number(id.replace('#', '')) : toSalesforceId18(id),
        ),
      };
  const count = await session.bridge().runtime.engine.retryFailures(selection);
  session.out.json({ rescheduled: count });
  if (count === 0) {
    session.out.line(
      options.all
        ? 'No failures to retry.'
        : `No failure matches ${ids.join(', ')} (see \`cosell failures list\`).`,
    );
    return options.all ? EXIT.ok : EXIT.failed;
  }
  session.out.line(
    `Rescheduled ${count} failure(s): they are due now and the running bridge retries them.`,
  );
  return EXIT.ok;
}
