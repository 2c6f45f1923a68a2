export { backoffDelayMs, parseRetryAfter, DEFAULT_BACKOFF } from './backoff';
export type { BackoffPolicy } from './backoff';
