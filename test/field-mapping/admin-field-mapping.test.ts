/**
 * Admin field mapping without code, end to end (issue 19; R2 for the fields the bridge touches):
 * an admin deploys a new Opportunity field, a permission set granting it to the bridge's user and
 * a Co_Sell_Field_Map__mdt record with the unmodified Salesforce CLI, and the running bridge (which
 * polls the records) syncs the field both ways through the record's value map. A second deploy
 * with an invalid record is refused by `cosell doctor` with the record's name and the reason,
 * and the bridge keeps the mapping that works.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { INTEGRATION_USERNAME, startStack, waitForValue, type Json, type Stack } from '../support';
import { CLI_INSTALL_TIMEOUT_MS, SalesforceCli } from '../support/salesforce-cli';
import { SYNC_DEADLINE, readOpportunity, referralsFor } from '../e2e/e2e-helpers';

jest.setTimeout(240_000);

const NS = 'http://soap.sforce.com/2006/04/metadata';
const FIELD = `<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="${NS}">
    <fullName>Customer_Size__c</fullName>
    <label>Customer Size</label>
    <type>Picklist</type>
    <valueSet>
        <restricted>true</restricted>
        <valueSetDefinition>
            <sorted>false</sorted>
            <value><fullName>Small</fullName><default>false</default><label>Small</label></value>
            <value><fullName>Medium</fullName><default>false</default><label>Medium</label></value>
        </valueSetDefinition>
    </valueSet>
</CustomField>
`;
const PERMISSION_SET = `<?xml version="1.0" encoding="UTF-8"?>
<PermissionSet xmlns="${NS}">
    <fieldPermissions>
        <editable>true</editable>
        <field>Opportunity.Customer_Size__c</field>
        <readable>true</readable>
    </fieldPermissions>
    <label>Co-Sell Customer Size</label>
</PermissionSet>
`;
const record = (values: Record<string, string>) => `<?xml version="1.0" encoding="UTF-8"?>
<CustomMetadata xmlns="${NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
    <label>Customer size</label>
    <protected>false</protected>
${Object.entries(values)
  .map(
    ([field, value]) =>
      `    <values>\n        <field>${field}</field>\n        <value xsi:type="xsd:string">${value}</value>\n    </values>`,
  )
  .join('\n')}
</CustomMetadata>
`;

describe('admin field mapping (Co_Sell_Field_Map__mdt), end to end', () => {
  let stack: Stack;
  let sf: SalesforceCli;
  let project: string;

  const deploy = async (files: Record<string, string>) => {
    const dir = await mkdtemp(path.join(project, 'deploy-'));
    await writeFile(
      path.join(dir, 'sfdx-project.json'),
      JSON.stringify({
        packageDirectories: [{ path: 'force-app', default: true }],
        sourceApiVersion: '64.0',
      }),
    );
    for (const [file, text] of Object.entries(files)) {
      const full = path.join(dir, 'force-app/main/default', file);
      await mkdir(path.dirname(full), { recursive: true });
      await writeFile(full, text);
    }
    return sf.ok<{ status: string }>(
      ['project', 'deploy', 'start', '--source-dir', 'force-app', '--target-org', 'admin'],
      { cwd: dir },
    );
  };

  const fieldMapLogs = (event: string) => stack.bridge.logs((l) => l.event === event);

  beforeAll(async () => {
    [stack, sf] = await Promise.all([
      // Polls the mapping every 5 s, so an admin's deploy is picked up within the test.
      startStack({ bridgeEnv: { BRIDGE_FIELD_MAP_REFRESH_SECONDS: '5' } }),
      SalesforceCli.start(),
    ]);
    project = await mkdtemp(path.join(tmpdir(), 'cosell-field-map-'));
    const key = (await (await fetch(`${stack.salesforce.url}/__emulator/jwt-key`)).json()) as {
      privateKeyPem: string;
    };
    await sf.loginAsAdmin(stack.salesforce.url, key.privateKeyPem);
  }, CLI_INSTALL_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all([stack?.dispose(), sf?.close(), project && rm(project, { recursive: true })]);
  });

  it('R2: a field an admin maps with a metadata record syncs both ways through its value map; doctor refuses an invalid record by name', async () => {
    // The admin's three steps: the field, access for the bridge's user, the mapping record.
    const deployed = await deploy({
      'objects/Opportunity/fields/Customer_Size__c.field-meta.xml': FIELD,
      'permissionsets/Co_Sell_Customer_Size.permissionset-meta.xml': PERMISSION_SET,
      'customMetadata/Co_Sell_Field_Map.CustomerSize.md-meta.xml': record({
        Salesforce_Field__c: 'Opportunity.Customer_Size__c',
        Referral_Path__c: '/customerProfile/size',
        Direction__c: 'Both',
        Value_Map__c: 'Small=10to50employees\nMedium=50to1000employees',
      }),
    });
    expect(deployed.status).toBe('Succeeded');
    await sf.ok([
      'org',
      'assign',
      'permset',
      '--name',
      'Co_Sell_Customer_Size',
      '--on-behalf-of',
      INTEGRATION_USERNAME,
      '--target-org',
      'admin',
    ]);

    // The running bridge notices the new record on its next poll.
    await waitForValue(
      () => stack.bridge.logs((l) => l.module === 'field-map'),
      (logs) =>
        logs.some(
          (l) =>
            l.event === 'field_map.applied' &&
            (l.custom as string[] | undefined)?.includes('CustomerSize'),
        ),
      { timeoutMs: 60_000, description: 'the bridge to apply the CustomerSize mapping' },
    );
    const doctor = await stack.bridge.cli(['doctor', '--json']);
    const check = (
      doctor.json as { checks: Array<{ id: string; state: string; detail: string }> }
    ).checks.find((c) => c.id === 'field-mapping');
    expect(check).toMatchObject({
      state: 'ok',
      detail: expect.stringContaining('1 of them added by an admin'),
    });

    // Outbound on create: Small → 10to50employees.
    const deal = await stack.seed.coSellDeal({ fields: { Customer_Size__c: 'Small' } });
    const sizeInPartnerCenter = async () =>
      (
        (await referralsFor(stack.partnerCenter.control, deal.opportunityId))[0]
          ?.customerProfile as Json | undefined
      )?.size;
    await waitForValue(sizeInPartnerCenter, (size) => size === '10to50employees', {
      ...SYNC_DEADLINE,
      description: 'the referral to carry the mapped customer size',
    });

    // Outbound on update: only the mapped field changes, and it alone goes out.
    await stack.salesforce.control.updateRecord(deal.opportunityId, { Customer_Size__c: 'Medium' });
    await waitForValue(sizeInPartnerCenter, (size) => size === '50to1000employees', {
      ...SYNC_DEADLINE,
      description: 'the changed customer size to reach Partner Center',
    });

    // Inbound: Microsoft changes the size; Salesforce gets the mapped picklist value back.
    const referralId = (await readOpportunity(stack.seller, deal.opportunityId))
      .Partner_Center_Referral_Id__c!;
    await stack.partnerCenter.control.microsoftUpdate(referralId, {
      customerProfile: { size: '10to50employees' },
    });
    await waitForValue(
      async () =>
        (await stack.seller.sobject('Opportunity').retrieve(deal.opportunityId)) as unknown as {
          Customer_Size__c: string | null;
        },
      (o) => o.Customer_Size__c === 'Small',
      { ...SYNC_DEADLINE, description: 'Salesforce to take the size Microsoft set' },
    );

    // An invalid record: doctor names it and why; the bridge keeps the mapping that works.
    await deploy({
      'customMetadata/Co_Sell_Field_Map.LeadQuality.md-meta.xml': record({
        Salesforce_Field__c: 'Opportunity.Customer_Size__c',
        Referral_Path__c: '/qualification',
        Direction__c: 'Outbound',
        Value_Map__c: 'Small=Lukewarm',
      }),
    });
    const refused = await stack.bridge.cli(['doctor', '--json']);
    expect(refused.code).toBe(1);
    const failed = (
      refused.json as { checks: Array<{ id: string; state: string; detail: string }> }
    ).checks.find((c) => c.id === 'field-mapping');
    expect(failed?.state).toBe('failed');
    expect(failed?.detail).toContain(
      'LeadQuality: Value Map: picklist value "Lukewarm" is not one Partner Center accepts for /qualification (None, Direct, MarketingQualified, SalesQualified)',
    );
    await waitForValue(
      () => fieldMapLogs('field_map.invalid'),
      (logs) => logs.length > 0,
      { timeoutMs: 60_000, description: 'the bridge to refuse the invalid mapping' },
    );
    await stack.salesforce.control.updateRecord(deal.opportunityId, { Customer_Size__c: 'Medium' });
    await waitForValue(sizeInPartnerCenter, (size) => size === '50to1000employees', {
      ...SYNC_DEADLINE,
      description: 'the kept mapping to go on syncing',
    });
  });
});
