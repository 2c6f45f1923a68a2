/**
 * SQL on `audit_events` that both stores use as it is: one definition, so the notification
 * stage and the queue gauge of either store can never count different rows, nor tell news apart
 * differently.
 */

/** Written to Salesforce, carrying news for the owner, not yet told (nor given up). */
export const UNTOLD_NEWS = 'news IS NOT NULL AND news_done_at IS NULL AND written_at IS NOT NULL';

/** Untold news whose first send or retry is due at `now` (the dialect's placeholder for it). */
export function dueNews(now: string): string {
  return `${UNTOLD_NEWS} AND (news_not_before IS NULL OR news_not_before <= ${now})`;
}

/**
 * The earliest retry time of untold news (null when no retry is waiting): when the audit loop
 * has to wake up to tell it, rather than at its next idle round.
 */
export const NEXT_NEWS_RETRY = `SELECT MIN(news_not_before) AS at FROM audit_events
  WHERE ${UNTOLD_NEWS} AND news_not_before IS NOT NULL`;

/**
 * The outbound event that last reset an opportunity's sync errors before row `row` (an alias of
 * `audit_events`): its latest earlier outbound event that is no error (a sync, or nothing to
 * send). Its id, or 0 if none. Rows of one opportunity with the same value belong to one run of
 * errors with no sync in between. Found by the (opportunity_id, id) index (migration 10).
 */
function errorRunOf(row: string): string {
  return `COALESCE((
    SELECT MAX(reset.id) FROM audit_events AS reset
     WHERE reset.opportunity_id = ${row}.opportunity_id
       AND reset.direction = 'Outbound' AND reset.outcome <> 'Error'
       AND reset.id < ${row}.id), 0)`;
}

/** For a row of `audit_events`: its run of sync errors (`errorRunOf`), as a column. */
const ERROR_RUN = errorRunOf('audit_events');

/**
 * For a row of `audit_events`: 1 when the owner was already told a sync error with the same
 * message in the same run of errors (no sync in between, before or after this row), else 0. So
 * an identical error is told once per run: a retry of an older one after a newer was told is not
 * told again, and the same error after a sync is news again. Inbound events do not end a run (an
 * applied Microsoft change does not clear an outbound error).
 */
const SAME_ERROR_TOLD = `CASE WHEN EXISTS (
    SELECT 1 FROM audit_events AS told
     WHERE told.opportunity_id = audit_events.opportunity_id
       AND told.direction = 'Outbound' AND told.outcome = 'Error'
       AND told.news_told_at IS NOT NULL
       AND told.message = audit_events.message
       AND told.id <> audit_events.id
       AND ${errorRunOf('told')} = ${ERROR_RUN}
  ) THEN 1 ELSE 0 END`;

/** What the news lease returns besides the row: the triage facts the notifier needs. */
export const NEWS_COLUMNS = `, ${ERROR_RUN} AS error_run, ${SAME_ERROR_TOLD} AS same_error_told`;
