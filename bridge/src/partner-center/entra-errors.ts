import { z } from 'zod';
import { AuthenticationError, TransientError } from '../errors';

/**
 * Turns a Microsoft Entra ID token-endpoint error into the exact fix an operator has to apply
 * (R7). Entra answers `{"error":"invalid_grant","error_description":"AADSTS50126: …",
 * "error_codes":[50126]}`; the AADSTS code is what tells the causes apart. Codes and wording:
 * https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes
 */

const entraErrorBodySchema = z.looseObject({
  error: z.string(),
  error_description: z.string().optional(),
  error_codes: z.array(z.number()).optional(),
});

/** What the bridge is signing in as; named in the fix so the operator knows which value to change. */
export interface SignInContext {
  /** e.g. "Partner Center (App+User, password grant)". */
  identity: string;
  clientId: string;
  username?: string;
  /** The variable holding this token endpoint, named when the URL itself is wrong. */
  urlVariable?: string;
}

type FixFor = (context: SignInContext) => string;

const FIXES: Record<number, FixFor> = {
  50126: (c) =>
    `the username or password is wrong for ${c.username ?? 'the service account'}. Fix: set PARTNER_CENTER_USERNAME and PARTNER_CENTER_PASSWORD to the Partner Center service account's current credentials.`,
  50034: (c) =>
    `the user ${c.username ?? ''} does not exist in this tenant. Fix: set PARTNER_CENTER_USERNAME to a user of the partner tenant (PARTNER_CENTER_TENANT_ID) that has the Referrals admin role.`,
  50053: () =>
    `the service account is locked after too many failed sign-ins. Fix: wait for the lock-out to end or unlock it in the Entra admin center, then check PARTNER_CENTER_PASSWORD.`,
  50055: () =>
    `the service account's password has expired. Fix: reset it in the Entra admin center, update PARTNER_CENTER_PASSWORD, and set the account's password to never expire.`,
  50057: () =>
    `the service account is disabled. Fix: re-enable it in the Entra admin center (Users → the account → Account enabled).`,
  50076: () =>
    `the service account requires multi-factor authentication, which a background service cannot answer. Fix: exclude the account from MFA with a Conditional Access policy for trusted locations, or sign in once and set PARTNER_CENTER_REFRESH_TOKEN.`,
  50079: () =>
    `the service account must register for multi-factor authentication. Fix: exclude it from MFA with a Conditional Access policy, or sign in once and set PARTNER_CENTER_REFRESH_TOKEN.`,
  65001: (c) =>
    `the app ${c.clientId} has not been consented to for Partner Center. Fix: in the Entra admin center open App registrations → the app → API permissions, add Microsoft Partner Center (user_impersonation) and click "Grant admin consent", then run \`cosell doctor\` again.`,
  700082: () =>
    `the refresh token expired because it was not used for too long. Fix: sign in again to obtain a new refresh token and set PARTNER_CENTER_REFRESH_TOKEN, or configure PARTNER_CENTER_USERNAME and PARTNER_CENTER_PASSWORD instead.`,
  9002313: () =>
    `the refresh token is malformed or was revoked. Fix: sign in again to obtain a new refresh token and set PARTNER_CENTER_REFRESH_TOKEN.`,
  70008: () =>
    `the refresh token has expired or was revoked. Fix: sign in again to obtain a new refresh token and set PARTNER_CENTER_REFRESH_TOKEN.`,
  7000215: (c) =>
    `the client secret of app ${c.clientId} is wrong. Fix: create a new client secret under App registrations → Certificates & secrets and set PARTNER_CENTER_CLIENT_SECRET to its Value (not its Secret ID).`,
  7000222: (c) =>
    `the client secret of app ${c.clientId} has expired. Fix: create a new client secret under App registrations → Certificates & secrets and set PARTNER_CENTER_CLIENT_SECRET.`,
  700016: (c) =>
    `the app ${c.clientId} does not exist in this tenant. Fix: set PARTNER_CENTER_CLIENT_ID to the Application (client) ID of the app registered in the partner tenant, and PARTNER_CENTER_TENANT_ID to that tenant.`,
  90002: () =>
    `the tenant does not exist. Fix: set PARTNER_CENTER_TENANT_ID to the partner's Microsoft Entra tenant ID (a GUID or a verified domain).`,
  500011: (c) =>
    `the Partner Center API is not available to app ${c.clientId} in this tenant. Fix: add Microsoft Partner Center to the app's API permissions and grant admin consent.`,
  1002012: () =>
    `the requested scope is not valid for the client-credentials grant. Fix: use the webhook API resource followed by "/.default" (e.g. https://api.partnercenter.microsoft.com/.default).`,
};

