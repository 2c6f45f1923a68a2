import type { Config } from '../../config';
import {
  REFERRAL_EVENTS,
  REFERRALS_ADMIN_ROLE,
  TEST_EVENT,
  type ReferralsClient,
  type WebhookRegistrationClient,
} from '../../partner-center';
import { referralsUserTokens, webhookAppTokens, webhookUrl } from '../../runtime';
import { setTimeout as sleep } from 'node:timers/promises';
import { TransientError } from '../../errors';
import { failed, passed, type CheckResult } from '../check-result';
import { splitFix } from './error-fix';

/** R7: both Entra identities: App+User for the Referrals API, app-only for webhooks. */
export async function partnerCenterSignInCheck(config: Config): Promise<CheckResult> {
  const title = 'Partner Center sign-in';
  const user = config.partnerCenter.user;
  const identity =
    user.mode === 'password' ? `App+User as ${user.username}` : 'App+User via refresh token';
  try {
    await referralsUserTokens(config).getToken();
  } catch (error) {
    const { detail, fix } = splitFix(
      error,
      'check PARTNER_CENTER_TENANT_ID, PARTNER_CENTER_CLIENT_ID/SECRET and the service account',
    );
    return failed('partner-center-sign-in', title, `${identity}: ${detail}`, fix, 'R7');
  }
  try {
    await webhookAppTokens(config).getToken();
  } catch (error) {
    const { detail, fix } = splitFix(
      error,
      'check PARTNER_CENTER_CLIENT_ID and PARTNER_CENTER_CLIENT_SECRET',
    );
    return failed(
      'partner-center-sign-in',
      title,
      `app-only token (webhooks): ${detail}`,
      fix,
      'R7',
    );
  }
  return passed(
    'partner-center-sign-in',
    title,
    `${identity} and the app-only webhook token were issued by ${new URL(config.partnerCenter.tokenUrl).host} for tenant ${config.partnerCenter.tenantId}`,
    'R7',
  );
}

/** R2/R15: one `$top=1` read proves the account has the Referrals admin role. */
export async function referralsAccessCheck(
  referrals: Pick<ReferralsClient, 'checkAccess'>,
): Promise<CheckResult> {
  const title = `Partner Center role (${REFERRALS_ADMIN_ROLE})`;
  try {
    await referrals.checkAccess();
    return passed('referrals-access', title, 'the Referrals API answered a read', 'R2');
  } catch (error) {
    // An unreachable service says nothing about the role: name the URL instead.
    const { detail, fix } = splitFix(
      error,
      error instanceof TransientError
        ? 'Partner Center did not answer: check PARTNER_CENTER_API_URL and that this machine can reach it, then run `cosell doctor` again'
        : `give the service account the ${REFERRALS_ADMIN_ROLE} role in Partner Center (Account settings → User management)`,
    );
    return failed('referrals-access', title, detail, fix, 'R2');
  }
}

/** Doctor (R8): the registration points at BRIDGE_PUBLIC_URL with all four referral events. */
export async function webhookRegistrationCheck(
  config: Config,
  webhooks: Pick<WebhookRegistrationClient, 'getRegistration'>,
): Promise<CheckResult> {
  const title = 'Webhook registration';
  const expected = webhookUrl(config);
  let registration;
  try {
    registration = await webhooks.getRegistration();
  } catch (error) {
    const { detail, fix } = splitFix(
      error,
      error instanceof TransientError
        ? 'Partner Center did not answer: check PARTNER_CENTER_WEBHOOK_API_URL and that this machine can reach it'
        : 'run `cosell webhook register`',
    );
    return failed('webhook', title, detail, fix, 'R8');
  }
  if (!registration) {
    return failed(
      'webhook',
      title,
      'no webhook is registered',
      'run `cosell webhook register` (or `cosell setup`)',
      'R8',
    );
  }
  const normalise = (u: string) => u.trim().replace(/\/+$/, '').toLowerCase();
  if (normalise(registration.webhookUrl) !== normalise(expected)) {
    return failed(
      'webhook',
      title,
      `registered for ${registration.webhookUrl}, but BRIDGE_PUBLIC_URL gives ${expected}`,
      'run `cosell webhook register` (it overwrites the registration)',
      'R8',
    );
  }
  const missing = [...REFERRAL_EVENTS].filter((e) => !registration.webhookEvents.includes(e));
  if (missing.length > 0) {
    return failed(
      'webhook',
      title,
      `registered without ${missing.join(', ')}`,
      'run `cosell webhook register`',
      'R8',
    );
  }
  return passed('webhook', title, `${expected} receives ${REFERRAL_EVENTS.join(', ')}`, 'R8');
}

/** Setup (R8): register for the four events (and the test event), overwriting what was there. */
export async function registerWebhookStep(
  config: Config,
  webhooks: Pick<WebhookRegistrationClient, 'getRegistration' | 'register'>,
): Promise<CheckResult> {
  const title = 'Webhook registration';
  const url = webhookUrl(config);
  try {
    const before = await webhooks.getRegistration();
    const after = await webhooks.register(url, [...REFERRAL_EVENTS, TEST_EVENT]);
    const previous = before
      ? before.webhookUrl === after.webhookUrl
        ? 'the existing registration was overwritten'
        : `replaced the registration for ${before.webhookUrl}`
      : 'new registration';
    return passed(
      'webhook-register',
      title,
      `${url} for ${after.webhookEvents.join(', ')} (${previous})`,
      'R8',
    );
  } catch (error) {
    const { detail, fix } = splitFix(
      error,
      'check that the app has Partner Center API permissions with admin consent',
    );
    return failed('webhook-register', title, detail, fix, 'R8');
  }
}

/** Setup (R8): Partner Center sends a test event to the URL and reports the bridge's answer. */
export async function verifyWebhookStep(
  config: Config,
  webhooks: Pick<WebhookRegistrationClient, 'verifyRegistration'>,
  timeoutMs: number,
): Promise<CheckResult> {
  const title = 'Webhook test event round-trip';
  const deadline = Date.now() + timeoutMs;
  try {
    const result = await verifyWithinThrottle(webhooks, webhookUrl(config), deadline);
    if (result.ok) return passed('webhook-verify', title, result.message, 'R8');
    const { detail, fix } = splitFix(
      result.message,
      'make sure BRIDGE_PUBLIC_URL reaches this bridge over HTTPS',
    );
    return failed('webhook-verify', title, detail, fix, 'R8');
  } catch (error) {
    const { detail, fix } = splitFix(
      error,
      'make sure BRIDGE_PUBLIC_URL reaches this bridge over HTTPS, then run `cosell setup` again',
    );
    return failed('webhook-verify', title, detail, fix, 'R8');
  }
}

/**
 * Partner Center allows two test events a minute (429 + Retry-After). Re-running setup soon after
 * a previous run is normal (R6: safe to re-run), so wait out the throttle while the deadline allows.
 */
async function verifyWithinThrottle(
  webhooks: Pick<WebhookRegistrationClient, 'verifyRegistration'>,
  url: string,
  deadline: number,
) {
  for (;;) {
    try {
      return await webhooks.verifyRegistration(url, {
        timeoutMs: Math.max(1_000, deadline - Date.now()),
        pollIntervalMs: 200,
      });
    } catch (error) {
      const waitMs = error instanceof TransientError ? (error.retryAfterMs ?? 5_000) : undefined;
      if (waitMs === undefined || Date.now() + waitMs > deadline) throw error;
      await sleep(waitMs);
    }
  }
}
