/**
 * SQL conditions on `audit_events` that both stores use as they are: one definition, so the
 * notification stage and the queue gauge of either store can never count different rows.
 */

/** Written to Salesforce, carrying news for the owner, not yet told (nor given up). */
export const UNTOLD_NEWS = 'news IS NOT NULL AND news_done_at IS NULL AND written_at IS NOT NULL';
