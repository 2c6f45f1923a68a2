/**
 * `npm run demo`: the whole product offline, in one command, narrated.
 *
 * Starts both emulators in this process, seeds a small realistic org and Partner Center tenant,
 * runs `cosell solutions import` and `cosell setup`, starts `cosell run` as a child process and
 * then walks through what syncs — waiting on each outcome with a deadline, never a fixed sleep.
 *
 *   npm run demo -- [--salesforce-port <p>] [--partner-center-port <p>] [--bridge-port <p>] [--keep-running]
 *
 * Exit code 0 when every narrated outcome happened, 1 otherwise.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startPartnerCenterEmulator } from '../emulators/partner-center/src';
import { startSalesforceEmulator } from '../emulators/salesforce/src';
// The demo waits, finds ports and drives the emulators with the same helpers as the test suites.
import {
  PartnerCenterControl,
  SalesforceControl,
  type Json,
} from '../test/support/control-clients';
import { freePort } from '../test/support/free-port';
import { connectAs } from '../test/support/seller';
import { INTEGRATION_USERNAME } from '../test/support/seed';
import { waitFor as waitUntil } from '../test/support/wait-for';

const ROOT = resolve(__dirname, '..');
const COSELL = join(ROOT, 'bridge/bin/cosell.js');
const CREDENTIALS = { clientId: 'emulator-client', clientSecret: 'emulator-secret' };
const DEADLINE_MS = 20_000;

const SOLUTIONS = [
  { id: 'SOL-DEMO-0001-AZR', name: 'Contoso Cloud Migration Factory' },
  { id: 'SOL-DEMO-0002-DATA', name: 'Contoso Data Platform on Azure' },
  { id: 'SOL-DEMO-0003-AI', name: 'Contoso Copilot Accelerator' },
];

// ------------------------------------------------------------------ command line
function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function portFlag(name: string): number {
  const raw = flag(name);
  if (raw === undefined) return 0;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`${name} must be a port number 0-65535 (got "${raw}")`);
    process.exit(2);
  }
  return port;
}

const options = {
  salesforcePort: portFlag('--salesforce-port'),
  partnerCenterPort: portFlag('--partner-center-port'),
  bridgePort: portFlag('--bridge-port'),
  keepRunning: process.argv.includes('--keep-running'),
};

// ------------------------------------------------------------------ narration
let step = 0;
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
function heading(text: string): void {
  step += 1;
  console.log(`\n[${elapsed()}] ${step}. ${text}`);
}
function say(text: string): void {
  console.log(`   ${text}`);
}

/** Polls `check` until it returns a value, for at most DEADLINE_MS. */
function waitFor<T>(what: string, check: () => Promise<T | undefined | false>): Promise<T> {
  return waitUntil(check, { description: what, timeoutMs: DEADLINE_MS });
}

// ------------------------------------------------------------------ processes
/** The demo's environment for `cosell`: ours only, nothing inherited that the bridge would read. */
function childEnvironment(bridgeEnv: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(SALESFORCE_|PARTNER_CENTER_|BRIDGE_)|^(https?|HTTPS?)_PROXY$/.test(name),
    ),
  );
  return { ...inherited, ...bridgeEnv };
}

function cosell(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [COSELL, ...args], {
      env,
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', fail);
    child.once('exit', (code) => done({ code, stdout, stderr }));
  });
}

function stopChild(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((done) => {
    child.once('exit', (code) => done(code));
    child.kill('SIGTERM');
  });
}

