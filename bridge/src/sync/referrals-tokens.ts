/**
 * The App+User token of the Referrals API, built from the configuration in one place: the sync
 * runtime uses it for every referral call, `doctor` and `setup` to prove the sign-in works.
 */
import type { Config } from '../config';
import {
  createTokenProvider,
  type UserTokenProvider,
  type UserTokenProviderOptions,
} from '../partner-center';

/** Audience of the Referrals API's App+User token (v1 `resource`). */
export const REFERRALS_RESOURCE = 'https://api.partner.microsoft.com';

export function referralsUserTokens(
  config: Config,
  options: Pick<UserTokenProviderOptions, 'fetch' | 'now' | 'onApiCall'> = {},
): UserTokenProvider {
  const { partnerCenter } = config;
  const user = partnerCenter.user;
  return createTokenProvider({
    tokenUrl: partnerCenter.tokenUrl,
    tenantId: partnerCenter.tenantId,
    clientId: partnerCenter.clientId,
    clientSecret: partnerCenter.clientSecret,
    resource: REFERRALS_RESOURCE,
    grant:
      user.mode === 'password'
        ? { type: 'password', username: user.username, password: user.password }
        : { type: 'refresh_token', refreshToken: user.refreshToken },
    ...options,
  });
}
