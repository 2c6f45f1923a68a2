/**
 * A jsforce connection that acts as a person (the seeded seller by default): signed in through
 * the emulator's refresh-token grant, no `Sforce-Call-Options` client id, so its writes look like
 * a seller's edits to the bridge's CDC triage. Also used to read what the bridge wrote back.
 */
import { Connection, OAuth2 } from 'jsforce';
import { EMULATOR_CREDENTIALS } from './bridge-process';
import type { SalesforceControl } from './control-clients';

export const TEST_API_VERSION = '62.0';

/**
 * `clientName` sends `Sforce-Call-Options: client=<name>` on every call, so CDC reports it as the
 * change origin: with the bridge's own name (BRIDGE_SALESFORCE_CLIENT_NAME, default CoSellSync)
 * the bridge takes the change for one of its own write-backs and ignores it (R9).
 */
export async function connectAs(
  salesforceUrl: string,
  control: SalesforceControl,
  role: 'seller' | 'admin' = 'seller',
  options: { clientName?: string } = {},
): Promise<Connection> {
  const users = await control.users();
  return connectAsUsername(salesforceUrl, control, users[role].username, options);
}

/** Like `connectAs`, for any user of the emulated org (e.g. one a test created, or the integration user). */
export async function connectAsUsername(
  salesforceUrl: string,
  control: SalesforceControl,
  username: string,
  options: { clientName?: string } = {},
): Promise<Connection> {
  const refreshToken = await control.refreshTokenFor(username);
  const oauth2 = new OAuth2({
    loginUrl: salesforceUrl,
    clientId: EMULATOR_CREDENTIALS.salesforceClientId,
    clientSecret: EMULATOR_CREDENTIALS.salesforceClientSecret,
  });
  const token = await oauth2.refreshToken(refreshToken);
  return new Connection({
    oauth2,
    instanceUrl: token.instance_url,
    accessToken: token.access_token,
    refreshToken,
    version: TEST_API_VERSION,
    ...(options.clientName ? { callOptions: { client: options.clientName } } : {}),
  });
}