// ------------------------------------------------------------------ the demo
async function main(): Promise<number> {
  // jsforce and faye honour proxy variables and ignore NO_PROXY; everything here is loopback.
  for (const name of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY'])
    delete process.env[name];
  const workDir = mkdtempSync(join(tmpdir(), 'cosell-demo-'));
  const cleanups: (() => Promise<unknown>)[] = [];
  let bridge: ChildProcess | undefined;
  let bridgeLog = '';
  try {
    heading('Starting the emulators (offline: nothing leaves this machine)');
    const salesforce = await startSalesforceEmulator({
      port: options.salesforcePort,
      cometdTimeoutMs: 1_000,
    });
    cleanups.push(() => salesforce.stop());
    const partnerCenter = await startPartnerCenterEmulator({
      port: options.partnerCenterPort,
      webhookRetryScheduleMs: [200, 500, 1_000, 2_000],
    });
    cleanups.push(() => partnerCenter.stop());
    const sfControl = new SalesforceControl(salesforce.url);
    const pcControl = new PartnerCenterControl(partnerCenter.url);
    const bridgePort = options.bridgePort || (await freePort());
    const bridgeUrl = `http://127.0.0.1:${bridgePort}`;
    say(`Salesforce emulator:     ${salesforce.url}`);
    say(`Partner Center emulator: ${partnerCenter.url}`);
    say(`Bridge (to be started):  ${bridgeUrl}`);

    const env = childEnvironment({
      BRIDGE_ENVIRONMENT: 'emulator',
      SALESFORCE_LOGIN_URL: salesforce.url,
      SALESFORCE_CLIENT_ID: CREDENTIALS.clientId,
      SALESFORCE_CLIENT_SECRET: CREDENTIALS.clientSecret,
      PARTNER_CENTER_API_URL: partnerCenter.url,
      PARTNER_CENTER_WEBHOOK_API_URL: partnerCenter.url,
      PARTNER_CENTER_TOKEN_URL: `${partnerCenter.url}/<tenant>/oauth2/token`,
      PARTNER_CENTER_TENANT_ID: 'contoso-partner.onmicrosoft.com',
      PARTNER_CENTER_CLIENT_ID: CREDENTIALS.clientId,
      PARTNER_CENTER_CLIENT_SECRET: CREDENTIALS.clientSecret,
      PARTNER_CENTER_USERNAME: 'admin@partner.example',
      PARTNER_CENTER_PASSWORD: 'emulator-password',
      BRIDGE_PORT: String(bridgePort),
      BRIDGE_PUBLIC_URL: bridgeUrl,
      BRIDGE_DATABASE_URL: `sqlite:${join(workDir, 'bridge.sqlite')}`,
      BRIDGE_COALESCE_WINDOW_MS: '500',
      BRIDGE_LOG_LEVEL: 'info',
    });

    heading("Seeding a small org and the partner's tenant");
    for (const solution of SOLUTIONS) await pcControl.addSolution(solution);
    say(
      `Partner Center lists ${SOLUTIONS.length} co-sell-ready solutions: ${SOLUTIONS.map((s) => s.id).join(', ')}`,
    );
    const csv = join(workDir, 'solutions-export.csv');
    writeFileSync(
      csv,
      ['Solution ID,Solution Name', ...SOLUTIONS.map((s) => `${s.id},"${s.name}"`)].join('\n'),
    );
    const imported = await cosell(['solutions', 'import', csv], env, workDir);
    if (imported.code !== 0)
      throw new Error(`cosell solutions import failed:\n${imported.stdout}${imported.stderr}`);
    say(`$ cosell solutions import solutions-export.csv → ${imported.stdout.trim()}`);

    const seller = await connectAs(salesforce.url, sfControl, 'seller');
    const create = (sobject: string, fields: Json): Promise<string> =>
      sfControl.createRecord(sobject, fields);
    const [azureSolution] = (
      await seller.query<{ Id: string }>(
        `SELECT Id FROM Microsoft_Solution__c WHERE Solution_Id__c = '${SOLUTIONS[0]!.id}'`,
      )
    ).records;
    const solutionRecordId = azureSolution!.Id;
    const closeDate = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);

    const contoso = await create('Account', {
      Name: 'Contoso Pharma AB',
      BillingCountry: 'SE',
      BillingCity: 'Stockholm',
    });
    const contosoBuyer = await create('Contact', {
      AccountId: contoso,
      FirstName: 'Astrid',
      LastName: 'Lindqvist',
      Email: 'astrid.lindqvist@contoso-pharma.example',
    });
    const fabrikam = await create('Account', {
      Name: 'Fabrikam Logistics GmbH',
      BillingCountry: 'Germany',
      BillingCity: 'Hamburg',
    });
    const adventure = await create('Account', {
      Name: 'Adventure Works Ltd',
      BillingCountry: 'GB',
      BillingCity: 'Leeds',
    });
    const adventureBuyer = await create('Contact', {
      AccountId: adventure,
      FirstName: 'Oliver',
      LastName: 'Hughes',
      Email: 'oliver.hughes@adventure-works.example',
    });

    const opportunity = async (fields: Json, sync: 'on' | 'imported'): Promise<string> => {
      const id = await create('Opportunity', {
        StageName: 'Qualification',
        CloseDate: closeDate,
        Referral_Currency__c: 'USD',
        ...fields,
      });
      await create('Co_Sell_Solution__c', {
        Opportunity__c: id,
        Microsoft_Solution__c: solutionRecordId,
      });
      // The package's validation rules stop a seller from switching sync on for an incomplete
      // deal, in any status; only the bridge's own writes are exempt (Co_Sell_Bridge_Writes), so
      // the incomplete deal (as if imported from an old CRM) is switched on as the integration
      // user, and the bridge then names what to fix.
      if (sync === 'on') await sfControl.updateRecord(id, { Sync_with_Partner_Center__c: true });
      else
        await sfControl.updateRecord(
          id,
          { Sync_with_Partner_Center__c: true, Partner_Center_Sync_Status__c: 'Error' },
          INTEGRATION_USERNAME,
        );
      return id;
    };
    const valid = await opportunity(
      {
        Name: 'Contoso Pharma – move the lab systems to Azure',
        AccountId: contoso,
        Amount: 250_000,
        Description: 'Lift and shift of 120 VMs, then modernise the LIMS.',
        Co_Sell_Customer_Contact__c: contosoBuyer,
      },
      'on',
    );
    const noCountry = await opportunity(
      { Name: 'Fabrikam Logistics – data platform', AccountId: fabrikam, Amount: 90_000 },
      'imported',
    );
    const noContact = await opportunity(
      {
        Name: 'Adventure Works – Copilot pilot',
        AccountId: adventure,
        Amount: 40_000,
        Co_Sell_Help_Needed__c: 'ProofOfConceptOrDemo',
      },
      'imported',
    );
    say(
      '3 accounts (SE, "Germany" — not an ISO code, GB), 2 contacts, 3 opportunities with sync on:',
    );
    say(`  ${valid}  Contoso Pharma – complete and valid`);
    say(
      `  ${noCountry}  Fabrikam Logistics – account country "Germany" is not a two-letter ISO code`,
    );
    say(`  ${noContact}  Adventure Works – asks Microsoft for help but names no customer contact`);

    const referralCalls = async () => {
      const stats = (await pcControl.stats()) as unknown as { dailyCalls: Record<string, number> };
      return Object.values(stats.dailyCalls).reduce((sum, n) => sum + n, 0);
    };

    heading(
      'cosell setup: credentials → schema and permission set → CDC → Partner Center access → webhook',
    );
    const setup = await cosell(['setup'], env, workDir);
    for (const line of setup.stdout.trim().split('\n')) say(line);
    if (setup.code !== 0) throw new Error('cosell setup failed');

    const callsBeforeBridge = await referralCalls();
    heading('Starting the bridge: cosell run');
    bridge = spawn(process.execPath, [COSELL, 'run'], {
      env,
      cwd: workDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    bridge.stdout?.on('data', (chunk: Buffer) => (bridgeLog += chunk.toString()));
    bridge.stderr?.on('data', (chunk: Buffer) => (bridgeLog += chunk.toString()));
    const running = bridge;
    await waitFor('the bridge to be ready (/readyz)', async () => {
      if (running.exitCode !== null) throw new Error(`the bridge exited:\n${bridgeLog}`);
      return (await fetch(`${bridgeUrl}/readyz`)).ok;
    });
    say(`ready on ${bridgeUrl}`);

    const readOpportunity = async (id: string) =>
      (await seller.sobject('Opportunity').retrieve(id)) as unknown as Json;

    heading('The valid deal becomes a Partner Center referral');
    const synced = await waitFor('the valid deal to sync', async () => {
      const o = await readOpportunity(valid);
      return o.Partner_Center_Sync_Status__c === 'Synced' && o.Partner_Center_Referral_Id__c
        ? o
        : undefined;
    });
    const referralId = String(synced.Partner_Center_Referral_Id__c);
    say(
      `Contoso Pharma → referral ${referralId} (status ${String(synced.Partner_Center_Status__c)}/${String(synced.Partner_Center_Substatus__c)})`,
    );
    say(
      `Referrals API calls by the bridge since it started: ${(await referralCalls()) - callsBeforeBridge} (including its start-up catch-up read)`,
    );

    heading(
      'The incomplete deals get status Error with the exact fix — and no Partner Center call',
    );
    for (const [id, label] of [
      [noCountry, 'Fabrikam Logistics'],
      [noContact, 'Adventure Works'],
    ] as const) {
      const failed = await waitFor(`${label} to get its fix`, async () => {
        const o = await readOpportunity(id);
        return o.Partner_Center_Sync_Status__c === 'Error' && o.Partner_Center_Sync_Message__c
          ? o
          : undefined;
      });
      say(`${label}: ${String(failed.Partner_Center_Sync_Message__c)}`);
    }

    heading('The seller adds the customer contact on Adventure Works, and it syncs');
    await seller
      .sobject('Opportunity')
      .update({ Id: noContact, Co_Sell_Customer_Contact__c: adventureBuyer });
    const fixed = await waitFor('Adventure Works to sync after the fix', async () => {
      const o = await readOpportunity(noContact);
      return o.Partner_Center_Sync_Status__c === 'Synced' && o.Partner_Center_Referral_Id__c
        ? o
        : undefined;
    });
    say(
      `Adventure Works → referral ${String(fixed.Partner_Center_Referral_Id__c)}, co-sell with Microsoft requested`,
    );

    heading('Microsoft wins the Contoso deal in Partner Center');
    await pcControl.microsoftUpdate(referralId, {
      status: 'Closed',
      substatus: 'Won',
    });
    const won = await waitFor('the opportunity to become Closed Won', async () => {
      const o = await readOpportunity(valid);
      return o.StageName === 'Closed Won' ? o : undefined;
    });
    say(
      `signed webhook → bridge → Salesforce: stage ${String(won.StageName)}, Partner Center ${String(won.Partner_Center_Status__c)}/${String(won.Partner_Center_Substatus__c)}`,
    );

    heading('Microsoft creates a referral for the partner (a deal Salesforce has never seen)');
    const incoming = await pcControl.microsoftCreate({
      name: 'Northwind Traders – modern workplace',
      qualification: 'SalesQualified',
      customerProfile: {
        name: 'Northwind Traders AS',
        address: {
          addressLine1: 'Karl Johans gate 1',
          city: 'Oslo',
          postalCode: '0154',
          country: 'NO',
        },
        size: '51to250employees',
        team: [
          {
            firstName: 'Nora',
            lastName: 'Berg',
            email: 'nora.berg@northwind.example',
            phoneNumber: '+47 22 00 00 00',
          },
        ],
      },
      consent: {
        consentToShareInfoWithOthers: true,
        consentToContact: true,
        consentToMicrosoftToContactSpecificPartners: true,
        consentToShareReferralWithMicrosoftSellers: true,
      },
      details: {
        dealValue: 75_000,
        currency: 'USD',
        closingDateTime: `${closeDate}T00:00:00Z`,
        notes: 'The customer asked Microsoft for a partner to roll out Microsoft 365 Copilot.',
        requirements: { solutions: [{ id: SOLUTIONS[2]!.id }] },
      },
    });
    const incomingId = String(incoming.id);
    say(`Microsoft's referral ${incomingId} has no CRM ID`);
    const crmId = await waitFor('the CRM ID to be written back to the referral', async () => {
      const all = await pcControl.referrals();
      const found = all.find((r) => r.id === incomingId);
      return typeof found?.externalReferenceId === 'string' && found.externalReferenceId
        ? found.externalReferenceId
        : undefined;
    });
    const created = await readOpportunity(crmId);
    say(
      `→ new opportunity ${crmId} "${String(created.Name)}" (sync ${created.Sync_with_Partner_Center__c ? 'on' : 'off'}), its id written back as the referral's CRM ID`,
    );

    heading(`cosell explain ${valid}`);
    const explained = await waitFor('the journal to hold the inbound change', async () => {
      const result = await cosell(['explain', valid], env, workDir);
      return result.code === 0 && result.stdout.includes('Inbound') ? result : undefined;
    });
    for (const line of explained.stdout.trim().split('\n')) say(line);

    heading('Calls made, as the emulators counted them (GET /__emulator/stats)');
    const pcStats = (await pcControl.stats()) as unknown as {
      requests: Record<string, number>;
      dailyCalls: Record<string, number>;
      deliveries: Json;
    };
    const sfStats = (await sfControl.stats()) as unknown as {
      requests: Record<string, number>;
      total: number;
    };
    say(
      `Partner Center Referrals API calls today: ${Object.values(pcStats.dailyCalls).reduce((a, b) => a + b, 0)}`,
    );
    for (const [route, count] of Object.entries(pcStats.requests).filter(([r]) =>
      r.includes('/referrals'),
    )) {
      say(`  ${String(count).padStart(4)}  ${route}`);
    }
    say(`webhook deliveries: ${JSON.stringify(pcStats.deliveries)}`);
    say(`Salesforce requests: ${sfStats.total} in all, e.g.`);
    for (const [route, count] of Object.entries(sfStats.requests)
      .filter(([r]) => /query|composite|cometd/.test(r))
      .slice(0, 6)) {
      say(`  ${String(count).padStart(4)}  ${route}`);
    }

    if (options.keepRunning) {
      heading('Still running (--keep-running): press Ctrl+C to stop');
      say(`try: BRIDGE_DATABASE_URL=… npx cosell status, or open ${bridgeUrl}/metrics`);
      await new Promise<void>((done) => {
        process.once('SIGINT', () => done());
        process.once('SIGTERM', () => done());
      });
    }

    heading('Shutting down');
    const code = await stopChild(bridge);
    say(`bridge stopped gracefully (exit ${code})`);
    console.log(`\nDemo complete in ${elapsed()}.`);
    return 0;
  } catch (error) {
    console.error(`\nDemo failed: ${error instanceof Error ? error.message : String(error)}`);
    if (bridgeLog)
      console.error(
        `\nLast bridge log lines:\n${bridgeLog.trim().split('\n').slice(-25).join('\n')}`,
      );
    return 1;
  } finally {
    if (bridge) await stopChild(bridge);
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  }
}

void main().then((code) => process.exit(code));
