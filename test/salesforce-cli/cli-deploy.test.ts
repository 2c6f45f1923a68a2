// The admin's install path (README "Install the Salesforce package"), against an emulated org
// that starts with the standard objects only: `sf project deploy start` sends force-app through
// the Metadata API, and the org's schema is what it deployed. A package Salesforce refuses fails
// here too, with Salesforce's component failure, and changes nothing.
import { cp, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  startSalesforceEmulator,
  type RunningSalesforceEmulator,
} from '../../emulators/salesforce/src';
import { REPO_ROOT } from '../support';
import { CLI_INSTALL_TIMEOUT_MS, SalesforceCli } from '../support/salesforce-cli';

jest.setTimeout(240_000);

interface DeployResult {
  status: string;
  success: boolean;
  numberComponentsDeployed: number;
  details?: { componentFailures?: unknown };
  files?: Array<{ fullName: string; type: string; state: string; error?: string }>;
}

const REST_DEPLOY = { SF_ORG_METADATA_REST_DEPLOY: 'true' };
const CHANNEL_MEMBERS = 'force-app/main/default/platformEventChannelMembers';

/** A copy of the project (sfdx-project.json + force-app) an admin could break and deploy. */
async function projectCopy(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cosell-project-'));
  await cp(path.join(REPO_ROOT, 'sfdx-project.json'), path.join(dir, 'sfdx-project.json'));
  await cp(path.join(REPO_ROOT, '.forceignore'), path.join(dir, '.forceignore'));
  await cp(path.join(REPO_ROOT, 'force-app'), path.join(dir, 'force-app'), { recursive: true });
  return dir;
}

describe('sf project deploy start into an emulated org without the package', () => {
  let emu: RunningSalesforceEmulator;
  let sf: SalesforceCli;
  let project: string;

  const customObjects = async () =>
    (await sf.ok<string[]>(['sobject', 'list', '--target-org', 'admin'])).filter((n) =>
      n.endsWith('__c'),
    );

  beforeAll(async () => {
    [emu, sf, project] = await Promise.all([
      startSalesforceEmulator({ port: 0, noPackage: true }),
      SalesforceCli.start(),
      projectCopy(),
    ]);
    // The JWT bearer flow a CI pipeline uses, as the org's System Administrator.
    await sf.loginAsAdmin(emu.url, emu.jwtPrivateKeyPem());
  }, CLI_INSTALL_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all([emu?.stop(), sf?.close(), project && rm(project, { recursive: true })]);
  });

  it('starts with the standard objects only', async () => {
    expect(await customObjects()).toEqual([]);
  });

  it('refuses (over SOAP) a package whose channel member name has a double underscore, and changes nothing', async () => {
    const good = path.join(
      project,
      CHANNEL_MEMBERS,
      'ChangeEvents_Co_Sell_Solution_ChangeEvent.platformEventChannelMember-meta.xml',
    );
    const bad = good.replace('Solution_ChangeEvent', 'Solution__ChangeEvent');
    await rename(good, bad);
    try {
      // The CLI's default: the Metadata SOAP API's deploy and checkDeployStatus.
      const out = await sf.run<DeployResult>(
        ['project', 'deploy', 'start', '--source-dir', 'force-app', '--target-org', 'admin'],
        { cwd: project },
      );
      expect(out.status).not.toBe(0);
      expect(out.result.status).toBe('Failed');
      const failed = (out.result.files ?? []).filter((f) => f.state === 'Failed');
      expect(failed).toEqual([
        expect.objectContaining({
          fullName: 'ChangeEvents_Co_Sell_Solution__ChangeEvent',
          type: 'PlatformEventChannelMember',
          error: expect.stringContaining(
            'Cannot create a new component with the namespace: ChangeEvents_Co_Sell_Solution',
          ),
        }),
      ]);
    } finally {
      await rename(bad, good);
    }
    expect(await customObjects()).toEqual([]);
  });

  it('refuses field permissions on a required field and a reference to a missing field', async () => {
    const file = path.join(
      project,
      'force-app/main/default/permissionsets/Co_Sell_Seller.permissionset-meta.xml',
    );
    const original = await readFile(file, 'utf8');
    const extra =
      '<fieldPermissions><editable>true</editable><field>Opportunity.No_Such_Field__c</field><readable>true</readable></fieldPermissions>' +
      '<fieldPermissions><editable>true</editable><field>Co_Sell_Solution__c.Opportunity__c</field><readable>true</readable></fieldPermissions>';
    await writeFile(file, original.replace('</PermissionSet>', `${extra}</PermissionSet>`));
    try {
      const out = await sf.run<DeployResult>(
        ['project', 'deploy', 'start', '--source-dir', 'force-app', '--target-org', 'admin'],
        { cwd: project, env: REST_DEPLOY },
      );
      expect(out.result.status).toBe('Failed');
      const errors = (out.result.files ?? [])
        .filter((f) => f.state === 'Failed')
        .map((f) => `${f.type} ${f.fullName}: ${f.error ?? ''}`);
      expect(errors).toEqual(
        expect.arrayContaining([
          'PermissionSet Co_Sell_Seller: In field: field - no CustomField named Opportunity.No_Such_Field__c found',
          'PermissionSet Co_Sell_Seller: You cannot deploy to a required field: Co_Sell_Solution__c.Opportunity__c',
        ]),
      );
    } finally {
      await writeFile(file, original);
    }
    expect(await customObjects()).toEqual([]);
  });

  it('deploys force-app through the Metadata API REST resource; the deployed zip is the schema', async () => {
    const out = await sf.ok<DeployResult>(
      ['project', 'deploy', 'start', '--source-dir', 'force-app', '--target-org', 'admin'],
      { cwd: project, env: REST_DEPLOY },
    );
    expect(out.status).toBe('Succeeded');
    expect(out.numberComponentsDeployed).toBeGreaterThan(50);
    expect(await customObjects()).toEqual(
      expect.arrayContaining([
        'Co_Sell_Solution__c',
        'Co_Sell_Sync_Event__c',
        'Microsoft_Solution__c',
      ]),
    );
    const opp = await sf.ok<{ fields: Array<{ name: string }> }>([
      'sobject',
      'describe',
      '--target-org',
      'admin',
      '--sobject',
      'Opportunity',
    ]);
    expect(opp.fields.map((f) => f.name)).toEqual(
      expect.arrayContaining(['Sync_with_Partner_Center__c', 'Partner_Center_Sync_Status__c']),
    );
    // The channel members selected both entities for Change Data Capture.
    expect(emu.state.org.schema.object('Opportunity')?.cdcEnabled).toBe(true);
    expect(emu.state.org.schema.object('Co_Sell_Solution__c')?.cdcEnabled).toBe(true);
    // The deployed validation rules run (R11): sync on without a solution is refused.
    const rules = emu.state.org.schema.object('Opportunity')?.validationRules.map((r) => r.name);
    expect(rules).toEqual(expect.arrayContaining(['Co_Sell_Requires_Solution']));
  });
});