const FIX_BY_ERROR: Record<string, FixFor> = {
  invalid_client: (c) =>
    `the app ${c.clientId} was rejected. Fix: check PARTNER_CENTER_CLIENT_ID and set PARTNER_CENTER_CLIENT_SECRET to a current client secret value.`,
  unauthorized_client: (c) =>
    `the app ${c.clientId} is not allowed to use this sign-in flow. Fix: check PARTNER_CENTER_CLIENT_ID and that the app registration allows public client flows for the password grant.`,
};

/** The first AADSTS code in the body, from `error_codes` or the description text. */
export function entraErrorCode(body: unknown): number | undefined {
  const parsed = entraErrorBodySchema.safeParse(body);
  if (!parsed.success) return undefined;
  const fromList = parsed.data.error_codes?.[0];
  if (fromList !== undefined) return fromList;
  const match = /AADSTS(\d+)/.exec(parsed.data.error_description ?? '');
  return match?.[1] ? Number(match[1]) : undefined;
}

/**
 * Maps a failed token request to the bridge's error taxonomy. 5xx and 429 are Entra being busy
 * (transient); everything else is a credential problem that only an operator can fix.
 */
export function tokenRequestError(
  status: number,
  body: unknown,
  context: SignInContext,
  retryAfterMs?: number,
): Error {
  if (status === 429 || status >= 500) {
    return new TransientError(
      `Microsoft Entra ID could not issue a token for ${context.identity} right now (HTTP ${status})`,
      'partner-center',
      retryAfterMs,
    );
  }
  const parsed = entraErrorBodySchema.safeParse(body);
  const code = entraErrorCode(body);
  if (!parsed.success && (status === 404 || status === 405)) {
    // No OAuth error body at all: the URL does not lead to a token endpoint.
    const variable = context.urlVariable ?? 'PARTNER_CENTER_TOKEN_URL';
    return new AuthenticationError(
      `Partner Center sign-in failed for ${context.identity}: the token URL answered HTTP ${status}, so it is not a token endpoint. Fix: check ${variable} (Microsoft's is https://login.microsoftonline.com/<tenant>/oauth2/${variable === 'PARTNER_CENTER_APP_TOKEN_URL' ? 'v2.0/' : ''}token).`,
      'partner-center',
    );
  }
  const fix =
    (code !== undefined ? FIXES[code] : undefined) ??
    (parsed.success ? FIX_BY_ERROR[parsed.data.error] : undefined);
  const label =
    code !== undefined ? `AADSTS${code}` : parsed.success ? parsed.data.error : `HTTP ${status}`;
  if (fix) {
    return new AuthenticationError(
      `Partner Center sign-in failed for ${context.identity} (${label}): ${fix(context)}`,
      'partner-center',
    );
  }
  // Unknown cause: give the operator Entra's own first line (it never contains the secret).
  const description = parsed.success
    ? (parsed.data.error_description ?? parsed.data.error).split(/\r?\n/)[0]
    : `HTTP ${status}`;
  return new AuthenticationError(
    `Partner Center sign-in failed for ${context.identity} (${label}): ${description}. Fix: check PARTNER_CENTER_TENANT_ID, PARTNER_CENTER_CLIENT_ID and the credentials, then run \`cosell doctor\`.`,
    'partner-center',
  );
}
