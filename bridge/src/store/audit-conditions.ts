/**
 * SQL conditions on `audit_events` that both stores use as they are: one definition, so the
 * notification stage and the queue gauge of either store can never count different rows.
 */

/** Written to Salesforce, carrying news for the owner, not yet told (nor given up). */
export const UNTOLD_NEWS = 'news IS NOT NULL AND news_done_at IS NULL AND written_at IS NOT NULL';

/**
 * For a row of `audit_events`: the message of the sync error last told to its opportunity's
 * owner, if nothing happened since that makes a new error news again. It looks at the latest
 * earlier outbound event of the opportunity that was told, or was no error (a sync, or nothing
 * to send): a told error gives its message, anything else NULL. Errors never told (an attempt
 * the card did not show, news switched off) are passed over. Found by the opportunity index.
 */
export const TOLD_ERROR_BEFORE = `(
  SELECT CASE WHEN prev.outcome = 'Error' AND prev.news_told_at IS NOT NULL
              THEN prev.message END
    FROM audit_events AS prev
   WHERE prev.opportunity_id = audit_events.opportunity_id
     AND prev.id < audit_events.id
     AND prev.direction = 'Outbound'
     AND (prev.news_told_at IS NOT NULL OR prev.outcome <> 'Error')
   ORDER BY prev.id DESC
   LIMIT 1)`;
