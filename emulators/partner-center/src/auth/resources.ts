/** Audience of the Referrals API (App+User only, referral-api-authentication). */
export const REFERRALS_RESOURCE = 'https://api.partner.microsoft.com';
/** Audience of the webhook API (App-only or App+User, partner-center-webhooks). */
export const WEBHOOK_RESOURCE = 'https://api.partnercenter.microsoft.com';

export const KNOWN_RESOURCES: readonly string[] = [REFERRALS_RESOURCE, WEBHOOK_RESOURCE];

/** Entra accepts the resource with or without a trailing slash. */
export function canonicalResource(raw: string): string | undefined {
  const trimmed = raw.replace(/\/+$/, '');
  return KNOWN_RESOURCES.find((r) => r.toLowerCase() === trimmed.toLowerCase());
}
