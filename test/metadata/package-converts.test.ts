// Guards that force-app is deployable as is: the Salesforce CLI's own conversion library turns it
// into a metadata API package without error, with every component we ship and nothing test-only.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ComponentSet, MetadataConverter } from '@salesforce/source-deploy-retrieve';
import { XMLValidator } from 'fast-xml-parser';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const FORCE_APP = path.join(REPO_ROOT, 'force-app');
// Conversion reads every file of force-app; on a busy 2-core CI box that takes seconds.
const CONVERSION_TIMEOUT_MS = 60_000;

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

function membersByType(packageXml: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const block of packageXml.matchAll(/<types>([\s\S]*?)<\/types>/g)) {
    const body = block[1] ?? '';
    const name = /<name>([^<]+)<\/name>/.exec(body)?.[1];
    if (!name) continue;
    result.set(
      name,
      [...body.matchAll(/<members>([^<]+)<\/members>/g)].map((m) => m[1] ?? ''),
    );
  }
  return result;
}

describe('force-app converts to a deployable metadata API package', () => {
  let outDir: string;
  let packageXml: string;
  let files: string[];

  beforeAll(async () => {
    outDir = await mkdtemp(path.join(tmpdir(), 'force-app-mdapi-'));
    const components = ComponentSet.fromSource(FORCE_APP);
    // convert() rejects on any component it cannot convert: that is the deployability guard.
    await new MetadataConverter().convert(components, 'metadata', {
      type: 'directory',
      outputDirectory: outDir,
      genUniqueDir: false,
    });
    packageXml = await readFile(path.join(outDir, 'package.xml'), 'utf8');
    files = await listFiles(outDir);
  }, CONVERSION_TIMEOUT_MS);

  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('writes a package.xml at the sourceApiVersion of sfdx-project.json', async () => {
    const project = JSON.parse(await readFile(path.join(REPO_ROOT, 'sfdx-project.json'), 'utf8'));
    expect(packageXml).toContain(`<version>${project.sourceApiVersion}</version>`);
  });

  it('R11/R16/R17: ships the contract objects, fields, validation rules, permission sets and CDC members', () => {
    const members = membersByType(packageXml);
    expect(members.get('CustomObject')).toEqual(
      expect.arrayContaining([
        'Microsoft_Solution__c',
        'Co_Sell_Solution__c',
        'Co_Sell_Sync_Event__c',
      ]),
    );
    expect(members.get('CustomField')).toEqual(
      expect.arrayContaining([
        'Opportunity.Sync_with_Partner_Center__c',
        'Opportunity.Referral_Currency__c',
        'Opportunity.Co_Sell_Help_Needed__c',
        'Opportunity.Partner_Center_Visibility__c',
        'Opportunity.Co_Sell_Customer_Contact__c',
        'Opportunity.Partner_Center_Referral_Id__c',
        'Opportunity.Partner_Center_Engagement_Id__c',
        'Opportunity.Partner_Center_Referral_Link__c',
        'Opportunity.Partner_Center_Status__c',
        'Opportunity.Partner_Center_Substatus__c',
        'Opportunity.Microsoft_CRM_Id__c',
        'Opportunity.Partner_Center_Sync_Status__c',
        'Opportunity.Partner_Center_Sync_Message__c',
        'Opportunity.Partner_Center_Last_Synced__c',
        'Opportunity.Co_Sell_Solution_Count__c',
        'Microsoft_Solution__c.Solution_Id__c',
        'Microsoft_Solution__c.Is_Active__c',
        'Co_Sell_Solution__c.Opportunity__c',
        'Co_Sell_Solution__c.Microsoft_Solution__c',
        'Co_Sell_Sync_Event__c.Opportunity__c',
        'Co_Sell_Sync_Event__c.Direction__c',
        'Co_Sell_Sync_Event__c.Outcome__c',
        'Co_Sell_Sync_Event__c.Message__c',
        'Co_Sell_Sync_Event__c.Referral_Id__c',
        'Co_Sell_Sync_Event__c.Api_Calls__c',
        'Co_Sell_Sync_Event__c.Occurred_At__c',
      ]),
    );
    expect(members.get('ValidationRule')?.length).toBeGreaterThanOrEqual(5);
    expect(members.get('PermissionSet')).toEqual(
      expect.arrayContaining(['Co_Sell_Seller', 'Co_Sell_Admin', 'Co_Sell_Bridge_Integration']),
    );
    expect(members.get('PlatformEventChannelMember')).toEqual(
      expect.arrayContaining([
        'ChangeEvents_OpportunityChangeEvent',
        'ChangeEvents_Co_Sell_Solution_ChangeEvent',
      ]),
    );
  });

  it('R10/R11: ships the Lightning web components, the record page and the layouts', () => {
    const members = membersByType(packageXml);
    expect(members.get('LightningComponentBundle')).toEqual(
      expect.arrayContaining([
        'coSellSyncPanel',
        'coSellDetailsEditor',
        'coSellActivityTimeline',
        'coSellReadiness',
        'coSellLiveUpdates',
        'coSellErrors',
        'coSellDetailsModel',
      ]),
    );
    expect(members.get('FlexiPage')).toEqual(['Co_Sell_Opportunity_Record_Page']);
    expect(members.get('Layout')).toEqual(
      expect.arrayContaining(['Opportunity-Co-Sell Opportunity Layout']),
    );
  });

  it('lists in package.xml every component folder it wrote', () => {
    const members = membersByType(packageXml);
    const folders = new Set(
      files
        .map((f) => path.relative(outDir, f).split(path.sep)[0])
        .filter((f) => f !== 'package.xml'),
    );
    const folderToType: Record<string, string> = {
      objects: 'CustomObject',
      permissionsets: 'PermissionSet',
      platformEventChannelMembers: 'PlatformEventChannelMember',
      tabs: 'CustomTab',
      layouts: 'Layout',
      flexipages: 'FlexiPage',
      lwc: 'LightningComponentBundle',
      applications: 'CustomApplication',
      labels: 'CustomLabels',
      customPermissions: 'CustomPermission',
      notificationtypes: 'CustomNotificationType',
      customMetadata: 'CustomMetadata',
      flows: 'Flow',
    };
    for (const folder of folders) {
      const type = folderToType[folder ?? ''];
      expect({ folder, known: type !== undefined }).toEqual({ folder, known: true });
      expect(members.get(type ?? '')?.length ?? 0).toBeGreaterThan(0);
    }
  });

  it('writes only well-formed XML metadata files', async () => {
    const xmlFiles = files.filter((f) => !/\.(js|html|css|svg)$/.test(f));
    expect(xmlFiles.length).toBeGreaterThan(5);
    for (const file of xmlFiles) {
      const verdict = XMLValidator.validate(await readFile(file, 'utf8'));
      expect({ file: path.relative(outDir, file), verdict }).toEqual({
        file: path.relative(outDir, file),
        verdict: true,
      });
    }
  });

  it('never ships jest tests, test mocks or the jest setup (.forceignore is honoured)', () => {
    const leaked = files.filter((f) => /__tests__|jest-mocks|jest-setup|\.test\.js$/.test(f));
    expect(leaked).toEqual([]);
  });
});

