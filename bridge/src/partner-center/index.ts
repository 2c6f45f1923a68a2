export { createTokenProvider, createAppTokenProvider, resolveTokenUrl } from './token-provider';
export type {
  UserGrant,
  UserTokenProvider,
  UserTokenProviderOptions,
  AppTokenProviderOptions,
} from './token-provider';
export { tokenRequestError, entraErrorCode } from './entra-errors';
export { createReferralsClient, REFERRALS_PATH } from './referrals-client';
export type {
  ReferralsClient,
  ReferralsClientOptions,
  ReferralWithETag,
  PatchOptions,
  PatchResult,
} from './referrals-client';
export {
  createWebhookRegistrationClient,
  REFERRAL_EVENTS,
  TEST_EVENT,
  WEBHOOK_REGISTRATION_PATH,
} from './webhook-registration-client';
export type {
  WebhookRegistration,
  WebhookRegistrationClient,
  WebhookRegistrationClientOptions,
  ValidationStatus,
  VerificationResult,
  VerifyOptions,
} from './webhook-registration-client';
export { errorFromResponse, readServiceError, REFERRALS_ADMIN_ROLE } from './error-response';
export { DEFAULT_IN_CALL_RETRY, DEFAULT_TIMEOUT_MS, odataString } from './api-request';
export type { ApiClientOptions, InCallRetryPolicy } from './api-request';
export type {
  AccessTokenSource,
  ApiCallListener,
  BeforeApiCall,
  FetchFunction,
  PartnerCenterApi,
} from './types';
export { createCircuitBreaker, CircuitOpenError, DEFAULT_CIRCUIT } from './circuit-breaker';
export { createHttpFetch } from './http-fetch';
export type { CircuitBreaker, CircuitBreakerOptions } from './circuit-breaker';
