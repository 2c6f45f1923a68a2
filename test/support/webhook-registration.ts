/**
 * Registers the bridge's webhook URL with the Partner Center emulator over its public webhook API
 * (app-only token, POST or PUT /webhooks/v1/registration), as `cosell webhook register` does.
 * Test files that do not test setup use it: it takes milliseconds where a CLI process takes
 * seconds on a busy machine. `cosell setup` itself is proven in test/e2e/operations.
 */
import { REFERRAL_WEBHOOK_EVENTS } from '../../bridge/src/schemas';
import { EMULATOR_CREDENTIALS } from './bridge-process';

// The bridge's own list (R8): registering here must subscribe to exactly what `cosell` would.
export { REFERRAL_WEBHOOK_EVENTS };

const WEBHOOK_RESOURCE = 'https://api.partnercenter.microsoft.com';

export async function registerWebhook(partnerCenterUrl: string, webhookUrl: string): Promise<void> {
  const c = EMULATOR_CREDENTIALS;
  const tokenResponse = await fetch(
    `${partnerCenterUrl}/${c.partnerCenterTenantId}/oauth2/v2.0/token`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: c.partnerCenterClientId,
        client_secret: c.partnerCenterClientSecret,
        scope: `${WEBHOOK_RESOURCE}/.default`,
      }).toString(),
    },
  );
  if (!tokenResponse.ok) {
    throw new Error(
      `webhook token request answered ${tokenResponse.status}: ${await tokenResponse.text()}`,
    );
  }
  const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
  const url = `${partnerCenterUrl}/webhooks/v1/registration`;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const existing = await fetch(url, { headers });
  const body = JSON.stringify({
    WebhookUrl: webhookUrl,
    WebhookEvents: [...REFERRAL_WEBHOOK_EVENTS],
  });
  const res = await fetch(url, { method: existing.status === 404 ? 'POST' : 'PUT', headers, body });
  if (!res.ok) throw new Error(`webhook registration answered ${res.status}: ${await res.text()}`);
}