describe('npm run package (scripts/package.js)', () => {
  it(
    'writes the metadata folder and a zip holding package.xml',
    async () => {
      const outDir = await mkdtemp(path.join(tmpdir(), 'force-app-package-'));
      try {
        const { stdout } = await promisify(execFile)(
          process.execPath,
          [path.join(REPO_ROOT, 'scripts', 'package.js'), '--out', outDir],
          { cwd: REPO_ROOT },
        );
        expect(stdout).toMatch(/Converted \d+ components/);
        const folderPackageXml = await readFile(
          path.join(outDir, 'salesforce-package', 'package.xml'),
          'utf8',
        );
        expect(folderPackageXml).toContain('<name>CustomObject</name>');
        const zip = await readFile(path.join(outDir, 'salesforce-package.zip'));
        expect((await stat(path.join(outDir, 'salesforce-package.zip'))).size).toBeGreaterThan(
          1000,
        );
        // Local file header signature, then the first entry's name: Workbench needs package.xml at the root.
        expect(zip.subarray(0, 4).toString('hex')).toBe('504b0304');
        expect(zip.toString('latin1')).toContain('package.xml');
      } finally {
        await rm(outDir, { recursive: true, force: true });
      }
    },
    CONVERSION_TIMEOUT_MS,
  );
});
