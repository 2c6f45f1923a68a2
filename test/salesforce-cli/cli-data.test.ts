// An admin's first contact with the emulated org is the Salesforce CLI: log in with an access
// token, look at the org, query, create and update records, list and describe objects. The real,
// unmodified `sf` talks to the emulator over loopback.
import {
  startSalesforceEmulator,
  type RunningSalesforceEmulator,
} from '../../emulators/salesforce/src';
import { CLI_INSTALL_TIMEOUT_MS, SalesforceCli } from '../support/salesforce-cli';

jest.setTimeout(180_000);

async function clientCredentialsToken(url: string): Promise<string> {
  const res = await fetch(`${url}/services/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'emulator-client',
      client_secret: 'emulator-secret',
    }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('the Salesforce CLI against the Salesforce emulator', () => {
  let emu: RunningSalesforceEmulator;
  let sf: SalesforceCli;

  beforeAll(async () => {
    [emu, sf] = await Promise.all([startSalesforceEmulator({ port: 0 }), SalesforceCli.start()]);
    const token = await clientCredentialsToken(emu.url);
    await sf.ok(
      ['org', 'login', 'access-token', '--instance-url', emu.url, '--no-prompt', '--alias', 'emu'],
      { env: { SF_ACCESS_TOKEN: token } },
    );
  }, CLI_INSTALL_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all([emu?.stop(), sf?.close()]);
  });

  it('logs in with an access token of the real shape and displays the org', async () => {
    const org = await sf.ok<{ id: string; username: string; connectedStatus: string }>([
      'org',
      'display',
      '--target-org',
      'emu',
    ]);
    expect(org.id).toMatch(/^00D\w{15}$/);
    expect(org.username).toBe('bridge@cosell.example');
    expect(org.connectedStatus).toBe('Connected');
  });

  it('creates and updates a record, then queries it back with a parent field', async () => {
    const created = await sf.ok<{ id: string }>([
      'data',
      'create',
      'record',
      '--target-org',
      'emu',
      '--sobject',
      'Account',
      '--values',
      "Name='CLI Co' BillingCountry=SE",
    ]);
    expect(created.id).toMatch(/^001\w{15}$/);
    await sf.ok([
      'data',
      'update',
      'record',
      '--target-org',
      'emu',
      '--sobject',
      'Account',
      '--record-id',
      created.id,
      '--values',
      "Name='CLI Co Renamed'",
    ]);
    const found = await sf.ok<{ totalSize: number; records: Array<Record<string, unknown>> }>([
      'data',
      'query',
      '--target-org',
      'emu',
      '--query',
      `SELECT Id, Name, Owner.Name FROM Account WHERE Id = '${created.id}'`,
    ]);
    expect(found.totalSize).toBe(1);
    expect(found.records[0]).toMatchObject({
      Name: 'CLI Co Renamed',
      Owner: { Name: 'Co-Sell Bridge' },
    });
  });

  it("lists the custom objects and describes the package's fields", async () => {
    const list = await sf.ok<string[]>(['sobject', 'list', '--target-org', 'emu']);
    expect(list).toEqual(expect.arrayContaining(['Co_Sell_Solution__c', 'Microsoft_Solution__c']));
    const opp = await sf.ok<{ fields: Array<{ name: string; type: string }> }>([
      'sobject',
      'describe',
      '--target-org',
      'emu',
      '--sobject',
      'Opportunity',
    ]);
    expect(opp.fields).toEqual(
      expect.arrayContaining(
        [{ name: 'Sync_with_Partner_Center__c', type: 'boolean' }].map((f) =>
          expect.objectContaining(f),
        ),
      ),
    );
  });
});
