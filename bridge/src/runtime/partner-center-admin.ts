import type { Logger } from 'pino';
import type { Config } from '../config';
import { ConfigError } from '../errors';
import {
  createAppTokenProvider,
  createWebhookRegistrationClient,
  type AccessTokenSource,
  type FetchFunction,
  type WebhookRegistrationClient,
} from '../partner-center';
import { WEBHOOK_ROUTE } from '../webhook';

/** Audience of the app-only token the webhook registration API takes (v2 `/.default` scope). */
export const WEBHOOK_API_SCOPE = 'https://api.partnercenter.microsoft.com/.default';

/** `<BRIDGE_PUBLIC_URL>/webhooks/partner-center`, or a ConfigError naming the variable. */
export function webhookUrl(config: Config): string {
  if (config.bridge.publicUrl === undefined) {
    throw new ConfigError(
      'BRIDGE_PUBLIC_URL is not set: expected an http(s) URL reachable by Partner Center (the webhook is registered at <BRIDGE_PUBLIC_URL>/webhooks/partner-center)',
      'BRIDGE_PUBLIC_URL',
    );
  }
  return `${config.bridge.publicUrl}${WEBHOOK_ROUTE}`;
}

export function webhookAppTokens(config: Config, fetch?: FetchFunction): AccessTokenSource {
  return createAppTokenProvider({
    tokenUrl: config.partnerCenter.appTokenUrl,
    tenantId: config.partnerCenter.tenantId,
    clientId: config.partnerCenter.clientId,
    clientSecret: config.partnerCenter.clientSecret,
    scope: WEBHOOK_API_SCOPE,
    fetch,
  });
}

/** The webhook registration client (app-only token), for `setup`, `doctor`, `webhook register`. */
export function createWebhookAdmin(
  config: Config,
  logger: Logger,
  fetch?: FetchFunction,
): WebhookRegistrationClient {
  return createWebhookRegistrationClient({
    baseUrl: config.partnerCenter.webhookApiUrl,
    tokens: webhookAppTokens(config, fetch),
    logger: logger.child({ module: 'partner-center-webhooks' }),
    fetch,
  });
}
