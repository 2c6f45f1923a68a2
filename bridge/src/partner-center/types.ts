/**
 * Shapes shared by the Partner Center clients. The hooks let the sync engine enforce and report the
 * daily call budget (R1) without these clients knowing about budgets or storage.
 */

/**
 * Which API an HTTP attempt went to. Only `referrals` calls count against the daily budget: the
 * budget mirrors the connector's 10,000 Partner Center calls a day, while `token` calls go to
 * Microsoft Entra ID (login.microsoftonline.com) and `webhooks` calls happen only at setup.
 */
export type PartnerCenterApi = 'referrals' | 'webhooks' | 'token';

/**
 * Called after every HTTP attempt, including in-call retries and the retry after a 401.
 * `status` is 0 when no answer arrived (timeout, connection failure), with the failure.
 */
export type ApiCallListener = (
  api: PartnerCenterApi,
  operation: string,
  status: number,
  durationMs: number,
  failure?: unknown,
) => void;

/**
 * Called before every HTTP attempt to an API (not to the token endpoint). Throwing (typically a
 * BudgetExhaustedError) stops the call before anything is sent.
 */
export type BeforeApiCall = (api: PartnerCenterApi, operation: string) => void | Promise<void>;

/** Bearer tokens for one audience. `invalidate()` after a 401 forces a fresh token. */
export interface AccessTokenSource {
  getToken(): Promise<string>;
  invalidate(): void;
}

export type FetchFunction = typeof fetch;
